package suite

// Issue 13: the data sources huaweicloud_images_image and huaweicloud_images_images as Terraform
// drives them against imsd's default seed: the schema, plan-time validation with paths and with
// unknown values, each argument, most_recent ties, zero and many results, a result of several
// pages, and a copy whose source image comes from the lookup.

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"hwims/conformance/driver"
	"hwims/conformance/tfplugin6"
)

const (
	dsOne  = "huaweicloud_images_image"
	dsMany = "huaweicloud_images_images"
	seedID = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c"
)

// dsSession is a configured provider process pointed at m.
func dsSession(t *testing.T, m *driver.Imsd) *driver.Session {
	t.Helper()
	s, err := driver.OpenSession(env(t), load(t, m, "scenarios/spec-within.tf", nil), true)
	if err != nil {
		t.Fatalf("open session: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func dsConfig(t *testing.T, s *driver.Session, typ string, attrs map[string]cty.Value) cty.Value {
	t.Helper()
	ds := s.Schema.DataSources[typ]
	if ds == nil {
		t.Fatalf("the provider serves no data source %s", typ)
	}
	return driver.ObjectVal(ds.Block.ImpliedType(), attrs)
}

func dsValidate(t *testing.T, s *driver.Session, typ string, cfg cty.Value) driver.Diagnostics {
	t.Helper()
	dv, err := driver.EncodeValue(cfg, s.Schema.DataSources[typ].Block.ImpliedType())
	if err != nil {
		t.Fatal(err)
	}
	resp, err := s.P.RPC.ValidateDataResourceConfig(context.Background(),
		&tfplugin6.ValidateDataResourceConfig_Request{TypeName: typ, Config: dv})
	if err != nil {
		t.Fatalf("ValidateDataResourceConfig: %v", err)
	}
	d := driver.ConvertDiagnostics(resp.Diagnostics)
	if errs := d.CheckWellFormed(); len(errs) > 0 {
		t.Fatal(errs[0])
	}
	return d
}

// dsRead does what Terraform does with a data block: validate, then read only when the whole
// configuration is known (else the read waits for apply and the result is unknown); the
// result must conform to the schema, be wholly known and keep every configured argument.
func dsRead(t *testing.T, s *driver.Session, typ string, cfg cty.Value) (cty.Value, driver.Diagnostics) {
	t.Helper()
	if d := dsValidate(t, s, typ, cfg); d.HasErrors() {
		return cty.NilVal, d
	}
	ty := s.Schema.DataSources[typ].Block.ImpliedType()
	if !cfg.IsWhollyKnown() {
		return cty.UnknownVal(ty), nil
	}
	dv, err := driver.EncodeValue(cfg, ty)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := s.P.RPC.ReadDataSource(context.Background(),
		&tfplugin6.ReadDataSource_Request{TypeName: typ, Config: dv})
	if err != nil {
		t.Fatalf("ReadDataSource: %v", err)
	}
	d := driver.ConvertDiagnostics(resp.Diagnostics)
	if d.HasErrors() {
		return cty.NilVal, d
	}
	v, err := driver.DecodeValue(resp.State, ty)
	if err != nil {
		t.Fatalf("Terraform cannot decode the state: %v", err)
	}
	if !v.IsWhollyKnown() {
		t.Fatalf("provider produced an unknown value in the state of %s: %#v", typ, v)
	}
	for name, c := range cfg.AsValueMap() {
		if !c.IsNull() && !v.GetAttr(name).RawEquals(c) {
			t.Errorf("%s: configured %s = %#v, read %#v", typ, name, c, v.GetAttr(name))
		}
	}
	return v, d
}

func attrs(kv ...interface{}) map[string]cty.Value {
	out := map[string]cty.Value{}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i].(string)] = toCty(kv[i+1])
	}
	return out
}

// ids of the images list, as found.
func imageIDs(v cty.Value) []string {
	var out []string
	for _, img := range v.GetAttr("images").AsValueSlice() {
		out = append(out, img.GetAttr("id").AsString())
	}
	return out
}

