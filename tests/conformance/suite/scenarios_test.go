package suite

// Issue 6: whole lifecycles of huaweicloud_images_image_copy against imsd,
// each a sequence of .tf configurations run through plan → apply → refresh
// → plan with Terraform's checks at every step.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"hwims/conformance/driver"
)

const (
	one = "huaweicloud_images_image_copy.test"
	c0  = "huaweicloud_images_image_copy.test[0]"
)

var create = map[string]driver.Action{c0: driver.Create}

// seedImage tells the images of imsd's default seed (whose IDs all start alike, the public,
// shared and series images included) from what a test made.
func seedImage(id string) bool {
	return strings.HasPrefix(id, "6a1e0b2c-3d4f-4a5b-8c6d-")
}

// copies lists the images imsd holds that are not from its seed.
func copies(t *testing.T, m *driver.Imsd) []driver.Image {
	t.Helper()
	var out []driver.Image
	for _, region := range []string{"cn-north-4", "cn-south-1", "ap-southeast-1"} {
		imgs, err := m.ListImages(region, "")
		if err != nil {
			t.Fatalf("listing imsd images: %v", err)
		}
		for _, im := range imgs {
			if id, _ := im["id"].(string); !seedImage(id) {
				out = append(out, im)
			}
		}
	}
	return out
}

func expectNoCopies(t *testing.T, m *driver.Imsd) {
	t.Helper()
	for _, im := range copies(t, m) {
		t.Errorf("image left in imsd after destroy: %v %v", im["id"], im["name"])
	}
}

// expectImage checks the image behind a state instance exists in imsd with
// the given fields.
func expectImage(t *testing.T, m *driver.Imsd, region, id string, fields map[string]interface{}) driver.Image {
	t.Helper()
	im, err := m.GetImage(region, id)
	if err != nil {
		t.Fatal(err)
	}
	if im == nil {
		t.Fatalf("image %s not found in imsd region %s", id, region)
	}
	for k, want := range fields {
		got := im[k]
		if f, ok := got.(float64); ok {
			got = int(f)
		}
		if got != want {
			t.Errorf("imsd image %s: %s = %v, want %v", id, k, im[k], want)
		}
	}
	return im
}

func TestScenarioSpecExampleWithinRegion(t *testing.T) {
	m := startImsd(t)
	w := newWorkspace(t, m, "scenarios/spec-within.tf")
	p := w.plan()
	w.expectActions(p, map[string]driver.Action{one: driver.Create})
	// The create plan: configured values known, region defaulted to the
	// provider's, every other computed attribute unknown.
	planned := p.Changes[one].Planned
	if r := planned.GetAttr("region"); !r.IsKnown() || r.IsNull() || r.AsString() != driver.SeedRegion {
		t.Errorf("planned region %#v, want the provider's %q", r, driver.SeedRegion)
	}
	for _, name := range []string{"id", "status", "created_at", "image_size"} {
		if planned.GetAttr(name).IsKnown() {
			t.Errorf("planned %s is known (%#v) before the copy exists", name, planned.GetAttr(name))
		}
	}
	for name, want := range map[string]string{"name": "spec-within-copy", "source_image_id": driver.SeedImage, "kms_key_id": driver.SeedKMSKey} {
		if v := planned.GetAttr(name); !v.IsKnown() || v.IsNull() || v.AsString() != want {
			t.Errorf("planned %s = %#v, want %q", name, v, want)
		}
	}
	res := w.applyPlan(p, driver.ApplyOptions{})
	if err := res.Err(); err != nil {
		t.Fatal(err)
	}
	id := w.expectComplete(one, driver.SeedRegion, driver.SeedImage)
	w.expectState(one, map[string]interface{}{"name": "spec-within-copy", "kms_key_id": driver.SeedKMSKey,
		"source_image_id": driver.SeedImage, "target_region": nil, "agency_name": nil, "vault_id": nil})
	expectImage(t, m, driver.SeedRegion, id, map[string]interface{}{"name": "spec-within-copy", "__system__cmkid": driver.SeedKMSKey})
	w.refresh()
	w.expectEmptyPlan()
	w.destroy()
	expectNoCopies(t, m)
}

