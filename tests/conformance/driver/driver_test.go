package driver

// Each test feeds a checker a deliberately broken input and asserts that the
// driver reports it: the suite is only worth something if it can fail.

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"

	"hwims/conformance/tfplugin6"
)

func attr(name, ty string, req, opt, comp bool) *tfplugin6.Schema_Attribute {
	return &tfplugin6.Schema_Attribute{Name: name, Type: []byte(ty), Required: req, Optional: opt, Computed: comp, Description: "d"}
}

// goodSchemaResponse is a small valid schema: provider {region}, resource
// thing {name required, id computed, timeouts {create}}.
func goodSchemaResponse() *tfplugin6.GetProviderSchema_Response {
	return &tfplugin6.GetProviderSchema_Response{
		Provider: &tfplugin6.Schema{Block: &tfplugin6.Schema_Block{
			Attributes: []*tfplugin6.Schema_Attribute{attr("region", `"string"`, false, true, false)},
		}},
		ResourceSchemas: map[string]*tfplugin6.Schema{
			"thing": {Block: &tfplugin6.Schema_Block{
				Attributes: []*tfplugin6.Schema_Attribute{
					attr("name", `"string"`, true, false, false),
					attr("id", `"string"`, false, false, true),
					attr("tags", `["map","string"]`, false, true, false),
				},
				BlockTypes: []*tfplugin6.Schema_NestedBlock{{
					TypeName: "timeouts",
					Nesting:  tfplugin6.Schema_NestedBlock_SINGLE,
					Block: &tfplugin6.Schema_Block{Attributes: []*tfplugin6.Schema_Attribute{
						attr("create", `"string"`, false, true, false),
					}},
				}},
			}},
		},
	}
}

func TestSchemaCheckAcceptsValidSchema(t *testing.T) {
	ps, errs := ConvertProviderSchema(goodSchemaResponse())
	if len(errs) > 0 {
		t.Fatalf("valid schema rejected: %v", errs)
	}
	want := cty.Object(map[string]cty.Type{
		"name": cty.String, "id": cty.String, "tags": cty.Map(cty.String),
		"timeouts": cty.Object(map[string]cty.Type{"create": cty.String}),
	})
	if got := ps.Resources["thing"].Block.ImpliedType(); !got.Equals(want) {
		t.Fatalf("implied type %#v, want %#v", got, want)
	}
}

func TestSchemaCheckRejectsBrokenSchemas(t *testing.T) {
	cases := map[string]struct {
		mutate func(r *tfplugin6.GetProviderSchema_Response)
		want   string
	}{
		"type without JSON quotes": {func(r *tfplugin6.GetProviderSchema_Response) {
			r.ResourceSchemas["thing"].Block.Attributes[0].Type = []byte("string")
		}, "not a cty type"},
		"unknown type name": {func(r *tfplugin6.GetProviderSchema_Response) {
			r.ResourceSchemas["thing"].Block.Attributes[0].Type = []byte(`"int"`)
		}, "not a cty type"},
		"nesting INVALID": {func(r *tfplugin6.GetProviderSchema_Response) {
			r.ResourceSchemas["thing"].Block.BlockTypes[0].Nesting = tfplugin6.Schema_NestedBlock_INVALID
		}, "invalid nesting mode"},
		"nested block without block": {func(r *tfplugin6.GetProviderSchema_Response) {
			r.ResourceSchemas["thing"].Block.BlockTypes[0].Block = nil
		}, "has no block"},
		"schema without block": {func(r *tfplugin6.GetProviderSchema_Response) {
			r.ResourceSchemas["thing"].Block = nil
		}, "block is missing"},
		"no provider schema": {func(r *tfplugin6.GetProviderSchema_Response) {
			r.Provider = nil
		}, "missing provider schema"},
		"required and computed": {func(r *tfplugin6.GetProviderSchema_Response) {
			r.ResourceSchemas["thing"].Block.Attributes[0].Computed = true
		}, "both Computed and Required"},
		"no flags": {func(r *tfplugin6.GetProviderSchema_Response) {
			r.ResourceSchemas["thing"].Block.Attributes[0].Required = false
		}, "must set Optional, Required or Computed"},
		"bad name": {func(r *tfplugin6.GetProviderSchema_Response) {
			r.ResourceSchemas["thing"].Block.Attributes[0].Name = "Name"
		}, "lowercase"},
		"single block with max 2": {func(r *tfplugin6.GetProviderSchema_Response) {
			r.ResourceSchemas["thing"].Block.BlockTypes[0].MaxItems = 2
		}, "NestingSingle"},
		"negative version": {func(r *tfplugin6.GetProviderSchema_Response) {
			r.ResourceSchemas["thing"].Version = -1
		}, "negative schema version"},
		"error diagnostic": {func(r *tfplugin6.GetProviderSchema_Response) {
			r.Diagnostics = []*tfplugin6.Diagnostic{{Severity: tfplugin6.Diagnostic_ERROR, Summary: "boom"}}
		}, "error diagnostic"},
		"attribute and block of the same name": {func(r *tfplugin6.GetProviderSchema_Response) {
			r.ResourceSchemas["thing"].Block.Attributes[0].Name = "timeouts"
		}, "both attribute and block"},
	}
	for name, c := range cases {
		t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
			r := goodSchemaResponse()
			c.mutate(r)
			_, errs := ConvertProviderSchema(r)
			if !containsErr(errs, c.want) {
				t.Fatalf("want an error containing %q, got %v", c.want, errs)
			}
		})
	}
}