func TestDataSourceSchemas(t *testing.T) {
	p := launch(t)
	ps := schema(t, p)
	for _, typ := range []string{dsOne, dsMany} {
		ds := ps.DataSources[typ]
		if ds == nil {
			t.Fatalf("no data source %s", typ)
		}
		want := map[string]cty.Type{"region": cty.String, "image_id": cty.String, "name": cty.String,
			"name_regex": cty.String, "image_type": cty.String, "is_whole_image": cty.Bool,
			"visibility": cty.String, "owner": cty.String, "flavor_id": cty.String, "sort_key": cty.String,
			"sort_direction": cty.String, "os": cty.String, "architecture": cty.String, "tag": cty.String,
			"enterprise_project_id": cty.String, "id": cty.String}
		image := map[string]cty.Type{"os_version": cty.String, "file": cty.String, "schema": cty.String,
			"status": cty.String, "description": cty.String, "protected": cty.Bool,
			"container_format": cty.String, "min_ram_mb": cty.Number, "max_ram_mb": cty.Number,
			"min_disk_gb": cty.Number, "disk_format": cty.String, "data_origin": cty.String,
			"backup_id": cty.String, "size_bytes": cty.Number, "active_at": cty.String,
			"created_at": cty.String, "updated_at": cty.String}
		if typ == dsOne {
			want["most_recent"] = cty.Bool
			for k, v := range image {
				want[k] = v
			}
		} else {
			want["__support_agent_list"] = cty.String
			elem := map[string]cty.Type{"id": cty.String, "name": cty.String, "image_type": cty.String,
				"visibility": cty.String, "owner": cty.String, "os": cty.String, "architecture": cty.String,
				"enterprise_project_id": cty.String, "__support_agent_list": cty.String}
			for k, v := range image {
				elem[k] = v
			}
			want["images"] = cty.List(cty.Object(elem))
		}
		got := ds.Block.ImpliedType().AttributeTypes()
		for name, ty := range want {
			if g, ok := got[name]; !ok || !g.Equals(ty) {
				t.Errorf("%s.%s: type %#v, want %#v", typ, name, g, ty)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s has %d attributes, want %d", typ, len(got), len(want))
		}
	}
}

func TestDataSourceValidation(t *testing.T) {
	m := startImsd(t)
	s := dsSession(t, m)
	for _, typ := range []string{dsOne, dsMany} {
		for _, c := range []struct {
			attrs map[string]cty.Value
			path  string
			words string
		}{
			{attrs("name", "x", "name_regex", "^x"), "name_regex", "cannot be used together"},
			{attrs("name_regex", "(["), "name_regex", "POSIX extended"},
			{attrs("visibility", "all"), "visibility", "public, private, market, shared"},
			{attrs("image_type", "VM"), "image_type", "IsoImage"},
			{attrs("sort_direction", "down"), "sort_direction", "desc"},
			{attrs("tag", "novalue"), "tag", "Key=Value"},
		} {
			d := dsValidate(t, s, typ, dsConfig(t, s, typ, c.attrs))
			if err := d.Match(driver.Expect{Severity: driver.SeverityError, Path: c.path, SummaryHas: c.words}); err != nil {
				t.Errorf("%s %v: %v", typ, c.attrs, err)
			}
		}
		// Unknown values are checked once known: validate is clean and the read waits.
		cfg := dsConfig(t, s, typ, map[string]cty.Value{"name": cty.StringVal("x"), "name_regex": cty.UnknownVal(cty.String)})
		if d := dsValidate(t, s, typ, cfg); len(d) != 0 {
			t.Errorf("%s: diagnostics for an unknown value: %s", typ, d)
		}
		v, _ := dsRead(t, s, typ, cfg)
		if v.IsKnown() {
			t.Errorf("%s was read with unknown arguments", typ)
		}
	}
}

func TestDataSourceEveryArgument(t *testing.T) {
	m := startImsd(t)
	s := dsSession(t, m)
	for _, c := range []struct {
		attrs map[string]cty.Value
		want  []string // the IDs (suffixes), in order
	}{
		{attrs("image_id", seedID+"01"), []string{"01"}},
		{attrs("name", "CentOS 7.4 64bit"), []string{"24"}},
		{attrs("name_regex", "^CentOS 7\\.[0-9] 64bit$", "visibility", "public"), []string{"24", "23"}},
		{attrs("visibility", "public", "image_type", "Ironic"), []string{"28"}},
		{attrs("visibility", "public", "image_type", "IsoImage"), []string{"29"}},
		{attrs("visibility", "shared"), []string{"31"}},
		{attrs("visibility", "public", "architecture", "arm"), []string{"25", "22"}},
		{attrs("visibility", "public", "os", "Windows"), []string{"26"}},
		{attrs("region", "cn-south-1", "visibility", "public"), []string{"30"}},
		{attrs("visibility", "public", "os", "CentOS", "sort_key", "name", "sort_direction", "desc"), []string{"28", "23", "24"}},
		{attrs("visibility", "public", "os", "Ubuntu", "__support_agent_list", "hss,ces", "architecture", "x86", "image_type", "FusionCompute"), []string{"21"}},
		{attrs("name", "no such image"), nil},
	} {
		v, d := dsRead(t, s, dsMany, dsConfig(t, s, dsMany, c.attrs))
		if d.HasErrors() {
			t.Errorf("%v: %s", c.attrs, d)
			continue
		}
		var want []string
		for _, w := range c.want {
			want = append(want, seedID+w)
		}
		if got := imageIDs(v); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%v: found %v, want %v", c.attrs, got, want)
		}
	}
	// flavor_id, owner, enterprise_project_id, is_whole_image, tag narrow what the service
	// returns: each of them keeps a subset of the unfiltered private images.
	all, _ := dsRead(t, s, dsMany, dsConfig(t, s, dsMany, nil))
	allIDs := map[string]bool{}
	for _, id := range imageIDs(all) {
		allIDs[id] = true
	}
	owner := driver.Str(all.GetAttr("images").Index(cty.NumberIntVal(0)), "owner")
	for _, a := range []map[string]cty.Value{attrs("flavor_id", "s6.small.1"), attrs("owner", owner),
		attrs("enterprise_project_id", "0"), attrs("is_whole_image", true), attrs("tag", "env=prod")} {
		v, d := dsRead(t, s, dsMany, dsConfig(t, s, dsMany, a))
		if d.HasErrors() {
			t.Errorf("%v: %s", a, d)
			continue
		}
		for _, id := range imageIDs(v) {
			if !allIDs[id] {
				t.Errorf("%v: %s is not an image of the region", a, id)
			}
		}
	}
}

