package suite

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"hwims/conformance/driver"
)

var imsdCounter int64

func providerPath(t *testing.T) string {
	t.Helper()
	p := os.Getenv("HWIMS_PROVIDER")
	if p == "" {
		t.Skip("HWIMS_PROVIDER not set")
	}
	if _, err := os.Stat(p); err != nil {
		t.Skipf("provider binary %s not built", p)
	}
	return p
}

func testdata(parts ...string) string {
	dir := os.Getenv("HWIMS_CONF_TESTDATA")
	if dir == "" {
		dir = "../testdata"
	}
	return filepath.Join(append([]string{dir}, parts...)...)
}

// env runs every phase with debug logging on, and checks that the seed's
// secret key never shows in a log or a diagnostic.
func env(t *testing.T) driver.Env {
	return driver.Env{ProviderPath: providerPath(t), LaunchEnv: []string{"TF_LOG=debug"},
		Secrets: []string{driver.SeedSecretKey}}
}

// startImsd starts a fresh imsd for one test (skipped when imsd is not built).
func startImsd(t *testing.T, args ...string) *driver.Imsd {
	t.Helper()
	bin := os.Getenv("HWIMS_IMSD")
	if bin == "" {
		t.Skip("HWIMS_IMSD not set")
	}
	if _, err := os.Stat(bin); err != nil {
		t.Skipf("imsd binary %s not built", bin)
	}
	base := os.Getenv("HWIMS_CONF_TMP")
	if base == "" {
		base = t.TempDir()
	}
	n := atomic.AddInt64(&imsdCounter, 1)
	dir := filepath.Join(base, fmt.Sprintf("imsd-%d-%s", os.Getpid(), sanitize(t.Name())), fmt.Sprint(n))
	os.RemoveAll(dir)
	m, err := driver.StartImsd(bin, dir, args...)
	if err != nil {
		t.Fatalf("starting imsd: %v", err)
	}
	t.Cleanup(func() {
		m.Close()
		if t.Failed() {
			t.Logf("imsd log (last lines):\n%s", lastLines(m.Stderr.String(), 150))
		} else {
			os.RemoveAll(dir)
		}
	})
	return m
}

func sanitize(s string) string {
	return strings.NewReplacer("/", "_", " ", "_").Replace(s)
}

// vars builds the variable map a .tf file is loaded with: imsd's URL and
// credentials plus per-step values (strings, numbers, bools, maps, nil for null).
func vars(m *driver.Imsd, extra map[string]interface{}) map[string]cty.Value {
	out := map[string]cty.Value{}
	if m != nil {
		for k, v := range m.ProviderVars() {
			out[k] = cty.StringVal(v)
		}
	} else {
		out["imsd_url"] = cty.StringVal("http://127.0.0.1:9")
	}
	for k, v := range extra {
		out[k] = toCty(v)
	}
	return out
}

func toCty(v interface{}) cty.Value {
	switch v := v.(type) {
	case nil:
		return cty.NullVal(cty.DynamicPseudoType)
	case cty.Value:
		return v
	case string:
		return cty.StringVal(v)
	case int:
		return cty.NumberIntVal(int64(v))
	case bool:
		return cty.BoolVal(v)
	case map[string]string:
		if len(v) == 0 {
			return cty.MapValEmpty(cty.String)
		}
		m := map[string]cty.Value{}
		for k, s := range v {
			m[k] = cty.StringVal(s)
		}
		return cty.MapVal(m)
	case []string:
		if len(v) == 0 {
			return cty.ListValEmpty(cty.String)
		}
		l := make([]cty.Value, len(v))
		for i, s := range v {
			l[i] = cty.StringVal(s)
		}
		return cty.ListVal(l)
	}
	panic(fmt.Sprintf("toCty: unsupported %T", v))
}

// load parses a scenario file together with the shared provider block.
func load(t *testing.T, m *driver.Imsd, file string, extra map[string]interface{}) *driver.Config {
	t.Helper()
	cfg, err := driver.LoadConfigFiles(vars(m, extra), testdata("provider.tf"), testdata(file))
	if err != nil {
		t.Fatalf("loading %s: %v", file, err)
	}
	return cfg
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