func containsErr(errs []error, want string) bool {
	for _, e := range errs {
		if strings.Contains(e.Error(), want) {
			return true
		}
	}
	return false
}

// specSchema builds a resource schema that satisfies the spec, for the
// spec-check negative tests.
func specSchema() *Schema {
	b := &Block{Attributes: map[string]*Attribute{}, BlockTypes: map[string]*NestedBlock{}}
	for _, w := range append(append([]ExpectedAttr{}, SpecArguments...), SpecAttributes...) {
		a := &Attribute{Name: w.Name, Type: w.Type, Description: "d"}
		switch w.Kind {
		case KindRequired:
			a.Required = true
		case KindOptional:
			a.Optional = true
		case KindOptionalComputed:
			a.Optional, a.Computed = true, true
		case KindComputed:
			a.Computed = true
		}
		b.Attributes[w.Name] = a
	}
	tb := &Block{Attributes: map[string]*Attribute{
		"create": {Name: "create", Type: cty.String, Optional: true, Description: "d"},
		"delete": {Name: "delete", Type: cty.String, Optional: true, Description: "d"},
	}, BlockTypes: map[string]*NestedBlock{}}
	b.BlockTypes["timeouts"] = &NestedBlock{TypeName: "timeouts", Block: tb, Nesting: NestingSingle}
	return &Schema{Block: b}
}

func TestSpecCheckAcceptsSpecSchema(t *testing.T) {
	if errs := CheckResourceSchema(specSchema()); len(errs) > 0 {
		t.Fatalf("spec-conforming schema rejected: %v", errs)
	}
}

func TestSpecCheckRejectsDrift(t *testing.T) {
	cases := map[string]struct {
		mutate func(s *Schema)
		want   string
	}{
		"min_ram as string": {func(s *Schema) { s.Block.Attributes["min_ram"].Type = cty.String }, `"min_ram" has type string`},
		"tags as list":      {func(s *Schema) { s.Block.Attributes["tags"].Type = cty.List(cty.String) }, `"tags" has type list of string`},
		"name optional": {func(s *Schema) {
			s.Block.Attributes["name"].Required, s.Block.Attributes["name"].Optional = false, true
		}, `"name" must be required`},
		"region not computed": {func(s *Schema) { s.Block.Attributes["region"].Computed = false }, `"region" must be optional and computed`},
		"status settable":     {func(s *Schema) { s.Block.Attributes["status"].Optional = true }, `"status" must be computed only`},
		"missing attribute":   {func(s *Schema) { delete(s.Block.Attributes, "__support_amd") }, `"__support_amd" is missing`},
		"extra attribute": {func(s *Schema) {
			s.Block.Attributes["bogus"] = &Attribute{Name: "bogus", Type: cty.String, Computed: true}
		}, `"bogus" is not in the spec`},
		"sensitive name":   {func(s *Schema) { s.Block.Attributes["name"].Sensitive = true }, `"name" sensitive=true`},
		"no timeouts":      {func(s *Schema) { delete(s.Block.BlockTypes, "timeouts") }, "timeouts block is missing"},
		"timeouts as list": {func(s *Schema) { s.Block.BlockTypes["timeouts"].Nesting = NestingList }, "SINGLE block"},
		"no description":   {func(s *Schema) { s.Block.Attributes["id"].Description = "" }, `"id" has no description`},
	}
	for name, c := range cases {
		t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
			s := specSchema()
			c.mutate(s)
			if errs := CheckResourceSchema(s); !containsErr(errs, c.want) {
				t.Fatalf("want an error containing %q, got %v", c.want, errs)
			}
		})
	}
}

