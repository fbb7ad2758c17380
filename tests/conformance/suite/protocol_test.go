package suite

// Issue 5: launch, handshake, schema, validation, configuration, shutdown,
// checked the way Terraform checks them.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/x509"
	"encoding/base64"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	"hwims/conformance/driver"
	"hwims/conformance/tfplugin6"
)

func TestProtoFieldNumbersMatchTerraform(t *testing.T) {
	fd := (&tfplugin6.DynamicValue{}).ProtoReflect().Descriptor().ParentFile()
	for _, err := range driver.CheckFieldNumbers(fd) {
		t.Error(err)
	}
}

// launch starts the provider for one test and checks its exit at the end.
func launch(t *testing.T, extraEnv ...string) *driver.Provider {
	t.Helper()
	p, err := driver.Launch(providerPath(t), driver.LaunchOptions{Env: extraEnv})
	if err != nil {
		t.Fatalf("launch: %v", err)
	}
	t.Cleanup(func() {
		if err := p.Kill(); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		for _, e := range driver.CheckLogLines(p.Stderr.String()) {
			t.Errorf("log: %v", e)
		}
	})
	return p
}

func schema(t *testing.T, p *driver.Provider) *driver.ProviderSchema {
	t.Helper()
	resp, err := p.RPC.GetProviderSchema(context.Background(), &tfplugin6.GetProviderSchema_Request{})
	if err != nil {
		t.Fatalf("GetProviderSchema: %v", err)
	}
	ps, errs := driver.ConvertProviderSchema(resp)
	for _, e := range errs {
		t.Errorf("Terraform would refuse the schema: %v", e)
	}
	if ps == nil || ps.Provider == nil || ps.Resources[driver.ResourceType] == nil {
		t.Fatalf("schema incomplete: %+v", ps)
	}
	return ps
}

func TestLaunchHandshakeAndSchema(t *testing.T) {
	p := launch(t)
	ps := schema(t, p)
	for _, e := range driver.CheckResourceSchema(ps.Resources[driver.ResourceType]) {
		t.Error(e)
	}
	for _, e := range driver.CheckProviderSchema(ps.Provider) {
		t.Error(e)
	}
	if n := len(ps.Resources); n != 1 {
		t.Errorf("%d resource types, want only %s", n, driver.ResourceType)
	}
}

