package suite

// A workspace is one Terraform working directory: a configuration file, a
// state, an imsd. Its methods are the commands a user runs, each checked as
// Terraform checks it, plus the scenario assertions on plans and state.

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"hwims/conformance/driver"
)

type workspace struct {
	t     *testing.T
	env   driver.Env
	m     *driver.Imsd
	st    *driver.State
	file  string
	files []string // instead of file + the shared provider block
	vars  map[string]interface{}
}

func newWorkspace(t *testing.T, m *driver.Imsd, file string) *workspace {
	w := &workspace{t: t, env: env(t), m: m, st: driver.NewState(), file: file, vars: map[string]interface{}{}}
	t.Cleanup(func() {
		if t.Failed() {
			w.dumpState()
		}
	})
	return w
}

func (w *workspace) dumpState() {
	for _, a := range w.st.Addrs() {
		is := w.st.Get(a)
		w.t.Logf("state %s (tainted=%v, private %d bytes): %s", a, is.Tainted, len(is.Private), is.JSON)
	}
}

// set changes variables for the next commands (nil unsets a variable).
func (w *workspace) set(kv map[string]interface{}) *workspace {
	for k, v := range kv {
		w.vars[k] = v
	}
	return w
}

func (w *workspace) config() *driver.Config {
	if w.files != nil {
		cfg, err := driver.LoadConfigFiles(vars(w.m, w.vars), w.files...)
		if err != nil {
			w.t.Fatal(err)
		}
		return cfg
	}
	return load(w.t, w.m, w.file, w.vars)
}

// plan runs `terraform plan` and fails the test on any Terraform-check
// violation or error diagnostic.
func (w *workspace) plan() *driver.Plan {
	w.t.Helper()
	p, err := driver.MakePlan(w.env, w.config(), w.st, driver.PlanOptions{})
	if err != nil {
		w.t.Fatalf("plan: %v", err)
	}
	if err := p.Result.Err(); err != nil {
		w.t.Fatalf("plan:\n%v", err)
	}
	return p
}

// planResult runs a plan that may legitimately end in diagnostics.
func (w *workspace) planResult(opt driver.PlanOptions) *driver.Plan {
	w.t.Helper()
	p, err := driver.MakePlan(w.env, w.config(), w.st, opt)
	if err != nil {
		w.t.Fatalf("plan: %v", err)
	}
	if err := p.Result.ViolationErr(); err != nil {
		w.t.Fatalf("plan: provider broke Terraform's rules:\n%v", err)
	}
	return p
}

// applyPlan applies a plan and returns the result; Terraform-check
// violations fail the test, diagnostics are for the caller to judge.
func (w *workspace) applyPlan(p *driver.Plan, opt driver.ApplyOptions) *driver.Result {
	w.t.Helper()
	res := driver.Apply(w.env, w.config(), w.st, p, opt)
	if err := res.ViolationErr(); err != nil {
		w.t.Fatalf("apply: provider broke Terraform's rules:\n%v", err)
	}
	return res
}

// apply is `terraform apply` expecting success and the given actions.
func (w *workspace) apply(want map[string]driver.Action) *driver.Plan {
	w.t.Helper()
	p := w.plan()
	w.expectActions(p, want)
	res := w.applyPlan(p, driver.ApplyOptions{})
	if err := res.Err(); err != nil {
		w.t.Fatalf("apply:\n%v", err)
	}
	return p
}

// converge is the scenario step: plan (expect actions) → apply → refresh →
// plan, which must be empty.
func (w *workspace) converge(want map[string]driver.Action) *driver.Plan {
	w.t.Helper()
	p := w.apply(want)
	w.refresh()
	w.expectEmptyPlan()
	return p
}

func (w *workspace) refresh() {
	w.t.Helper()
	res := driver.Refresh(w.env, w.config(), w.st)
	if err := res.Err(); err != nil {
		w.t.Fatalf("refresh:\n%v", err)
	}
}

func (w *workspace) expectEmptyPlan() {
	w.t.Helper()
	p := w.plan()
	for addr, ch := range p.Changes {
		if ch.Action != driver.NoOp {
			w.t.Errorf("plan after apply is not empty: %s %s%s", addr, ch.Action, diffText(ch))
		}
	}
}

