package suite

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hwims/conformance/driver"
)

// The configuration Terraform generates for an imported copy (-generate-config-out) validates
// as it is and plans no change, for a copy within a region and one across regions: the
// arguments a read cannot know (agency_name) or that only apply within a region
// (enterprise_project_id) are null in state, and an existing copy's configuration need not
// name the agency it was made with.
func TestScenarioGeneratedConfigRoundTrip(t *testing.T) {
	m := startImsd(t)
	kinds := []struct {
		name string
		vars map[string]interface{}
		id   func(id string) string
	}{
		{"within", map[string]interface{}{"name": "gen-within", "kms_key_id": driver.SeedKMSKey, "min_ram": 1024,
			"enterprise_project_id": driver.SeedEPS, "tags": map[string]string{"k": "v"}},
			func(id string) string { return driver.SeedRegion + "/" + id }},
		{"cross", map[string]interface{}{"name": "gen-cross", "target_region": "cn-south-1",
			"agency_name": driver.SeedAgency}, func(id string) string { return "cn-south-1/" + id }},
	}
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			src := newWorkspace(t, m, "scenarios/copy.tf")
			src.set(k.vars)
			src.converge(create)
			id := driver.Str(src.typed(c0), "id")

			const addr = driver.ResourceType + ".imported"
			gen := filepath.Join(t.TempDir(), "generated.tf")
			w := newWorkspace(t, m, "scenarios/import.tf")
			res := driver.Import(w.env, w.config(), w.st, addr, driver.ResourceType, k.id(id))
			if err := res.Err(); err != nil {
				t.Fatalf("import: %v", err)
			}
			rs := w.schema().Resources[driver.ResourceType]
			text := driver.GenerateConfig(rs.Block, driver.ResourceType, "imported", w.typed(addr))
			if err := os.WriteFile(gen, text, 0o600); err != nil {
				t.Fatal(err)
			}
			t.Logf("generated:\n%s", text)
			if k.name == "cross" {
				for _, line := range strings.Split(string(text), "\n") {
					f := strings.Fields(line)
					if len(f) == 3 && (f[0] == "agency_name" || f[0] == "enterprise_project_id") && f[2] != "null" {
						t.Errorf("generated %s for a cross-region copy", line)
					}
				}
			}
			w.files = []string{testdata("provider.tf"), gen}
			insts, hd := w.config().Instances(w.schema().Resources)
			if hd.HasErrors() {
				t.Fatal(hd)
			}
			s := &driver.Session{P: launch(t), Schema: w.schema()}
			for _, in := range insts {
				d, err := s.ValidateResourceConfig(in.Type, in.Config)
				if err != nil {
					t.Fatal(err)
				}
				if err := d.Match(); err != nil {
					t.Errorf("generated configuration does not validate: %v", err)
				}
			}
			w.expectEmptyPlan()
			src.destroy()
		})
	}
	expectNoCopies(t, m)
}

// Where a copy is made, the rules of making one apply: planning a new cross-region copy without
// agency_name is refused on that attribute, although the configuration validates (an existing
// copy's need not name its agency).
func TestPlanNewCrossRegionCopyNeedsAgency(t *testing.T) {
	m := startImsd(t)
	w := newWorkspace(t, m, "scenarios/copy.tf")
	w.set(map[string]interface{}{"name": "no-agency", "target_region": "cn-south-1"})
	p := w.planResult(driver.PlanOptions{})
	if err := p.Result.Diags[c0].Match(driver.Expect{Severity: driver.SeverityError,
		SummaryHas: "agency_name is required", Path: "agency_name"}); err != nil {
		t.Errorf("plan of a new cross-region copy without an agency: %v", err)
	}
	expectNoCopies(t, m)
}