func TestDiagnosticMatchRejectsWrongPath(t *testing.T) {
	ds := Diagnostics{{Severity: SeverityError, Summary: "Invalid name", HasPath: true, Path: Path{{Kind: "attr", Name: "name"}}}}
	if err := ds.Match(Expect{SeverityError, "invalid name", "name"}); err != nil {
		t.Fatalf("right path rejected: %v", err)
	}
	if err := ds.Match(Expect{SeverityError, "invalid name", "description"}); err == nil {
		t.Fatal("a diagnostic at .name matched an expectation at .description")
	}
	if err := ds.Match(Expect{SeverityError, "invalid name", ""}); err == nil {
		t.Fatal("a diagnostic with a path matched an expectation without one")
	}
	if err := ds.Match(Expect{SeverityWarning, "invalid name", "name"}); err == nil {
		t.Fatal("an error matched a warning expectation")
	}
	nested := Diagnostics{{Severity: SeverityError, Summary: "Invalid duration", HasPath: true,
		Path: Path{{Kind: "attr", Name: "timeouts"}, {Kind: "attr", Name: "create"}}}}
	if err := nested.Match(Expect{SeverityError, "duration", "timeouts.create"}); err != nil {
		t.Fatalf("nested path rejected: %v", err)
	}
	if err := nested.Match(Expect{SeverityError, "duration", "create"}); err == nil {
		t.Fatal("path .timeouts.create matched .create")
	}
	tagKey := Diagnostics{{Severity: SeverityError, Summary: "Invalid tag", HasPath: true,
		Path: Path{{Kind: "attr", Name: "tags"}, {Kind: "key", Key: "k"}}}}
	if err := tagKey.Match(Expect{SeverityError, "tag", `tags["k"]`}); err != nil {
		t.Fatalf("element key path rejected: %v", err)
	}
	if err := tagKey.Match(Expect{SeverityError, "tag", "tags"}); err == nil {
		t.Fatal(`path tags["k"] matched tags`)
	}
}

func TestDiagnosticChecksRejectMalformed(t *testing.T) {
	ds := Diagnostics{{Severity: SeverityInvalid, Summary: "x"}}
	if errs := ds.CheckWellFormed(); len(errs) == 0 {
		t.Fatal("severity INVALID accepted")
	}
	ds = Diagnostics{{Severity: SeverityError, Summary: " "}}
	if errs := ds.CheckWellFormed(); len(errs) == 0 {
		t.Fatal("empty summary accepted")
	}
	ds = Diagnostics{{Severity: SeverityError, Summary: "x", HasPath: true, Path: Path{{}}}}
	if errs := ds.CheckWellFormed(); len(errs) == 0 {
		t.Fatal("empty path step accepted")
	}
	unexpected := Diagnostics{{Severity: SeverityError, Summary: "one"}, {Severity: SeverityError, Summary: "two"}}
	if err := unexpected.Match(Expect{SeverityError, "one", ""}); err == nil {
		t.Fatal("an unexpected extra error diagnostic was accepted")
	}
}

// generatedFile is the file descriptor of the Go code generated from the
// provider's proto.
func generatedFile() protoreflect.FileDescriptor {
	return (&tfplugin6.DynamicValue{}).ProtoReflect().Descriptor().ParentFile()
}