func (w *workspace) expectActions(p *driver.Plan, want map[string]driver.Action) {
	w.t.Helper()
	if want == nil {
		return
	}
	got := p.Actions()
	var addrs []string
	for a := range got {
		addrs = append(addrs, a)
	}
	for a := range want {
		if _, ok := got[a]; !ok {
			addrs = append(addrs, a)
		}
	}
	sort.Strings(addrs)
	for _, a := range addrs {
		g, ok := got[a]
		if !ok {
			g = "(absent)"
		}
		if g != want[a] {
			extra := ""
			if ch := p.Changes[a]; ch != nil {
				extra = diffText(ch)
			}
			w.t.Errorf("%s: planned %s, want %s%s", a, g, want[a], extra)
		}
	}
}

// diffText lists attributes whose planned value differs from the prior.
func diffText(ch *driver.Change) string {
	if ch.Prior.IsNull() || ch.Planned.IsNull() {
		return ""
	}
	var parts []string
	for name := range ch.Planned.Type().AttributeTypes() {
		pv, nv := ch.Prior.GetAttr(name), ch.Planned.GetAttr(name)
		if !pv.RawEquals(nv) {
			parts = append(parts, fmt.Sprintf("%s: %#v → %#v", name, pv, nv))
		}
	}
	sort.Strings(parts)
	rr := ""
	for _, p := range ch.RequiresReplace {
		rr += " " + p.String()
	}
	return "\n    changes: " + strings.Join(parts, "\n             ") + "\n    requires_replace:" + rr
}

// destroy is `terraform destroy`: every instance deleted, state empty.
func (w *workspace) destroy() {
	w.t.Helper()
	p, err := driver.MakePlan(w.env, w.config(), w.st, driver.PlanOptions{Destroy: true})
	if err != nil {
		w.t.Fatalf("destroy plan: %v", err)
	}
	if err := p.Result.Err(); err != nil {
		w.t.Fatalf("destroy plan:\n%v", err)
	}
	for a, ch := range p.Changes {
		if ch.Action != driver.Delete {
			w.t.Errorf("destroy plan: %s %s, want delete", a, ch.Action)
		}
	}
	res := w.applyPlan(p, driver.ApplyOptions{})
	if err := res.Err(); err != nil {
		w.t.Fatalf("destroy:\n%v", err)
	}
	if left := w.st.Addrs(); len(left) > 0 {
		w.t.Errorf("state not empty after destroy: %v", left)
	}
}

// typed returns an instance's stored state value.
func (w *workspace) typed(addr string) cty.Value {
	w.t.Helper()
	ps := w.schema()
	v, err := w.st.Value(addr, ps.Resources[driver.ResourceType])
	if err != nil {
		w.t.Fatalf("%s: %v", addr, err)
	}
	return v
}

var schemaCache *driver.ProviderSchema

// schema loads the provider schema once per test binary.
func (w *workspace) schema() *driver.ProviderSchema {
	w.t.Helper()
	if schemaCache != nil {
		return schemaCache
	}
	s, err := driver.OpenSession(w.env, nil, false)
	if err != nil {
		w.t.Fatal(err)
	}
	defer s.Close()
	schemaCache = s.Schema
	return schemaCache
}

// expectState checks attribute values of an instance in the state.
func (w *workspace) expectState(addr string, want map[string]interface{}) cty.Value {
	w.t.Helper()
	v := w.typed(addr)
	for name, wv := range want {
		got := v.GetAttr(name)
		exp := toCty(wv)
		if wv == nil {
			if !got.IsNull() {
				w.t.Errorf("%s.%s = %#v, want null", addr, name, got)
			}
			continue
		}
		if got.IsNull() || !got.Equals(exp).True() {
			w.t.Errorf("%s.%s = %#v, want %#v", addr, name, got, exp)
		}
	}
	return v
}

// expectComplete checks that a created copy's state has the attributes a
// user relies on: an ID, active status, the data origin of a copy.
func (w *workspace) expectComplete(addr, region, source string) string {
	w.t.Helper()
	v := w.typed(addr)
	id := driver.Str(v, "id")
	if id == "" {
		w.t.Errorf("%s: no id in state", addr)
	}
	if got := driver.Str(v, "status"); got != "active" {
		w.t.Errorf("%s: status %q, want active", addr, got)
	}
	if got := driver.Str(v, "region"); got != region {
		w.t.Errorf("%s: region %q, want %q", addr, got, region)
	}
	if got, want := driver.Str(v, "data_origin"), "image,"+region+","+source; got != want {
		w.t.Errorf("%s: data_origin %q, want %q", addr, got, want)
	}
	for _, name := range []string{"created_at", "updated_at", "disk_format", "visibility", "__imagetype", "image_size"} {
		if driver.Str(v, name) == "" {
			w.t.Errorf("%s: %s is empty", addr, name)
		}
	}
	return id
}
