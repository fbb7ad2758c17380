package suite

// Issue 11: every argument set to its documented default (max_ram/min_ram 0, an empty
// description, empty tags, the default enterprise project) applies and re-plans empty, on
// copies of every kind of seeded source image, within a region and across regions.

import (
	"testing"

	"hwims/conformance/driver"
)

// The seeded images a copy can be made of, by kind: their RAM bounds differ (0, absent, or
// both set), which is what the defaults below must not drift against. The encrypted image
// cannot leave its region; a full-ECS image needs a vault and an ISO image cannot be copied, so
// those two are not here.
var defaultSources = []struct {
	name, id string
	cross    bool
}{
	{"system", "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01", true},      // ubuntu-2204-golden: 0/0
	{"data", "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c02", true},        // data-disk-golden: no max_ram
	{"encrypted", "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c04", false},  // euler-encrypted
	{"bounded-ram", "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c07", true}, // centos-79-large: 2048/65536
}

var defaultArguments = []struct {
	name  string
	value interface{}
	cross bool // also meaningful for a copy to another region
}{
	{"max_ram", 0, true},
	{"min_ram", 0, true},
	{"description", "", true},
	{"tags", map[string]string{}, true},
	{"enterprise_project_id", "0", false},
}

func TestScenarioDefaultsReplanEmpty(t *testing.T) {
	// Jobs ten times faster than the suite's default: the matrix is the point, not the wait.
	m := startImsd(t, "--time-scale", "1000")
	for _, arg := range defaultArguments {
		arg := arg
		t.Run(arg.name, func(t *testing.T) {
			for _, src := range defaultSources {
				for _, cross := range []bool{false, true} {
					if cross && !(arg.cross && src.cross) {
						continue
					}
					kind := "within"
					if cross {
						kind = "cross"
					}
					src, cross := src, cross
					t.Run(src.name+"/"+kind, func(t *testing.T) {
						// Each lifecycle mostly waits: the sources of one argument
						// run at once (as many as -parallel allows), each copy named
						// for its case.
						t.Parallel()
						w := newWorkspace(t, m, "scenarios/copy.tf")
						w.set(map[string]interface{}{"source_image_id": src.id,
							"name":   "defaults-" + arg.name + "-" + src.name + "-" + kind,
							arg.name: arg.value})
						if cross {
							w.set(map[string]interface{}{"target_region": driver.SeedRegion2,
								"agency_name": driver.SeedAgency})
						}
						w.converge(create)
						w.expectState(c0, map[string]interface{}{arg.name: arg.value})
						w.destroy()
					})
				}
			}
		})
	}
	expectNoCopies(t, m)
}