func TestDataSourceSingular(t *testing.T) {
	m := startImsd(t)
	s := dsSession(t, m)
	v, d := dsRead(t, s, dsOne, dsConfig(t, s, dsOne, attrs("name", "Ubuntu 22.04 server 64bit", "visibility", "public")))
	if d.HasErrors() {
		t.Fatal(d)
	}
	if v.GetAttr("id").AsString() != seedID+"06" || driver.Str(v, "image_id") != seedID+"06" ||
		driver.Str(v, "os") != "Ubuntu" || driver.Str(v, "architecture") != "x86" || driver.Str(v, "region") != driver.SeedRegion {
		t.Errorf("found %#v", v)
	}
	// Several without most_recent: an error that says what to set.
	_, d = dsRead(t, s, dsOne, dsConfig(t, s, dsOne, attrs("visibility", "public", "os", "CentOS")))
	if err := d.Match(driver.Expect{Severity: driver.SeverityError, Path: "most_recent", SummaryHas: "most_recent = true"}); err != nil {
		t.Error(err)
	}
	// None: an error that says so.
	_, d = dsRead(t, s, dsOne, dsConfig(t, s, dsOne, attrs("name", "no such image")))
	if err := d.Match(driver.Expect{Severity: driver.SeverityError, SummaryHas: "no results"}); err != nil {
		t.Error(err)
	}
	// most_recent: the latest updated_at of the public CentOS images (the bare metal one).
	v, d = dsRead(t, s, dsOne, dsConfig(t, s, dsOne, attrs("visibility", "public", "os", "CentOS", "most_recent", true)))
	if d.HasErrors() || driver.Str(v, "id") != seedID+"28" {
		t.Errorf("most_recent: %s %#v", d, driver.Str(v, "id"))
	}
}