func TestFieldNumberCheckRejectsWrongNumber(t *testing.T) {
	fdp := protodesc.ToFileDescriptorProto(generatedFile())
	// Renumber Diagnostic.summary from 2 to 12.
	changed := false
	for _, m := range fdp.MessageType {
		if m.GetName() != "Diagnostic" {
			continue
		}
		for _, f := range m.Field {
			if f.GetName() == "summary" {
				f.Number = proto.Int32(12)
				changed = true
			}
		}
	}
	if !changed {
		t.Fatal("Diagnostic.summary not found in the generated descriptor")
	}
	files, err := protodesc.NewFiles(&descriptorpb.FileDescriptorSet{File: []*descriptorpb.FileDescriptorProto{
		protodesc.ToFileDescriptorProto(timestampFile()), fdp}})
	if err != nil {
		t.Fatalf("building the broken descriptor: %v", err)
	}
	broken, err := files.FindFileByPath(fdp.GetName())
	if err != nil {
		t.Fatal(err)
	}
	errs := CheckFieldNumbers(broken)
	if !containsErr(errs, "tfplugin6.Diagnostic.summary has field number 12") {
		t.Fatalf("renumbered field not reported: %v", errs)
	}
}

func timestampFile() protoreflect.FileDescriptor {
	fd := generatedFile()
	imps := fd.Imports()
	for i := 0; i < imps.Len(); i++ {
		if imps.Get(i).Path() == "google/protobuf/timestamp.proto" {
			return imps.Get(i).FileDescriptor
		}
	}
	return nil
}

// A provider answering with the provider schema under another field number
// is, to Terraform, a response without a provider schema.
func TestWrongFieldNumberOnTheWireIsReported(t *testing.T) {
	good, err := proto.Marshal(goodSchemaResponse())
	if err != nil {
		t.Fatal(err)
	}
	var moved []byte
	for b := good; len(b) > 0; {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			t.Fatal("bad tag")
		}
		m := protowire.ConsumeFieldValue(num, typ, b[n:])
		if num == 1 { // provider → field 15 (unknown to Terraform)
			moved = protowire.AppendTag(moved, 15, typ)
		} else {
			moved = protowire.AppendTag(moved, num, typ)
		}
		moved = append(moved, b[n:n+m]...)
		b = b[n+m:]
	}
	var resp tfplugin6.GetProviderSchema_Response
	if err := proto.Unmarshal(moved, &resp); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	if _, errs := ConvertProviderSchema(&resp); !containsErr(errs, "missing provider schema") {
		t.Fatalf("moved field not reported: %v", errs)
	}
}

func TestPlanChecksRejectInvalidPlans(t *testing.T) {
	ps, _ := ConvertProviderSchema(goodSchemaResponse())
	b := ps.Resources["thing"].Block
	ty := b.ImpliedType()
	config := ObjectVal(ty, map[string]cty.Value{"name": cty.StringVal("a")})
	prior := cty.NullVal(ty)
	good := ObjectVal(ty, map[string]cty.Value{"name": cty.StringVal("a"), "id": cty.UnknownVal(cty.String)})
	if errs := AssertPlanValid(b, prior, config, good); len(errs) > 0 {
		t.Fatalf("valid create plan rejected: %v", errs)
	}
	changedName := ObjectVal(ty, map[string]cty.Value{"name": cty.StringVal("b"), "id": cty.UnknownVal(cty.String)})
	if errs := AssertPlanValid(b, prior, config, changedName); !containsErr(errs, "does not match config value") {
		t.Fatalf("changed configured value accepted: %v", errs)
	}
	defaulted := ObjectVal(ty, map[string]cty.Value{"name": cty.StringVal("a"), "tags": cty.MapValEmpty(cty.String)})
	if errs := AssertPlanValid(b, prior, config, defaulted); !containsErr(errs, "for a non-computed attribute") {
		t.Fatalf("default for a non-computed attribute accepted: %v", errs)
	}
	if errs := AssertPlanValid(b, prior, config, cty.NullVal(ty)); !containsErr(errs, "planned for absence") {
		t.Fatalf("null plan accepted: %v", errs)
	}
}