func TestScenarioSpecExampleCrossRegion(t *testing.T) {
	m := startImsd(t)
	w := newWorkspace(t, m, "scenarios/spec-cross.tf")
	w.converge(map[string]driver.Action{one: driver.Create})
	id := driver.Str(w.typed(one), "id")
	w.expectState(one, map[string]interface{}{"name": "spec-cross-copy", "region": driver.SeedRegion,
		"target_region": driver.SeedRegion2, "agency_name": driver.SeedAgency, "kms_key_id": nil})
	expectImage(t, m, driver.SeedRegion2, id, map[string]interface{}{"name": "spec-cross-copy"})
	if im, _ := m.GetImage(driver.SeedRegion, id); im != nil {
		t.Errorf("cross-region copy %s also appears in the source region", id)
	}
	w.destroy()
	expectNoCopies(t, m)
}

func TestScenarioEveryArgument(t *testing.T) {
	m := startImsd(t)
	w := newWorkspace(t, m, "scenarios/full.tf")
	within := "huaweicloud_images_image_copy.within"
	cross := "huaweicloud_images_image_copy.cross"
	w.converge(map[string]driver.Action{within: driver.Create, cross: driver.Create})
	w.expectState(within, map[string]interface{}{
		"region": "cn-north-4", "name": "full-within", "description": "every argument, within the region",
		"kms_key_id": driver.SeedKMSKey2, "enterprise_project_id": driver.SeedEPS, "min_ram": 1024, "max_ram": 8192,
		"tags": map[string]string{"team": "platform", "env": "production"},
	})
	w.expectComplete(within, "cn-north-4", driver.SeedImage)
	w.expectState(cross, map[string]interface{}{
		"region": "cn-north-4", "target_region": "cn-south-1", "agency_name": driver.SeedAgency,
		"vault_id": driver.SeedVault, "min_ram": 2048, "max_ram": 4096, "tags": map[string]string{"kind": "whole"},
	})
	tm := w.typed(within).GetAttr("timeouts")
	if tm.IsNull() || driver.Str(tm, "create") != "30m" || driver.Str(tm, "delete") != "5m" {
		t.Errorf("timeouts in state = %#v, want the configured block", tm)
	}
	wid := driver.Str(w.typed(within), "id")
	expectImage(t, m, "cn-north-4", wid, map[string]interface{}{"name": "full-within", "min_ram": 1024,
		"enterprise_project_id": driver.SeedEPS, "__description": "every argument, within the region"})
	w.destroy()
	expectNoCopies(t, m)
}

// Values unknown at plan time (from other resources, in real life): the
// plan keeps them unknown, the apply gets them known, the final plan and
// the result must agree with the plan.
func TestScenarioUnknownAtPlanTime(t *testing.T) {
	m := startImsd(t)
	w := newWorkspace(t, m, "scenarios/copy.tf")
	w.set(map[string]interface{}{"name": cty.UnknownVal(cty.String), "description": cty.UnknownVal(cty.String),
		"tags": cty.UnknownVal(cty.Map(cty.String))})
	p := w.plan()
	w.expectActions(p, create)
	planned := p.Changes[c0].Planned
	for _, a := range []string{"name", "description", "tags"} {
		if planned.GetAttr(a).IsKnown() {
			t.Errorf("planned %s is known (%#v) though the configuration is not", a, planned.GetAttr(a))
		}
	}
	w.set(map[string]interface{}{"name": "known-later", "description": "now known", "tags": map[string]string{"k": "v"}})
	if err := w.applyPlan(p, driver.ApplyOptions{}).Err(); err != nil {
		t.Fatal(err)
	}
	w.expectState(c0, map[string]interface{}{"name": "known-later", "description": "now known", "tags": map[string]string{"k": "v"}})
	w.expectEmptyPlan()

	// An update whose new value is unknown at plan time.
	w.set(map[string]interface{}{"name": cty.UnknownVal(cty.String)})
	p = w.plan()
	w.expectActions(p, map[string]driver.Action{c0: driver.Update})
	w.set(map[string]interface{}{"name": "renamed-later"})
	if err := w.applyPlan(p, driver.ApplyOptions{}).Err(); err != nil {
		t.Fatal(err)
	}
	w.expectState(c0, map[string]interface{}{"name": "renamed-later"})
	w.expectEmptyPlan()
	w.destroy()
	expectNoCopies(t, m)
}

// The runnable examples under examples/, as a user runs them against imsd:
// apply, refresh, an empty plan, destroy.
// usesDataSources: the example has a data block, which this driver does not evaluate (no
// cross-block references); tests/e2e/datasources.sh runs those examples with the real client.
func usesDataSources(tfs []string) bool {
	for _, f := range tfs {
		if b, err := os.ReadFile(f); err == nil && strings.Contains(string(b), "\ndata \"") {
			return true
		}
	}
	return false
}