// The same process must serve many schema/validate calls at once
// (Terraform's parallelism is 10).
func TestConcurrentCalls(t *testing.T) {
	p := launch(t)
	ps := schema(t, p)
	s := &driver.Session{P: p, Schema: ps}
	cfg := loadValidate(t, "good-spec-within.tf")
	insts, hd := cfg.Instances(ps.Resources)
	if hd.HasErrors() {
		t.Fatal(hd)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 20; i++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			if _, err := p.RPC.GetProviderSchema(context.Background(), &tfplugin6.GetProviderSchema_Request{}); err != nil {
				errs <- err
			}
		}()
		go func() {
			defer wg.Done()
			d, err := s.ValidateResourceConfig(driver.ResourceType, insts[0].Config)
			if err == nil && d.HasErrors() {
				err = d.Err()
			}
			if err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	n := 0
	for e := range errs {
		if n == 0 {
			t.Error(e)
		}
		n++
	}
	if n > 1 {
		t.Errorf("%d of 40 concurrent calls failed", n)
	}
}

// Terraform 1.12+ calls GetResourceIdentitySchemas after every schema load:
// anything but OK or UNIMPLEMENTED fails the whole load. GetMetadata is
// never called by Terraform but must not break the connection.
func TestOptionalRPCsAnswerCleanly(t *testing.T) {
	p := launch(t)
	_, err := p.RPC.GetResourceIdentitySchemas(context.Background(), &tfplugin6.GetResourceIdentitySchemas_Request{})
	if err != nil && status.Code(err) != codes.Unimplemented {
		t.Errorf("GetResourceIdentitySchemas: %v (Terraform 1.12+ would fail the schema load)", err)
	}
	_, err = p.RPC.GetMetadata(context.Background(), &tfplugin6.GetMetadata_Request{})
	if err != nil && status.Code(err) != codes.Unimplemented {
		t.Errorf("GetMetadata: %v", err)
	}
	stop, err := p.RPC.StopProvider(context.Background(), &tfplugin6.StopProvider_Request{})
	if err != nil && status.Code(err) != codes.Unimplemented {
		t.Errorf("StopProvider: %v", err)
	} else if err == nil && stop.Error != "" {
		t.Errorf("StopProvider with nothing running: %q", stop.Error)
	}
	// The process still works after all of these.
	schema(t, p)
}

// runRaw starts the binary the way go-plugin would, but reads the handshake
// line itself, to look at each field.
func runRaw(t *testing.T, env []string) (line string, cmd *exec.Cmd, stderr *bytes.Buffer) {
	t.Helper()
	cmd = exec.Command(providerPath(t))
	cmd.Env = append(os.Environ(), env...)
	stderr = &bytes.Buffer{}
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	select {
	case line = <-lines:
	case <-time.After(20 * time.Second):
		t.Error("no handshake line within 20 s")
	}
	return line, cmd, stderr
}

func stopRaw(cmd *exec.Cmd) {
	cmd.Process.Kill()
	cmd.Wait()
}

func TestCookieRequired(t *testing.T) {
	cmd := exec.Command(providerPath(t))
	cmd.Env = []string{"PATH=/usr/bin:/bin", "PLUGIN_PROTOCOL_VERSIONS=5,6"}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		stopRaw(cmd)
		t.Fatal("without the magic cookie the provider kept running")
	}
	if cmd.ProcessState.ExitCode() == 0 {
		t.Error("without the magic cookie the provider exited 0")
	}
	if stdout.Len() != 0 {
		t.Errorf("without the magic cookie the provider printed on stdout: %q", stdout.String())
	}
	if !strings.Contains(strings.ToLower(stderr.String()), "plugin") {
		t.Errorf("the message does not say this is a plugin: %q", stderr.String())
	}
}

func cookieEnv() []string {
	return []string{driver.MagicCookieKey + "=" + driver.MagicCookieValue}
}

// PLUGIN_PROTOCOL_VERSIONS comes from a Go map: "5,6" or "6,5". Either way
// the provider must pick 6; with only 5 on offer it must refuse.
func TestProtocolVersionNegotiation(t *testing.T) {
	for _, offer := range []string{"5,6", "6,5", "6"} {
		line, cmd, _ := runRaw(t, append(cookieEnv(), "PLUGIN_PROTOCOL_VERSIONS="+offer))
		stopRaw(cmd)
		f := strings.Split(line, "|")
		if len(f) < 5 || f[0] != "1" || f[1] != "6" || f[4] != "grpc" {
			t.Errorf("offer %s: handshake %q, want 1|6|...|grpc", offer, line)
		}
		if len(f) > 6 {
			t.Errorf("offer %s: %d handshake fields; a 7th breaks go-plugin 1.4.3 (Terraform <= 1.8)", offer, len(f))
		}
	}
	line, cmd, _ := runRaw(t, append(cookieEnv(), "PLUGIN_PROTOCOL_VERSIONS=5"))
	stopRaw(cmd)
	if strings.HasPrefix(line, "1|5|") {
		t.Errorf("offered only protocol 5, the provider claims it: %q", line)
	}
}