func TestApplyChecksRejectInconsistentResults(t *testing.T) {
	ps, _ := ConvertProviderSchema(goodSchemaResponse())
	b := ps.Resources["thing"].Block
	ty := b.ImpliedType()
	planned := ObjectVal(ty, map[string]cty.Value{"name": cty.StringVal("a"), "id": cty.UnknownVal(cty.String)})
	ok := ObjectVal(ty, map[string]cty.Value{"name": cty.StringVal("a"), "id": cty.StringVal("x")})
	if errs := AssertObjectCompatible(b, planned, ok); len(errs) > 0 {
		t.Fatalf("consistent result rejected: %v", errs)
	}
	renamed := ObjectVal(ty, map[string]cty.Value{"name": cty.StringVal("A"), "id": cty.StringVal("x")})
	if errs := AssertObjectCompatible(b, planned, renamed); !containsErr(errs, "but now") {
		t.Fatalf("changed known value accepted: %v", errs)
	}
	nullPlanned := ObjectVal(ty, map[string]cty.Value{"name": cty.StringVal("a")})
	if errs := AssertObjectCompatible(b, nullPlanned, ok); !containsErr(errs, "was null, but now") {
		t.Fatalf("null planned, value applied accepted: %v", errs)
	}
	tagged := ObjectVal(ty, map[string]cty.Value{"name": cty.StringVal("a"), "id": cty.StringVal("x"),
		"tags": cty.MapValEmpty(cty.String)})
	if errs := AssertObjectCompatible(b, planned, tagged); !containsErr(errs, "was null, but now") {
		t.Fatalf("null→empty map accepted: %v", errs)
	}
}

func TestProposedNewKeepsComputedPrior(t *testing.T) {
	ps, _ := ConvertProviderSchema(goodSchemaResponse())
	b := ps.Resources["thing"].Block
	ty := b.ImpliedType()
	prior := ObjectVal(ty, map[string]cty.Value{"name": cty.StringVal("a"), "id": cty.StringVal("x"),
		"tags": cty.MapVal(map[string]cty.Value{"k": cty.StringVal("v")})})
	config := ObjectVal(ty, map[string]cty.Value{"name": cty.StringVal("b")})
	got := ProposedNew(b, prior, config)
	want := ObjectVal(ty, map[string]cty.Value{"name": cty.StringVal("b"), "id": cty.StringVal("x")})
	if !got.RawEquals(want) {
		t.Fatalf("ProposedNew = %#v, want %#v", got, want)
	}
}

func TestLogChecksRejectBadLines(t *testing.T) {
	good := `{"@level":"info","@message":"hi","@timestamp":"2026-01-01T00:00:00.000000Z"}` + "\n[DEBUG] plain\n"
	if errs := CheckLogLines(good); len(errs) > 0 {
		t.Fatalf("good log rejected: %v", errs)
	}
	for _, bad := range []string{
		`{"@level":"info","@message":42,"@timestamp":"2026-01-01T00:00:00.000000Z"}`,
		`{"@level":"info","@message":"x","@timestamp":"2026-01-01T00:00:00Z"}`,
		`{"@level":"loud","@message":"x"}`,
	} {
		if errs := CheckLogLines(bad); len(errs) == 0 {
			t.Errorf("bad log line accepted: %s", bad)
		}
	}
	if errs := CheckNoSecrets("stderr", "key=abcdSECRET", "abcdSECRET"); len(errs) == 0 {
		t.Error("secret in log not reported")
	}
}

// fakePlugin writes a shell script that prints line as its handshake and
// then sleeps, standing in for a provider binary.
func fakePlugin(t *testing.T, line string) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "terraform-provider-fake")
	script := "#!/bin/sh\nprintf '%s\\n' '" + line + "'\nexec sleep 30\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func testCertDER(t *testing.T) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"}, DNSNames: []string{"localhost"},
		NotBefore: time.Now().Add(-time.Minute), NotAfter: time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func TestHandshakeFailuresAreReported(t *testing.T) {
	der := testCertDER(t)
	padded := base64.StdEncoding.EncodeToString(der)
	if !strings.HasSuffix(padded, "=") {
		// Make sure the padded form differs: append bytes until it needs padding.
		der = append(der, 0)
		padded = base64.StdEncoding.EncodeToString(der)
	}
	sock := filepath.Join(t.TempDir(), "plugin.sock")
	cases := map[string]struct {
		line string
		want string
	}{
		"padded base64 certificate": {"1|6|unix|" + sock + "|grpc|" + padded, "error parsing server cert"},
		"protocol version 5":        {"1|5|unix|" + sock + "|grpc|", "protocol 5"},
		"protocol version 7":        {"1|7|unix|" + sock + "|grpc|", "Incompatible API version"},
		"core version 2":            {"2|6|unix|" + sock + "|grpc|", "Incompatible core API version"},
		"netrpc protocol":           {"1|6|unix|" + sock, "Unsupported plugin protocol"},
		"garbage":                   {"hello world", "Unrecognized remote plugin message"},
	}
	for name, c := range cases {
		t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
			p, err := Launch(fakePlugin(t, c.line), LaunchOptions{StartTimeout: 10 * time.Second})
			if err == nil {
				p.Kill()
				t.Fatalf("handshake %q accepted", c.line)
			}
			// go-plugin 1.6 lower-cased the first word of its handshake errors.
			if !strings.Contains(strings.ToLower(err.Error()), strings.ToLower(c.want)) {
				t.Fatalf("error %q does not mention %q", err, c.want)
			}
		})
	}
	t.Run("exits_before_handshake", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "terraform-provider-fake")
		os.WriteFile(path, []byte("#!/bin/sh\nexit 1\n"), 0o755)
		if p, err := Launch(path, LaunchOptions{StartTimeout: 10 * time.Second}); err == nil {
			p.Kill()
			t.Fatal("a plugin that exits was accepted")
		}
	})
}