// Two copies of one source made by one apply may tie on updated_at; most_recent still returns
// one image (ties broken by created_at, then the sort's order), the same one every time.
func TestDataSourceMostRecentTies(t *testing.T) {
	m := startImsd(t)
	w := newWorkspace(t, m, "scenarios/copy.tf")
	w.set(map[string]interface{}{"instances": 2, "name": "tie-copy"})
	w.apply(nil)
	s := dsSession(t, m)
	cfg := dsConfig(t, s, dsOne, attrs("name_regex", "^tie-copy", "most_recent", true))
	first, d := dsRead(t, s, dsOne, cfg)
	if d.HasErrors() {
		t.Fatal(d)
	}
	for i := 0; i < 3; i++ {
		again, d := dsRead(t, s, dsOne, cfg)
		if d.HasErrors() || driver.Str(again, "id") != driver.Str(first, "id") {
			t.Fatalf("most_recent picked %s then %s (%s)", driver.Str(first, "id"), driver.Str(again, "id"), d)
		}
	}
	many, _ := dsRead(t, s, dsMany, dsConfig(t, s, dsMany, attrs("name_regex", "^tie-copy")))
	if n := len(imageIDs(many)); n != 2 {
		t.Errorf("%d copies found, want 2", n)
	}
	w.destroy()
}

// ap-southeast-1 holds 520 private images: more than one page of the API's; every one is found.
func TestDataSourceManyPages(t *testing.T) {
	m := startImsd(t)
	s := dsSession(t, m)
	v, d := dsRead(t, s, dsMany, dsConfig(t, s, dsMany, attrs("region", "ap-southeast-1", "name_regex", "^nightly-backup-")))
	if d.HasErrors() {
		t.Fatal(d)
	}
	ids := imageIDs(v)
	if len(ids) != 520 {
		t.Fatalf("%d images found, want 520", len(ids))
	}
	seen := map[string]bool{}
	var names []string
	for _, img := range v.GetAttr("images").AsValueSlice() {
		seen[img.GetAttr("id").AsString()] = true
		names = append(names, img.GetAttr("name").AsString())
	}
	if len(seen) != 520 {
		t.Errorf("%d distinct images, want 520 (a page read twice?)", len(seen))
	}
	if !sort.StringsAreSorted(names) {
		t.Errorf("not sorted by name")
	}
}

// The copy's source_image_id comes from the lookup: plan, apply, refresh, empty re-plan.
func TestScenarioCopyFromLookup(t *testing.T) {
	m := startImsd(t)
	s := dsSession(t, m)
	img, d := dsRead(t, s, dsOne, dsConfig(t, s, dsOne, attrs("name", "ubuntu-2204-golden")))
	if d.HasErrors() {
		t.Fatal(d)
	}
	w := newWorkspace(t, m, "scenarios/copy-from-lookup.tf")
	w.set(map[string]interface{}{"source_image_id": driver.Str(img, "id")})
	p := w.plan()
	w.expectActions(p, map[string]driver.Action{one: driver.Create})
	if res := w.applyPlan(p, driver.ApplyOptions{}); res.Err() != nil {
		t.Fatal(res.Err())
	}
	w.expectState(one, map[string]interface{}{"source_image_id": driver.Str(img, "id"), "name": "copy-of-lookup"})
	w.refresh()
	w.expectEmptyPlan()
	w.destroy()
	expectNoCopies(t, m)
}
