package suite

import (
	"encoding/json"
	"fmt"
	"testing"

	"hwims/conformance/driver"
)

// The provider's default_tags and ignore_tags through plan, apply and re-plan, with the
// official semantics: every copy gets the defaults, the resource's own tag wins on the same
// key, and a key managed outside Terraform (ignored) is never shown as a change nor removed.
// Terraform holds a configured value to the configuration, so state has the configured tags
// (the defaults when none are configured) and the copy has the defaults besides.
func TestScenarioDefaultAndIgnoredTags(t *testing.T) {
	m := startImsd(t)
	w := newWorkspace(t, m, "scenarios/copy.tf")
	w.files = []string{testdata("provider_tags.tf"), testdata("scenarios", "copy.tf")}
	w.set(map[string]interface{}{
		"name":         "default-tags",
		"default_tags": map[string]string{"team": "core", "env": "dev"},
		"ignore_tags":  []string{"owner"},
		"tags":         map[string]string{"env": "prod"},
	})
	w.converge(create)
	w.expectState(c0, map[string]interface{}{"tags": map[string]string{"env": "prod"}})
	id := driver.Str(w.typed(c0), "id")
	expectImageTags(t, m, id, map[string]string{"team": "core", "env": "prod"})

	// A tag someone else manages appears on the copy: ignored, it is no change.
	tagImage(t, m, id, "create", map[string]string{"owner": "ops"})
	w.refresh()
	w.expectState(c0, map[string]interface{}{"tags": map[string]string{"env": "prod"}})
	w.expectEmptyPlan()

	// A default changes: one update moves it on the copy; the ignored tag stays.
	w.set(map[string]interface{}{"default_tags": map[string]string{"team": "platform", "env": "dev"}})
	w.refresh()
	w.apply(map[string]driver.Action{c0: driver.Update})
	w.refresh()
	w.expectEmptyPlan()
	expectImageTags(t, m, id, map[string]string{"team": "platform", "env": "prod", "owner": "ops"})

	// The resource sets no tags: the plan gives it the defaults, and nothing else moves.
	w.set(map[string]interface{}{"tags": nil})
	p := w.plan()
	if got := p.Changes[c0].Planned.GetAttr("tags"); !got.RawEquals(toCty(map[string]string{"team": "platform", "env": "dev"})) {
		t.Errorf("planned tags %#v, want the defaults", got)
	}
	w.applyPlan(p, driver.ApplyOptions{})
	w.refresh()
	w.expectEmptyPlan()
	w.expectState(c0, map[string]interface{}{"tags": map[string]string{"team": "platform", "env": "dev"}})
	expectImageTags(t, m, id, map[string]string{"team": "platform", "env": "dev", "owner": "ops"})

	// A default goes away: the copy loses it.
	w.set(map[string]interface{}{"default_tags": map[string]string{"env": "dev"}, "tags": map[string]string{"env": "dev"}})
	w.refresh()
	w.apply(map[string]driver.Action{c0: driver.Update})
	w.refresh()
	w.expectEmptyPlan()
	expectImageTags(t, m, id, map[string]string{"env": "dev", "owner": "ops"})
	w.destroy()
	expectNoCopies(t, m)
}

// The copy id in cn-north-4 has exactly the tags want.
func expectImageTags(t *testing.T, m *driver.Imsd, id string, want map[string]string) {
	t.Helper()
	if got := imageTags(t, m, id); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the copy has tags %v, want %v", got, want)
	}
}

// The tags of image id in cn-north-4, as the API lists them.
func imageTags(t *testing.T, m *driver.Imsd, id string) map[string]string {
	t.Helper()
	status, body, err := m.Do("GET", "/cn-north-4/v2/"+driver.SeedProject+"/images/"+id+"/tags", driver.SeedProject, nil)
	if err != nil || status != 200 {
		t.Fatalf("tags of %s: %d %s %v", id, status, body, err)
	}
	var doc struct {
		Tags []struct{ Key, Value string } `json:"tags"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, tg := range doc.Tags {
		out[tg.Key] = tg.Value
	}
	return out
}

// Tag image id in cn-north-4 outside Terraform (action "create" or "delete").
func tagImage(t *testing.T, m *driver.Imsd, id, action string, tags map[string]string) {
	t.Helper()
	var list []map[string]string
	for k, v := range tags {
		list = append(list, map[string]string{"key": k, "value": v})
	}
	status, body, err := m.Do("POST", "/cn-north-4/v2/"+driver.SeedProject+"/images/"+id+"/tags/action",
		driver.SeedProject, map[string]interface{}{"action": action, "tags": list})
	if err != nil || status != 204 {
		t.Fatalf("tagging %s: %d %s %v", id, status, body, err)
	}
}