func TestScenarioExamples(t *testing.T) {
	dirs, _ := filepath.Glob(testdata("..", "..", "..", "examples", "*"))
	var found []string
	for _, d := range dirs {
		if tfs, _ := filepath.Glob(filepath.Join(d, "*.tf")); len(tfs) > 0 && !usesDataSources(tfs) {
			found = append(found, d)
		}
	}
	if len(found) == 0 {
		t.Skip("no examples/*/ configurations")
	}
	for _, d := range found {
		t.Run(filepath.Base(d), func(t *testing.T) {
			m := startImsd(t)
			w := newWorkspace(t, m, "")
			w.files, _ = filepath.Glob(filepath.Join(d, "*.tf"))
			p := w.plan()
			want := map[string]driver.Action{}
			for a := range p.Changes {
				want[a] = driver.Create
			}
			if len(want) == 0 {
				t.Fatal("the example plans nothing")
			}
			w.converge(want)
			for a := range want {
				w.expectComplete(a, driver.Str(w.typed(a), "region"), driver.Str(w.typed(a), "source_image_id"))
			}
			w.destroy()
			expectNoCopies(t, m)
		})
	}
}

// Each updatable argument changed alone: an in-place update, the same ID,
// the new value in imsd, then an empty plan.
func TestScenarioInPlaceUpdates(t *testing.T) {
	m := startImsd(t)
	w := newWorkspace(t, m, "scenarios/copy.tf")
	w.set(map[string]interface{}{"description": "first", "min_ram": 512, "max_ram": 4096, "tags": map[string]string{"a": "1"}})
	w.converge(create)
	id := driver.Str(w.typed(c0), "id")
	steps := []struct {
		name  string
		value interface{}
		imsd  map[string]interface{}
	}{
		{"name", "renamed-copy", map[string]interface{}{"name": "renamed-copy"}},
		{"description", "second", map[string]interface{}{"__description": "second"}},
		{"min_ram", 1024, map[string]interface{}{"min_ram": 1024}},
		{"max_ram", 8192, nil},
		{"enterprise_project_id", driver.SeedEPS2, map[string]interface{}{"enterprise_project_id": driver.SeedEPS2}},
		{"tags", map[string]string{"a": "2"}, nil},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			w.t = t
			w.set(map[string]interface{}{s.name: s.value})
			p := w.converge(map[string]driver.Action{c0: driver.Update})
			if rr := p.Changes[c0].RequiresReplace; len(rr) > 0 {
				t.Errorf("update of %s reported requires_replace %v", s.name, rr)
			}
			// An update keeps what it cannot change: no needless
			// "(known after apply)" on attributes the update never touches.
			ch := p.Changes[c0]
			for _, a := range []string{"id", "region", "source_image_id", "created_at", "data_origin", "image_size", "disk_format", "__os_type", "min_disk"} {
				if !ch.Planned.GetAttr(a).RawEquals(ch.Prior.GetAttr(a)) {
					t.Errorf("update of %s plans %s = %#v (prior %#v)", s.name, a, ch.Planned.GetAttr(a), ch.Prior.GetAttr(a))
				}
			}
			w.expectState(c0, map[string]interface{}{s.name: s.value, "id": id})
			expectImage(t, m, driver.SeedRegion, id, s.imsd)
		})
	}
	w.t = t
	w.destroy()
	expectNoCopies(t, m)
}

