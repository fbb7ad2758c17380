package driver

// The driver's Terraform core, run against the fake provider (a correct
// tfplugin6 provider written with go-plugin's server): it must pass a
// correct provider through a whole lifecycle, and report each protocol bug
// the fake can be told to commit.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"

	"hwims/conformance/tfplugin6"
)

const thing = "fake_thing.a"

func fakeEnv(t *testing.T, bug string) (Env, string) {
	t.Helper()
	bin := os.Getenv("HWIMS_FAKE_PROVIDER")
	if bin == "" {
		t.Skip("HWIMS_FAKE_PROVIDER not set (run through run.sh)")
	}
	dir := t.TempDir()
	return Env{ProviderPath: bin, LaunchEnv: []string{"FAKE_DIR=" + dir, "FAKE_BUG=" + bug}}, dir
}

func fakeConfig(t *testing.T, body string) *Config {
	t.Helper()
	src := "provider \"fake\" {\n  label = \"x\"\n}\nresource \"fake_thing\" \"a\" {\n" + body + "\n}\n"
	cfg, err := ParseConfig("fake.tf", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func mustPlan(t *testing.T, env Env, cfg *Config, st *State, want Action) *Plan {
	t.Helper()
	p, err := MakePlan(env, cfg, st, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Result.Err(); err != nil {
		t.Fatalf("plan: %v", err)
	}
	if got := p.Changes[thing]; got == nil || got.Action != want {
		t.Fatalf("planned %+v, want %s", got, want)
	}
	return p
}

func mustApply(t *testing.T, env Env, cfg *Config, st *State, p *Plan) {
	t.Helper()
	if err := Apply(env, cfg, st, p, ApplyOptions{}).Err(); err != nil {
		t.Fatalf("apply: %v", err)
	}
}

func stateVal(t *testing.T, st *State) cty.Value {
	t.Helper()
	is := st.Get(thing)
	if is == nil {
		t.Fatal("not in state")
	}
	ty := cty.Object(map[string]cty.Type{
		"id": cty.String, "name": cty.String, "size": cty.Number, "zone": cty.String,
		"tags": cty.Map(cty.String), "serial": cty.String,
		"timeouts": cty.Object(map[string]cty.Type{"create": cty.String}),
	})
	v, err := DecodeValue(&tfplugin6.DynamicValue{Json: is.JSON}, ty)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestCoreLifecycleAgainstCorrectProvider(t *testing.T) {
	env, dir := fakeEnv(t, "")
	st := NewState()
	cfg := fakeConfig(t, `name = "one"`)
	p := mustPlan(t, env, cfg, st, Create)
	if p.Changes[thing].Planned.GetAttr("id").IsKnown() {
		t.Error("create plan has a known id")
	}
	mustApply(t, env, cfg, st, p)
	id := Str(stateVal(t, st), "id")
	if id == "" {
		t.Fatal("no id")
	}
	mustPlan(t, env, cfg, st, NoOp)

	cfg = fakeConfig(t, "name = \"two\"\ntags = { a = \"1\" }")
	mustApply(t, env, cfg, st, mustPlan(t, env, cfg, st, Update))
	if Str(stateVal(t, st), "id") != id {
		t.Error("update changed the id")
	}
	mustPlan(t, env, cfg, st, NoOp)

	cfg = fakeConfig(t, "name = \"two\"\ntags = { a = \"1\" }\nzone = \"z\"")
	p = mustPlan(t, env, cfg, st, Replace)
	if rr := p.Changes[thing].RequiresReplace; len(rr) != 1 || rr[0].String() != "zone" {
		t.Errorf("requires_replace %v", rr)
	}
	mustApply(t, env, cfg, st, p)
	newID := Str(stateVal(t, st), "id")
	if newID == id {
		t.Error("replace kept the id")
	}
	if _, err := os.Stat(filepath.Join(dir, id+".json")); err == nil {
		t.Error("replace left the old object")
	}
	mustPlan(t, env, cfg, st, NoOp)

	// Drift: deleted outside → recreate.
	os.Remove(filepath.Join(dir, newID+".json"))
	mustApply(t, env, cfg, st, mustPlan(t, env, cfg, st, Create))
	mustPlan(t, env, cfg, st, NoOp)

	// Import into a fresh state, then an empty plan.
	st2 := NewState()
	res := Import(env, cfg, st2, thing, "fake_thing", Str(stateVal(t, st), "id"))
	if err := res.Err(); err != nil {
		t.Fatalf("import: %v", err)
	}
	mustPlan(t, env, cfg, st2, NoOp)
	if res := Import(env, cfg, NewState(), thing, "fake_thing", "nope"); !res.HasErrors() {
		t.Error("import of a missing object succeeded")
	}

	// Destroy.
	p, err := MakePlan(env, cfg, st, PlanOptions{Destroy: true})
	if err != nil || p.Result.Err() != nil {
		t.Fatal(err, p.Result.Err())
	}
	mustApply(t, env, cfg, st, p)
	if len(st.Addrs()) != 0 {
		t.Error("state not empty after destroy")
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(left) != 0 {
		t.Errorf("objects left: %v", left)
	}
}

func TestCoreKeepsFailedCreateTainted(t *testing.T) {
	env, _ := fakeEnv(t, "")
	st := NewState()
	cfg := fakeConfig(t, `name = "x-fail"`)
	p := mustPlan(t, env, cfg, st, Create)
	res := Apply(env, cfg, st, p, ApplyOptions{})
	if res.ViolationErr() != nil {
		t.Fatal(res.ViolationErr())
	}
	if !res.HasErrors() {
		t.Fatal("no error")
	}
	is := st.Get(thing)
	if is == nil || !is.Tainted {
		t.Fatalf("failed create not kept tainted: %+v", is)
	}
	cfg = fakeConfig(t, `name = "x-fail"`)
	mustPlan(t, env, cfg, st, Replace)
}

func TestCoreReportsProviderBugs(t *testing.T) {
	cases := []struct {
		bug  string
		want string
	}{
		{"schema_bad_type", "invalid schema"},
		{"upgrade_null", "UpgradeResourceState returned no upgraded_state"},
		{"plan_id_null", "inconsistent result after apply"},
		{"plan_rename", "Provider produced invalid plan"},
		{"apply_rename", "inconsistent result after apply"},
		{"apply_serial_null", "does not conform to planning placeholder"},
	}
	for _, c := range cases {
		t.Run(c.bug, func(t *testing.T) {
			env, _ := fakeEnv(t, c.bug)
			good, _ := fakeEnv(t, "")
			good.LaunchEnv = env.LaunchEnv[:1]
			st := NewState()
			cfg := fakeConfig(t, `name = "one"`)
			var msgs []string
			if c.bug == "upgrade_null" {
				// Create with a correct provider, then load the state with the buggy one.
				mustApply(t, good, cfg, st, mustPlan(t, good, cfg, st, Create))
			}
			p, err := MakePlan(env, cfg, st, PlanOptions{})
			if err != nil {
				msgs = append(msgs, err.Error())
			} else {
				if e := p.Result.Err(); e != nil {
					msgs = append(msgs, e.Error())
				} else if p.Changes[thing] != nil {
					r := Apply(env, cfg, st, p, ApplyOptions{})
					if e := r.Err(); e != nil {
						msgs = append(msgs, e.Error())
					}
				}
			}
			all := strings.Join(msgs, "\n")
			if !strings.Contains(all, c.want) {
				t.Fatalf("bug %s not reported as %q; got:\n%s", c.bug, c.want, all)
			}
		})
	}
}

func TestCoreValidationPathsFromProvider(t *testing.T) {
	for _, bug := range []string{"", "diag_wrong_path"} {
		env, _ := fakeEnv(t, bug)
		s, err := OpenSession(env, nil, false)
		if err != nil {
			t.Fatal(err)
		}
		cfg := fakeConfig(t, "name = \"\"\ntags = { bad1 = \"v\" }")
		insts, hd := cfg.Instances(s.Schema.Resources)
		if hd.HasErrors() {
			t.Fatal(hd)
		}
		d, err := s.ValidateResourceConfig("fake_thing", insts[0].Config)
		if err != nil {
			t.Fatal(err)
		}
		err = d.Match(Expect{SeverityError, "name", "name"}, Expect{SeverityError, "tag", `tags["bad1"]`})
		if bug == "" && err != nil {
			t.Errorf("correct paths rejected: %v", err)
		}
		if bug != "" && err == nil {
			t.Error("a diagnostic at the wrong path was accepted")
		}
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	}
}

// A plugin that ignores PLUGIN_CLIENT_CERT and serves plaintext gRPC is a
// dead connection for Terraform's AutoMTLS client: the first call fails.
func TestPlaintextPluginIsRejected(t *testing.T) {
	env, _ := fakeEnv(t, "")
	wrapper := filepath.Join(t.TempDir(), "terraform-provider-plaintext")
	script := "#!/bin/sh\nunset PLUGIN_CLIENT_CERT\nexec '" + env.ProviderPath + "'\n"
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	env.ProviderPath = wrapper
	saved := RPCTimeout
	RPCTimeout = 10 * time.Second
	defer func() { RPCTimeout = saved }()
	s, err := OpenSession(env, nil, false)
	if err == nil {
		s.Close()
		t.Fatal("a plaintext plugin was accepted under AutoMTLS")
	}
	t.Logf("rejected as expected: %v", err)
}