// DecodeValue reads msgpack as Terraform 1.6+ does (go-cty's decoder): plain and refined
// unknowns and every number form are accepted, malformed extensions refused.
func TestDecodeValueFollowsTerraform16(t *testing.T) {
	obj := cty.Object(map[string]cty.Type{"a": cty.String, "b": cty.Number})
	good := []struct {
		name string
		ty   cty.Type
		b    []byte
		want cty.Value
	}{
		{"unknown", cty.String, []byte{0xd4, 0x00, 0x00}, cty.UnknownVal(cty.String)},
		{"refined", cty.String, []byte{0xc7, 0x03, 0x0c, 0x81, 0x01, 0xc2},
			cty.UnknownVal(cty.String).RefineNotNull()},
		{"prefix", cty.String, []byte{0xc7, 0x06, 0x0c, 0x82, 0x01, 0xc2, 0x02, 0xa1, 'w'},
			cty.UnknownVal(cty.String).Refine().NotNull().StringPrefixFull("w").NewValue()},
		{"object", obj, []byte{0x82, 0xa1, 'a', 0xd4, 0, 0, 0xa1, 'b', 0xcb, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0},
			cty.ObjectVal(map[string]cty.Value{"a": cty.UnknownVal(cty.String), "b": cty.NumberIntVal(1)})},
		{"decimal string", cty.Number, []byte{0xa3, '0', '.', '1'}, cty.MustParseNumberVal("0.1")},
		{"array of uint64s", cty.List(cty.Number), []byte{0x92, 0xcf, 0, 0, 0, 0, 0, 0, 0, 1, 0xcc, 0xff},
			cty.ListVal([]cty.Value{cty.NumberIntVal(1), cty.NumberIntVal(255)})},
	}
	for _, c := range good {
		v, err := DecodeValue(&tfplugin6.DynamicValue{Msgpack: c.b}, c.ty)
		if err != nil {
			t.Errorf("%s rejected: %v", c.name, err)
		} else if !v.RawEquals(c.want) {
			t.Errorf("%s decoded as %#v, want %#v", c.name, v, c.want)
		}
	}
	bad := map[string][]byte{
		"fixext2 type 0":           {0xd5, 0x00, 0x00, 0x00},
		"ext8 type 5":              {0xc7, 0x02, 0x05, 0x00, 0x00},
		"refinement not a map":     {0xc7, 0x02, 0x0c, 0x92, 0xc0, 0xc0},
		"truncated string":         {0xa5, 'a'},
		"trailing data":            {0xc0, 0xc0},
		"invalid type byte (0xc1)": {0xc1},
	}
	for name, b := range bad {
		if _, err := DecodeValue(&tfplugin6.DynamicValue{Msgpack: b}, cty.String); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
	// A refinement payload over 1024 bytes is refused: {2: 1100-byte prefix}, 1105 bytes.
	raw := append([]byte{0xc8, 0x04, 0x51, 0x0c, 0x81, 0x02, 0xda, 0x04, 0x4c}, strings.Repeat("x", 1100)...)
	if _, err := DecodeValue(&tfplugin6.DynamicValue{Msgpack: raw}, cty.String); err == nil {
		t.Error("a 1105-byte refinement was accepted")
	}
}