// The AutoMTLS certificate field: RawStd base64 DER, SAN localhost,
// positive serial, serverAuth, currently valid. Without a client
// certificate: plaintext, empty field.
func TestHandshakeCertificate(t *testing.T) {
	clientPEM := mustClientCertPEM(t)
	line, cmd, _ := runRaw(t, append(cookieEnv(), "PLUGIN_PROTOCOL_VERSIONS=5,6", "PLUGIN_CLIENT_CERT="+clientPEM))
	stopRaw(cmd)
	f := strings.Split(line, "|")
	if len(f) != 6 {
		t.Fatalf("handshake %q: want 6 fields", line)
	}
	if f[2] == "unix" && !filepath.IsAbs(f[3]) {
		t.Errorf("unix socket path %q is not absolute", f[3])
	}
	if strings.HasSuffix(f[5], "=") {
		t.Errorf("certificate is padded base64; go-plugin uses RawStdEncoding and fails")
	}
	der, err := base64.RawStdEncoding.DecodeString(f[5])
	if err != nil {
		t.Fatalf("certificate field is not raw std base64: %v", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("certificate does not parse: %v", err)
	}
	if err := cert.VerifyHostname("localhost"); err != nil {
		t.Errorf("certificate not valid for localhost: %v", err)
	}
	if cert.SerialNumber.Sign() <= 0 {
		t.Errorf("serial number %v is not positive", cert.SerialNumber)
	}
	now := time.Now()
	if now.Before(cert.NotBefore) || now.After(cert.NotAfter) {
		t.Errorf("certificate not valid now (%v .. %v)", cert.NotBefore, cert.NotAfter)
	}
	if len(cert.ExtKeyUsage) > 0 {
		ok := false
		for _, u := range cert.ExtKeyUsage {
			if u == x509.ExtKeyUsageServerAuth || u == x509.ExtKeyUsageAny {
				ok = true
			}
		}
		if !ok {
			t.Errorf("certificate EKU lacks serverAuth")
		}
	}
	line, cmd, _ = runRaw(t, append(cookieEnv(), "PLUGIN_PROTOCOL_VERSIONS=5,6"))
	stopRaw(cmd)
	f = strings.Split(line, "|")
	if len(f) < 5 || (len(f) == 6 && len(f[5]) > 50) {
		t.Errorf("without PLUGIN_CLIENT_CERT the handshake still carries a certificate: %q", line)
	}
}

// A secret key must never reach the provider's log, even at TRACE.
func TestNoSecretsInLogs(t *testing.T) {
	m := startImsd(t)
	p := launch(t, "TF_LOG=trace", "TF_LOG_PROVIDER=trace")
	ps := schema(t, p)
	s := &driver.Session{P: p, Schema: ps}
	cfg := load(t, m, "validate/good-spec-within.tf", nil)
	d, err := s.Configure(cfg)
	if err != nil || d.HasErrors() {
		t.Fatalf("configure: %v %s", err, d)
	}
	for _, e := range driver.CheckNoSecrets("provider stderr", p.Stderr.String(), driver.SeedSecretKey) {
		t.Error(e)
	}
}

// Every file in testdata/validate: good-*.tf validate without errors,
// bad-*.tf produce exactly the diagnostics their "# expect:" lines name.
func TestValidateResourceConfig(t *testing.T) {
	p := launch(t)
	ps := schema(t, p)
	s := &driver.Session{P: p, Schema: ps}
	files, _ := filepath.Glob(testdata("validate", "*.tf"))
	sort.Strings(files)
	if len(files) == 0 {
		t.Fatal("no validate cases")
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".tf")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			want := parseExpect(string(src))
			cfg := loadValidate(t, filepath.Base(f))
			insts, hd := cfg.Instances(ps.Resources)
			if hd.HasErrors() {
				t.Fatalf("configuration does not decode: %s", hd.Error())
			}
			for _, in := range insts {
				d, err := s.ValidateResourceConfig(in.Type, in.Config)
				if err != nil {
					t.Fatal(err)
				}
				if err := d.Match(want...); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

func loadValidate(t *testing.T, file string) *driver.Config {
	t.Helper()
	cfg, err := driver.LoadConfigFiles(vars(nil, nil), testdata("provider.tf"), testdata("validate", file))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// parseExpect reads "# expect: <error|warning> <path|-> <summary words>".
func parseExpect(src string) []driver.Expect {
	var out []driver.Expect
	for _, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "# expect:") {
			continue
		}
		f := strings.Fields(strings.TrimPrefix(line, "# expect:"))
		e := driver.Expect{Severity: driver.SeverityError, Path: f[1], SummaryHas: strings.Join(f[2:], " ")}
		if f[0] == "warning" {
			e.Severity = driver.SeverityWarning
		}
		if e.Path == "-" {
			e.Path = ""
		}
		out = append(out, e)
	}
	return out
}

// Terraform validates configurations holding unknown values (values from
// other resources): the provider must accept them without errors.
func TestValidateWithUnknownValues(t *testing.T) {
	p := launch(t)
	ps := schema(t, p)
	s := &driver.Session{P: p, Schema: ps}
	unknown := map[string]interface{}{
		"source_image_id": cty.UnknownVal(cty.String),
		"name":            cty.UnknownVal(cty.String),
		"target_region":   cty.UnknownVal(cty.String),
		"agency_name":     cty.UnknownVal(cty.String),
	}
	cfg, err := driver.LoadConfigFiles(vars(nil, unknown), testdata("provider.tf"), testdata("validate", "good-spec-cross.tf"))
	if err != nil {
		t.Fatal(err)
	}
	insts, hd := cfg.Instances(ps.Resources)
	if hd.HasErrors() {
		t.Fatal(hd)
	}
	d, err := s.ValidateResourceConfig(driver.ResourceType, insts[0].Config)
	if err != nil || d.HasErrors() {
		t.Errorf("unknown values rejected: %v %s", err, d)
	}
	pcfg, err := driver.LoadConfigFiles(vars(nil, map[string]interface{}{"region": cty.UnknownVal(cty.String), "imsd_url": cty.UnknownVal(cty.String)}),
		testdata("provider.tf"), testdata("validate", "good-spec-cross.tf"))
	if err != nil {
		t.Fatal(err)
	}
	pv, hd := pcfg.ProviderConfig(ps.Provider.Block)
	if hd.HasErrors() {
		t.Fatal(hd)
	}
	d, err = s.ValidateProviderConfig(pv)
	if err != nil || d.HasErrors() {
		t.Errorf("unknown provider values rejected: %v %s", err, d)
	}
}

// Configuration errors Terraform itself reports before the provider sees
// anything: the driver must catch them too (it plays Terraform).
func TestConfigErrorsCaughtByCore(t *testing.T) {
	p := launch(t)
	ps := schema(t, p)
	res := `resource "huaweicloud_images_image_copy" "x" {
  name            = "a"
  source_image_id = "b"
`
	for src, want := range map[string]string{
		"resource \"huaweicloud_images_image_copy\" \"x\" {\n  name = \"a\"\n}\n": "Missing required argument",
		res + "  status = \"x\"\n}\n":                     "Read-Only",
		res + "  min_ram = \"lots\"\n}\n":                 "Incorrect attribute value type",
		res + "  bogus = 1\n}\n":                          "Unsupported argument",
		res + "  timeouts {\n    read = \"1m\"\n  }\n}\n": "Unsupported argument",
	} {
		cfg, err := driver.ParseConfig("x.tf", []byte(src), nil)
		if err != nil {
			t.Fatal(err)
		}
		_, hd := cfg.Instances(ps.Resources)
		if !hd.HasErrors() || !strings.Contains(hd.Error(), want) {
			t.Errorf("%s: want %q, got %v", src, want, hd)
		}
	}
}

func TestValidateProviderConfig(t *testing.T) {
	p := launch(t)
	ps := schema(t, p)
	s := &driver.Session{P: p, Schema: ps}
	cases := []struct {
		name string
		src  string
		want []driver.Expect
	}{
		{"empty", `provider "huaweicloud" {}`, nil},
		{"full", `provider "huaweicloud" {
  region = "cn-north-4"
  access_key = "AK"
  secret_key = "SK"
  security_token = "tok"
  project_id = "0a4c7e2f9b1d4e6f8a3c5e7f9b1d3e5f"
  cloud = "myhuaweicloud.com"
  endpoints = { ims = "http://127.0.0.1:1/{region}/" }
  insecure = true
  max_retries = 3
  enterprise_project_id = "0"
}`, nil},
		{"max_retries out of range", `provider "huaweicloud" {
  max_retries = 99
}`, []driver.Expect{{Severity: driver.SeverityError, SummaryHas: "max_retries", Path: "max_retries"}}},
		{"endpoint not a URL", `provider "huaweicloud" {
  endpoints = { ims = "not a url" }
}`, []driver.Expect{{Severity: driver.SeverityError, SummaryHas: "ims", Path: `endpoints["ims"]`}}},
	}
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			cfg, err := driver.ParseConfig("p.tf", []byte(c.src), nil)
			if err != nil {
				t.Fatal(err)
			}
			v, hd := cfg.ProviderConfig(ps.Provider.Block)
			if hd.HasErrors() {
				t.Fatal(hd)
			}
			d, err := s.ValidateProviderConfig(v)
			if err != nil {
				t.Fatal(err)
			}
			if err := d.Match(c.want...); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestConfigureAgainstImsd(t *testing.T) {
	m := startImsd(t)
	p := launch(t)
	ps := schema(t, p)
	s := &driver.Session{P: p, Schema: ps}
	d, err := s.Configure(load(t, m, "validate/good-spec-within.tf", nil))
	if err != nil || d.HasErrors() {
		t.Fatalf("configure: %v %s", err, d)
	}
	// Wrong credentials: ConfigureProvider may only report them later, but
	// it must not crash and must answer with well-formed diagnostics.
	p2 := launch(t)
	s2 := &driver.Session{P: p2, Schema: schema(t, p2)}
	if _, err := s2.Configure(load(t, m, "validate/good-spec-within.tf", map[string]interface{}{"secret_key": "wrong"})); err != nil {
		t.Fatalf("configure with a wrong key: %v", err)
	}
}

// Shutdown: Kill (GRPCController.Shutdown) must make the process exit by
// itself within go-plugin's 2 s grace period, with status 0, even right
// after start.
func TestShutdownExitsCleanly(t *testing.T) {
	for i := 0; i < 3; i++ {
		p, err := driver.Launch(providerPath(t), driver.LaunchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 {
			schema(t, p)
		}
		// Kill reports a process that had to be SIGKILLed after 2 s.
		if err := p.Kill(); err != nil {
			t.Error(err)
		}
	}
}

func mustClientCertPEM(t *testing.T) string {
	t.Helper()
	pemBytes, err := driver.ClientCertPEM()
	if err != nil {
		t.Fatal(err)
	}
	return string(pemBytes)
}

// go-plugin's auxiliary services as Terraform's go-plugin (1.4+) uses them:
// Health "plugin" SERVING, GRPCStdio/StreamStdio served or UNIMPLEMENTED
// (anything else breaks the client's stdio sync), GRPCBroker/StartStream
// answered.
func TestAuxiliaryServices(t *testing.T) {
	p := launch(t)
	conn, err := p.Conn()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	h, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{Service: "plugin"})
	if err != nil {
		t.Errorf("Health/Check(plugin): %v", err)
	} else if h.Status != healthpb.HealthCheckResponse_SERVING {
		t.Errorf("Health/Check(plugin) = %v, want SERVING", h.Status)
	}
	for _, method := range []string{"/plugin.GRPCStdio/StreamStdio", "/plugin.GRPCBroker/StartStream"} {
		sctx, scancel := context.WithTimeout(context.Background(), 2*time.Second)
		desc := &grpc.StreamDesc{ServerStreams: true, ClientStreams: method == "/plugin.GRPCBroker/StartStream"}
		st, err := conn.NewStream(sctx, desc, method)
		if err == nil {
			if method == "/plugin.GRPCStdio/StreamStdio" {
				err = st.SendMsg(&emptypb.Empty{})
			}
			if err == nil {
				err = st.CloseSend()
			}
			if err == nil {
				err = st.RecvMsg(&emptypb.Empty{})
			}
		}
		scancel()
		t.Logf("%s: %v", method, err)
		switch status.Code(err) {
		case codes.OK, codes.Unimplemented, codes.DeadlineExceeded, codes.Unavailable:
			// served (open stream or EOF), or refused in a way go-plugin tolerates
		default:
			if err != io.EOF {
				t.Errorf("%s: %v", method, err)
			}
		}
	}
	// The connection still works.
	schema(t, p)
}

// Terraform 1.6+ sends refined unknowns (msgpack ext 12) and cty may send
// numbers as float64 or decimal strings: the provider must decode them all.
func TestValidateRefinedUnknownsAndNumberForms(t *testing.T) {
	p := launch(t)
	ps := schema(t, p)
	rs := ps.Resources[driver.ResourceType]
	ty := rs.Block.ImpliedType()
	// Refined unknowns as go-cty (and so Terraform 1.6+) encodes them: msgpack extension 12
	// with the refinements in a map.
	unknownName := map[string]cty.Value{
		"plain":    cty.UnknownVal(cty.String),
		"not_null": cty.UnknownVal(cty.String).RefineNotNull(),
		"prefix":   cty.UnknownVal(cty.String).Refine().NotNull().StringPrefixFull("web-").NewValue(),
	}
	for name, nameV := range unknownName {
		cfg := driver.ObjectVal(ty, map[string]cty.Value{
			"source_image_id": cty.StringVal(driver.SeedImage),
			"name":            nameV,
			"min_ram":         cty.UnknownVal(cty.Number).Refine().NotNull().NumberRangeLowerBound(cty.NumberIntVal(0), true).NewValue(),
		})
		dv, err := driver.EncodeValue(cfg, ty)
		if err != nil {
			t.Fatal(err)
		}
		if name != "plain" && !bytes.Contains(dv.Msgpack, []byte{0x0c}) {
			t.Fatalf("%s: go-cty wrote no refinement: %x", name, dv.Msgpack)
		}
		resp, err := p.RPC.ValidateResourceConfig(context.Background(), &tfplugin6.ValidateResourceConfig_Request{
			TypeName: driver.ResourceType, Config: dv})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if d := driver.ConvertDiagnostics(resp.Diagnostics); d.HasErrors() {
			t.Errorf("refined unknown (%s) rejected: %s", name, d)
		}
	}
	// Numbers: 1024 as float64 and as a decimal string are both 1024.
	withRAM := driver.ObjectVal(ty, map[string]cty.Value{
		"source_image_id": cty.StringVal(driver.SeedImage), "name": cty.StringVal("n"), "min_ram": cty.NumberIntVal(1024),
	})
	dv, err := driver.EncodeValue(withRAM, ty)
	if err != nil {
		t.Fatal(err)
	}
	intForm := []byte{0xa7, 'm', 'i', 'n', '_', 'r', 'a', 'm', 0xcd, 0x04, 0x00}
	if !bytes.Contains(dv.Msgpack, intForm) {
		t.Fatalf("encoded config lacks min_ram = uint16 1024: %x", dv.Msgpack)
	}
	for name, repl := range map[string][]byte{
		"float64": {0xa7, 'm', 'i', 'n', '_', 'r', 'a', 'm', 0xcb, 0x40, 0x90, 0x00, 0, 0, 0, 0, 0},
		"string":  {0xa7, 'm', 'i', 'n', '_', 'r', 'a', 'm', 0xa4, '1', '0', '2', '4'},
		"int64":   {0xa7, 'm', 'i', 'n', '_', 'r', 'a', 'm', 0xd3, 0, 0, 0, 0, 0, 0, 0x04, 0x00},
	} {
		raw := bytes.Replace(dv.Msgpack, intForm, repl, 1)
		resp, err := p.RPC.ValidateResourceConfig(context.Background(), &tfplugin6.ValidateResourceConfig_Request{
			TypeName: driver.ResourceType, Config: &tfplugin6.DynamicValue{Msgpack: raw}})
		if err != nil {
			t.Errorf("min_ram as %s: %v", name, err)
			continue
		}
		if d := driver.ConvertDiagnostics(resp.Diagnostics); d.HasErrors() {
			t.Errorf("min_ram = 1024 as %s rejected: %s", name, d)
		}
	}
}