// Each force-new argument changed alone: a replacement, with the argument
// in requires_replace, a new image, the old one gone.
func TestScenarioReplacement(t *testing.T) {
	m := startImsd(t)
	w := newWorkspace(t, m, "scenarios/copy.tf")
	w.set(map[string]interface{}{"kms_key_id": driver.SeedKMSKey})
	w.converge(create)
	steps := []struct {
		arg    string
		set    map[string]interface{}
		region string // where the new copy lives
	}{
		{"source_image_id", map[string]interface{}{"source_image_id": driver.SeedDataImage}, "cn-north-4"},
		{"kms_key_id", map[string]interface{}{"kms_key_id": driver.SeedKMSKey2}, "cn-north-4"},
		{"region", map[string]interface{}{"copy_region": "cn-south-1", "source_image_id": driver.SeedSouthImg,
			"kms_key_id": "7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d11"}, "cn-south-1"},
		{"target_region", map[string]interface{}{"copy_region": nil, "source_image_id": driver.SeedImage, "kms_key_id": nil,
			"target_region": "cn-south-1", "agency_name": driver.SeedAgency}, "cn-south-1"},
		{"target_region", map[string]interface{}{"target_region": "ap-southeast-1"}, "ap-southeast-1"},
	}
	for i, s := range steps {
		t.Run(s.arg+"_"+string(rune('a'+i)), func(t *testing.T) {
			w.t = t
			old := w.typed(c0)
			oldID, oldRegion := driver.Str(old, "id"), driver.Str(old, "target_region")
			if oldRegion == "" {
				oldRegion = driver.Str(old, "region")
			}
			w.set(s.set)
			p := w.converge(map[string]driver.Action{c0: driver.Replace})
			found := false
			for _, rr := range p.Changes[c0].RequiresReplace {
				if rr.String() == s.arg {
					found = true
				}
			}
			if !found {
				t.Errorf("requires_replace %v does not name %s", p.Changes[c0].RequiresReplace, s.arg)
			}
			newID := driver.Str(w.typed(c0), "id")
			if newID == oldID {
				t.Errorf("replacement kept image ID %s", oldID)
			}
			expectImage(t, m, s.region, newID, nil)
			if im, _ := m.GetImage(oldRegion, oldID); im != nil {
				t.Errorf("replaced image %s still in imsd", oldID)
			}
		})
	}
	// agency_name and vault_id cannot change to anything imsd accepts:
	// check the plan only.
	w.t = t
	for arg, val := range map[string]string{"agency_name": "other_agency", "vault_id": "8c3a2d4e-5f6b-4c7d-8e9f-0a1b2c3d4e21"} {
		saved := w.vars[arg]
		w.set(map[string]interface{}{arg: val})
		if arg == "vault_id" {
			w.set(map[string]interface{}{"target_region": "ap-southeast-1"})
		}
		p := w.plan()
		w.expectActions(p, map[string]driver.Action{c0: driver.Replace})
		found := false
		for _, rr := range p.Changes[c0].RequiresReplace {
			if rr.String() == arg {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: requires_replace %v does not name it", arg, p.Changes[c0].RequiresReplace)
		}
		w.set(map[string]interface{}{arg: saved})
	}
	w.destroy()
	expectNoCopies(t, m)
}

func TestScenarioTags(t *testing.T) {
	m := startImsd(t)
	w := newWorkspace(t, m, "scenarios/copy.tf")
	w.converge(create)
	// tags is computed: a copy made without them records the none it has.
	w.expectState(c0, map[string]interface{}{"tags": map[string]string{}})
	for _, step := range []struct {
		name string
		tags interface{}
	}{
		{"added", map[string]string{"env": "dev"}},
		{"changed", map[string]string{"env": "prod", "team": "core"}},
		{"one_removed", map[string]string{"team": "core"}},
		{"all_removed_empty_map", map[string]string{}},
		{"absent", nil},
	} {
		t.Run(step.name, func(t *testing.T) {
			w.t = t
			before := w.typed(c0).GetAttr("tags")
			w.set(map[string]interface{}{"tags": step.tags})
			p := w.plan()
			// Empty and absent tags are the same to the API: moving between
			// them may plan an update but must converge.
			if ch := p.Changes[c0]; ch.Action != driver.Update && ch.Action != driver.NoOp {
				t.Errorf("tags %s: planned %s", step.name, ch.Action)
			}
			_ = before
			res := w.applyPlan(p, driver.ApplyOptions{})
			if err := res.Err(); err != nil {
				t.Fatal(err)
			}
			w.refresh()
			w.expectEmptyPlan()
			got := w.typed(c0).GetAttr("tags")
			want := toCty(step.tags)
			if step.tags == nil {
				// Optional+Computed as in the official schema: leaving tags out keeps
				// what the copy has, here none.
				if !got.IsNull() && got.LengthInt() != 0 {
					t.Errorf("tags = %#v, want none", got)
				}
			} else if got.IsNull() || !got.Equals(want).True() {
				t.Errorf("tags = %#v, want %#v", got, want)
			}
		})
	}
	w.t = t
	w.destroy()
	expectNoCopies(t, m)
}

// Unset optional arguments and empty ones must not cause perpetual diffs.
func TestScenarioNoPerpetualDiff(t *testing.T) {
	m := startImsd(t)
	w := newWorkspace(t, m, "scenarios/copy.tf")
	w.set(map[string]interface{}{"description": "", "tags": map[string]string{}})
	w.converge(create)
	w.set(map[string]interface{}{"description": nil, "tags": nil})
	p := w.plan()
	if ch := p.Changes[c0]; ch.Action == driver.Replace {
		t.Errorf("unsetting empty description/tags plans a replacement")
	}
	w.applyPlan(p, driver.ApplyOptions{})
	w.refresh()
	w.expectEmptyPlan()
	w.destroy()
	expectNoCopies(t, m)
}

// The image is deleted outside Terraform: refresh drops it, the plan
// recreates it, then all is quiet again.
func TestScenarioDriftRecreate(t *testing.T) {
	m := startImsd(t)
	w := newWorkspace(t, m, "scenarios/copy.tf")
	w.converge(create)
	id := driver.Str(w.typed(c0), "id")
	if err := m.DeleteImage(driver.SeedRegion, id); err != nil {
		t.Fatal(err)
	}
	waitGone(t, m, driver.SeedRegion, id)
	w.converge(create)
	if nid := driver.Str(w.typed(c0), "id"); nid == id || nid == "" {
		t.Errorf("recreated image has ID %q (old %q)", nid, id)
	}
	w.destroy()
	expectNoCopies(t, m)
}

func waitGone(t *testing.T, m *driver.Imsd, region, id string) {
	t.Helper()
	for i := 0; i < 100; i++ {
		im, err := m.GetImage(region, id)
		if err != nil {
			t.Fatal(err)
		}
		if im == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("image %s never disappeared from imsd", id)
}

// Import a copy made elsewhere (here: by another workspace), then plan with
// the matching configuration.
func TestScenarioImportWithinRegion(t *testing.T) {
	m := startImsd(t)
	src := newWorkspace(t, m, "scenarios/copy.tf")
	src.set(map[string]interface{}{"kms_key_id": driver.SeedKMSKey, "description": "imported", "min_ram": 1024,
		"enterprise_project_id": driver.SeedEPS, "tags": map[string]string{"k": "v"}})
	src.converge(create)
	id := driver.Str(src.typed(c0), "id")

	for _, form := range []string{id, driver.SeedRegion + "/" + id} {
		t.Run(strings.ReplaceAll(form, "/", "_"), func(t *testing.T) {
			w := newWorkspace(t, m, "scenarios/import.tf")
			w.set(src.vars)
			res := driver.Import(w.env, w.config(), w.st, c0, driver.ResourceType, form)
			if err := res.Err(); err != nil {
				t.Fatalf("import %s: %v", form, err)
			}
			w.expectState(c0, map[string]interface{}{"id": id, "region": driver.SeedRegion,
				"source_image_id": driver.SeedImage, "kms_key_id": driver.SeedKMSKey, "min_ram": 1024,
				"description": "imported", "enterprise_project_id": driver.SeedEPS, "tags": map[string]string{"k": "v"}})
			w.expectEmptyPlan()
		})
	}
	src.destroy()
	expectNoCopies(t, m)
}

// A cross-region copy imported as <region>/<id>: the API cannot return
// agency_name or vault_id, so the plan may only touch those, in place.
func TestScenarioImportCrossRegion(t *testing.T) {
	m := startImsd(t)
	src := newWorkspace(t, m, "scenarios/copy.tf")
	src.set(map[string]interface{}{"target_region": "cn-south-1", "agency_name": driver.SeedAgency, "name": "cross-import"})
	src.converge(create)
	id := driver.Str(src.typed(c0), "id")

	w := newWorkspace(t, m, "scenarios/import.tf")
	w.set(src.vars)
	res := driver.Import(w.env, w.config(), w.st, c0, driver.ResourceType, "cn-south-1/"+id)
	if err := res.Err(); err != nil {
		t.Fatalf("import: %v", err)
	}
	w.expectState(c0, map[string]interface{}{"id": id, "region": driver.SeedRegion, "target_region": "cn-south-1",
		"source_image_id": driver.SeedImage, "name": "cross-import"})
	p := w.plan()
	if ch := p.Changes[c0]; ch.Action != driver.NoOp {
		if ch.Action != driver.Update {
			t.Fatalf("plan after import: %s%s", ch.Action, diffText(ch))
		}
		for name := range ch.Planned.Type().AttributeTypes() {
			if name == "agency_name" || name == "vault_id" {
				continue
			}
			if !ch.Prior.GetAttr(name).RawEquals(ch.Planned.GetAttr(name)) {
				t.Errorf("plan after import changes %s%s", name, diffText(ch))
			}
		}
		w.applyPlan(p, driver.ApplyOptions{})
		w.refresh()
		w.expectEmptyPlan()
	}
	if nid := driver.Str(w.typed(c0), "id"); nid != id {
		t.Errorf("image ID changed after import: %s → %s", id, nid)
	}
	// Destroy through the importing workspace; the source workspace's state
	// now refers to a deleted image and refreshes to nothing.
	w.destroy()
	src.refresh()
	if left := src.st.Addrs(); len(left) > 0 {
		t.Errorf("refresh kept a deleted image: %v", left)
	}
	expectNoCopies(t, m)
}

func TestScenarioImportNonexistent(t *testing.T) {
	m := startImsd(t)
	w := newWorkspace(t, m, "scenarios/copy.tf")
	res := driver.Import(w.env, w.config(), w.st, c0, driver.ResourceType, "00000000-0000-4000-8000-000000000000")
	if res.ViolationErr() != nil {
		t.Fatal(res.ViolationErr())
	}
	if !res.HasErrors() {
		t.Error("importing an image that does not exist succeeded")
	}
	if len(w.st.Addrs()) != 0 {
		t.Errorf("a nonexistent import left state: %v", w.st.Addrs())
	}
}

// A copy job that FAILs: an error naming the service's reason, no state.
func TestScenarioJobFailure(t *testing.T) {
	m := startImsd(t)
	w := newWorkspace(t, m, "scenarios/copy.tf")
	w.set(map[string]interface{}{"name": "doomed-fail"})
	p := w.plan()
	w.expectActions(p, create)
	res := w.applyPlan(p, driver.ApplyOptions{})
	d := res.Diags[c0]
	if !d.HasErrors() {
		t.Fatal("a failing copy job applied without error")
	}
	// imsd's failing job carries fail_reason "IMG.0180: the image copy
	// failed in the storage backend ...": the user must see it.
	if text := d.Err().Error(); !strings.Contains(text, "IMG.0180") || !strings.Contains(text, "storage backend") {
		t.Errorf("the error does not carry the service's reason: %s", d)
	}
	if left := w.st.Addrs(); len(left) > 0 {
		t.Errorf("a failed job left state: %v", left)
	}
	expectNoCopies(t, m)
}

// A create that outlives timeouts.create: the error names the image, the
// state keeps it (tainted), the next plan replaces it, destroy removes it.
func TestScenarioCreateTimeout(t *testing.T) {
	m := startImsd(t)
	w := newWorkspace(t, m, "scenarios/copy.tf")
	w.set(map[string]interface{}{"source_image_id": driver.SeedLargeImg, "name": "slow-copy", "create_timeout": "1s"})
	p := w.plan()
	w.expectActions(p, create)
	res := w.applyPlan(p, driver.ApplyOptions{})
	d := res.Diags[c0]
	if !d.HasErrors() {
		t.Fatal("a copy of 100 GiB finished within timeouts.create = 1s")
	}
	is := w.st.Get(c0)
	if is == nil {
		t.Fatal("the timed-out copy is not in the state: it is orphaned")
	}
	if !is.Tainted {
		t.Error("the timed-out copy is not tainted")
	}
	id := driver.Str(w.typed(c0), "id")
	if id == "" {
		t.Fatal("the timed-out copy has no ID in state")
	}
	if !strings.Contains(d.Err().Error(), id) {
		t.Errorf("the error does not name image %s: %s", id, d)
	}
	w.set(map[string]interface{}{"create_timeout": nil, "source_image_id": driver.SeedLargeImg})
	p = w.plan()
	w.expectActions(p, map[string]driver.Action{c0: driver.Replace})
	destroyWhileCopying(t, w, m, id)
}

// destroyWhileCopying destroys a copy whose job may still run. The delete
// may wait for it or fail, but a failure must keep the instance in state
// (and say why); once the copy is active, destroy must succeed.
func destroyWhileCopying(t *testing.T, w *workspace, m *driver.Imsd, id string) {
	t.Helper()
	p, err := driver.MakePlan(w.env, w.config(), w.st, driver.PlanOptions{Destroy: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Result.Err(); err != nil {
		t.Fatalf("destroy plan: %v", err)
	}
	res := w.applyPlan(p, driver.ApplyOptions{})
	if res.HasErrors() {
		t.Logf("destroy while the copy runs failed: %v", res.Err())
		if w.st.Get(c0) == nil {
			t.Fatal("a failed destroy dropped the instance from state")
		}
		if !strings.Contains(res.Err().Error(), id) {
			t.Errorf("the destroy error does not name image %s", id)
		}
		waitActive(t, m, driver.SeedRegion, id)
		w.destroy()
	}
	waitNoCopies(t, m)
}

func waitActive(t *testing.T, m *driver.Imsd, region, id string) {
	t.Helper()
	for i := 0; i < 600; i++ {
		im, err := m.GetImage(region, id)
		if err != nil {
			t.Fatal(err)
		}
		if im == nil || im["status"] == "active" {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("image %s never became active", id)
}

func waitNoCopies(t *testing.T, m *driver.Imsd) {
	t.Helper()
	for i := 0; i < 100 && len(copies(t, m)) > 0; i++ {
		time.Sleep(100 * time.Millisecond)
	}
	expectNoCopies(t, m)
}

// StopProvider while Apply waits for the job: the apply ends with an error,
// the image is kept in state (tainted), nothing is orphaned.
func TestScenarioStopProviderDuringWait(t *testing.T) {
	m := startImsd(t)
	w := newWorkspace(t, m, "scenarios/copy.tf")
	w.set(map[string]interface{}{"source_image_id": driver.SeedLargeImg, "name": "interrupted-copy"})
	p := w.plan()
	sent := make(chan struct{})
	stopped := make(chan error, 1)
	res := w.applyPlan(p, driver.ApplyOptions{OnSession: func(s *driver.Session) {
		// Wait until the copy is under way in imsd, then interrupt.
		for i := 0; i < 300; i++ {
			imgs, _ := m.ListImages(driver.SeedRegion, "name=interrupted-copy")
			if len(imgs) > 0 {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		close(sent)
		msg, err := s.Stop()
		if err == nil && msg != "" {
			err = fmt.Errorf("StopProvider answered %q", msg)
		}
		stopped <- err
	}})
	select {
	case <-sent:
	default:
		t.Fatal("apply finished before StopProvider was sent (the copy was not slow enough)")
	}
	select {
	case err := <-stopped:
		// The phase may end (and the connection close) before the answer
		// to StopProvider arrives; Terraform ignores that answer anyway.
		if err != nil && status.Code(err) != codes.Unavailable && status.Code(err) != codes.Canceled {
			t.Errorf("StopProvider: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Error("StopProvider never returned")
	}
	if !res.HasErrors() {
		t.Fatal("an interrupted apply reported success")
	}
	is := w.st.Get(c0)
	if is == nil {
		t.Fatal("the interrupted copy is not in state: it is orphaned")
	}
	if !is.Tainted {
		t.Error("the interrupted copy is not tainted")
	}
	id := driver.Str(w.typed(c0), "id")
	if id == "" {
		t.Fatal("the interrupted copy has no ID in state")
	}
	if !strings.Contains(res.Err().Error(), id) {
		t.Errorf("the error does not name image %s: %v", id, res.Err())
	}
	destroyWhileCopying(t, w, m, id)
}

// 5xx and 429 answers during apply. 429 is always safe to retry and 5xx on
// reads too: those applies must succeed. A 500 on the copy request itself
// may fail the apply, but must leave nothing behind, and the next apply
// must work.
func TestScenarioServerErrorsAndThrottling(t *testing.T) {
	m := startImsd(t, "--admin")
	w := newWorkspace(t, m, "scenarios/copy.tf")
	steps := []struct {
		name   string
		faults map[string]interface{}
	}{
		{"503_while_polling_the_job", map[string]interface{}{"error_rate": 1.0, "throttle_rate": 0.0, "error_status": 503, "retry_after_s": 0, "budget": 3, "path_pattern": "*/job*/*"}},
		{"429_on_update", map[string]interface{}{"error_rate": 0.0, "throttle_rate": 1.0, "retry_after_s": 0, "budget": 3, "path_pattern": "*/v2/cloudimages/*"}},
		{"500_on_reads", map[string]interface{}{"error_rate": 1.0, "throttle_rate": 0.0, "error_status": 500, "retry_after_s": 0, "budget": 2, "path_pattern": "*/v2/cloudimages*"}},
	}
	for i, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			w.t = t
			if err := m.SetFaults(step.faults); err != nil {
				t.Fatalf("setting faults: %v", err)
			}
			w.set(map[string]interface{}{"description": "step " + string(rune('a'+i))})
			w.converge(map[string]driver.Action{c0: w.nextAction()})
			expectFaultsSpent(t, m)
		})
	}
	w.t = t
	t.Run("500_on_copy_request", func(t *testing.T) {
		w.t = t
		w.destroy()
		if err := m.SetFaults(map[string]interface{}{"error_rate": 1.0, "throttle_rate": 0.0, "error_status": 500, "budget": 1, "path_pattern": "*/copy"}); err != nil {
			t.Fatal(err)
		}
		p := w.plan()
		res := w.applyPlan(p, driver.ApplyOptions{})
		expectFaultsSpent(t, m)
		if res.HasErrors() {
			if left := w.st.Addrs(); len(left) > 0 {
				t.Errorf("a refused copy request left state: %v", left)
			}
			expectNoCopies(t, m)
			w.converge(create)
		}
	})
	w.t = t
	t.Run("429_on_copy_request", func(t *testing.T) {
		w.t = t
		w.destroy()
		if err := m.SetFaults(map[string]interface{}{"error_rate": 0.0, "throttle_rate": 1.0, "retry_after_s": 0, "budget": 2, "path_pattern": "*/copy"}); err != nil {
			t.Fatal(err)
		}
		w.converge(create)
		expectFaultsSpent(t, m)
	})
	w.t = t
	if err := m.SetFaults(map[string]interface{}{"error_rate": 0, "throttle_rate": 0, "budget": -1, "path_pattern": ""}); err != nil {
		t.Fatal(err)
	}
	w.destroy()
	expectNoCopies(t, m)
}

// expectFaultsSpent checks that every injected fault was actually served.
func expectFaultsSpent(t *testing.T, m *driver.Imsd) {
	t.Helper()
	f, err := m.Faults()
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := f["budget"].(float64); b != 0 {
		t.Errorf("fault budget left: %v (the faults were not exercised)", f["budget"])
	}
}

// nextAction is Create when the state is empty, else Update.
func (w *workspace) nextAction() driver.Action {
	if len(w.st.Addrs()) == 0 {
		return driver.Create
	}
	return driver.Update
}

// Ten copies at once (Terraform's default parallelism), then destroy.
func TestScenarioTenConcurrent(t *testing.T) {
	m := startImsd(t)
	w := newWorkspace(t, m, "scenarios/copy.tf")
	w.set(map[string]interface{}{"instances": 10, "name": "parallel"})
	want := map[string]driver.Action{}
	for i := 0; i < 10; i++ {
		want[addrN(i)] = driver.Create
	}
	w.converge(want)
	ids := map[string]bool{}
	for i := 0; i < 10; i++ {
		id := w.expectComplete(addrN(i), driver.SeedRegion, driver.SeedImage)
		ids[id] = true
		w.expectState(addrN(i), map[string]interface{}{"name": "parallel-" + string(rune('0'+i))})
	}
	if len(ids) != 10 {
		t.Errorf("%d distinct image IDs for 10 copies", len(ids))
	}
	if n := len(copies(t, m)); n != 10 {
		t.Errorf("imsd holds %d copies, want 10", n)
	}
	w.destroy()
	expectNoCopies(t, m)
}

func addrN(i int) string {
	return "huaweicloud_images_image_copy.test[" + string(rune('0'+i)) + "]"
}

// State written by the Go provider (schema version 0, "" for unset strings,
// timeouts and the deprecated checksum) upgrades cleanly: the next plan
// keeps the image.
func TestScenarioUpgradeGoProviderState(t *testing.T) {
	m := startImsd(t)
	w := newWorkspace(t, m, "scenarios/copy.tf")
	w.converge(create)
	is := w.st.Get(c0)
	var attrs map[string]interface{}
	if err := json.Unmarshal(is.JSON, &attrs); err != nil {
		t.Fatal(err)
	}
	// Reshape to what SDKv2 stored: every unset string "", timeouts null,
	// checksum present.
	for k, v := range attrs {
		if v == nil && k != "timeouts" && k != "tags" && k != "min_ram" && k != "max_ram" {
			attrs[k] = ""
		}
	}
	attrs["timeouts"] = nil
	attrs["checksum"] = ""
	goJSON, _ := json.Marshal(attrs)
	w.st.Instances[c0] = &driver.InstanceState{Type: is.Type, SchemaVersion: 0, JSON: goJSON, Private: nil}
	p := w.plan()
	if ch := p.Changes[c0]; ch.Action == driver.Replace || ch.Action == driver.Create {
		t.Fatalf("Go provider state planned %s%s", ch.Action, diffText(ch))
	}
	w.applyPlan(p, driver.ApplyOptions{})
	w.refresh()
	w.expectEmptyPlan()
	w.destroy()
	expectNoCopies(t, m)
}

var _ = cty.NilVal
