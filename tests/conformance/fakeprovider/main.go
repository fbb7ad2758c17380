// Command fakeprovider is a small, correct tfplugin6 provider written with
// go-plugin's own server, used to check the driver itself: the driver must
// pass it, and must report each protocol bug it can be told to commit
// (FAKE_BUG). It manages "fake_thing" objects stored as JSON files in
// FAKE_DIR, so that state survives across provider processes.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"

	plugin "github.com/hashicorp/go-plugin"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
	ctymsgpack "github.com/zclconf/go-cty/cty/msgpack"
	"google.golang.org/grpc"

	"hwims/conformance/tfplugin6"
)

var bug = os.Getenv("FAKE_BUG")

func str(s string) []byte { return []byte(`"` + s + `"`) }

func attr(name string, ty []byte, req, opt, comp bool) *tfplugin6.Schema_Attribute {
	return &tfplugin6.Schema_Attribute{Name: name, Type: ty, Required: req, Optional: opt, Computed: comp, Description: name}
}

var thingSchema = &tfplugin6.Schema{Version: 1, Block: &tfplugin6.Schema_Block{
	Attributes: []*tfplugin6.Schema_Attribute{
		attr("id", str("string"), false, false, true),
		attr("name", str("string"), true, false, false),
		attr("size", str("number"), false, true, true),
		attr("zone", str("string"), false, true, false),
		attr("tags", []byte(`["map","string"]`), false, true, false),
		attr("serial", str("string"), false, false, true),
	},
	BlockTypes: []*tfplugin6.Schema_NestedBlock{{
		TypeName: "timeouts", Nesting: tfplugin6.Schema_NestedBlock_SINGLE,
		Block: &tfplugin6.Schema_Block{Attributes: []*tfplugin6.Schema_Attribute{attr("create", str("string"), false, true, false)}},
	}},
}}

var thingType = cty.Object(map[string]cty.Type{
	"id": cty.String, "name": cty.String, "size": cty.Number, "zone": cty.String,
	"tags": cty.Map(cty.String), "serial": cty.String,
	"timeouts": cty.Object(map[string]cty.Type{"create": cty.String}),
})

type server struct {
	tfplugin6.UnimplementedProviderServer
	dir string
}

func dec(dv *tfplugin6.DynamicValue) cty.Value {
	if dv == nil || len(dv.Msgpack) == 0 {
		return cty.NullVal(thingType)
	}
	v, err := ctymsgpack.Unmarshal(dv.Msgpack, thingType)
	if err != nil {
		panic(err)
	}
	return v
}

func enc(v cty.Value) *tfplugin6.DynamicValue {
	b, err := ctymsgpack.Marshal(v, thingType)
	if err != nil {
		panic(err)
	}
	return &tfplugin6.DynamicValue{Msgpack: b}
}

func errDiag(summary string, path ...*tfplugin6.AttributePath_Step) *tfplugin6.Diagnostic {
	d := &tfplugin6.Diagnostic{Severity: tfplugin6.Diagnostic_ERROR, Summary: summary}
	if len(path) > 0 {
		d.Attribute = &tfplugin6.AttributePath{Steps: path}
	}
	return d
}

func attrStep(n string) *tfplugin6.AttributePath_Step {
	return &tfplugin6.AttributePath_Step{Selector: &tfplugin6.AttributePath_Step_AttributeName{AttributeName: n}}
}

func keyStep(k string) *tfplugin6.AttributePath_Step {
	return &tfplugin6.AttributePath_Step{Selector: &tfplugin6.AttributePath_Step_ElementKeyString{ElementKeyString: k}}
}

func with(v cty.Value, kv map[string]cty.Value) cty.Value {
	m := v.AsValueMap()
	for k, x := range kv {
		m[k] = x
	}
	return cty.ObjectVal(m)
}

func (s *server) GetProviderSchema(context.Context, *tfplugin6.GetProviderSchema_Request) (*tfplugin6.GetProviderSchema_Response, error) {
	resp := &tfplugin6.GetProviderSchema_Response{
		Provider:        &tfplugin6.Schema{Block: &tfplugin6.Schema_Block{Attributes: []*tfplugin6.Schema_Attribute{attr("label", str("string"), false, true, false)}}},
		ResourceSchemas: map[string]*tfplugin6.Schema{"fake_thing": thingSchema},
	}
	if bug == "schema_bad_type" {
		resp.ResourceSchemas["fake_thing"] = &tfplugin6.Schema{Block: &tfplugin6.Schema_Block{Attributes: []*tfplugin6.Schema_Attribute{attr("name", []byte("string"), true, false, false)}}}
	}
	return resp, nil
}

func (s *server) ValidateProviderConfig(context.Context, *tfplugin6.ValidateProviderConfig_Request) (*tfplugin6.ValidateProviderConfig_Response, error) {
	return &tfplugin6.ValidateProviderConfig_Response{}, nil
}

func (s *server) ConfigureProvider(context.Context, *tfplugin6.ConfigureProvider_Request) (*tfplugin6.ConfigureProvider_Response, error) {
	return &tfplugin6.ConfigureProvider_Response{}, nil
}

func (s *server) ValidateResourceConfig(_ context.Context, req *tfplugin6.ValidateResourceConfig_Request) (*tfplugin6.ValidateResourceConfig_Response, error) {
	v := dec(req.Config)
	resp := &tfplugin6.ValidateResourceConfig_Response{}
	name := v.GetAttr("name")
	if name.IsKnown() && !name.IsNull() && name.AsString() == "" {
		p := attrStep("name")
		if bug == "diag_wrong_path" {
			p = attrStep("zone")
		}
		resp.Diagnostics = append(resp.Diagnostics, errDiag("name must not be empty", p))
	}
	tags := v.GetAttr("tags")
	if tags.IsKnown() && !tags.IsNull() {
		for k := range tags.AsValueMap() {
			if strings.HasPrefix(k, "bad") {
				resp.Diagnostics = append(resp.Diagnostics, errDiag("bad tag key", attrStep("tags"), keyStep(k)))
			}
		}
	}
	return resp, nil
}

func (s *server) UpgradeResourceState(_ context.Context, req *tfplugin6.UpgradeResourceState_Request) (*tfplugin6.UpgradeResourceState_Response, error) {
	if bug == "upgrade_null" {
		return &tfplugin6.UpgradeResourceState_Response{}, nil
	}
	v, err := ctyjson.Unmarshal(req.RawState.Json, thingType)
	if err != nil {
		return &tfplugin6.UpgradeResourceState_Response{Diagnostics: []*tfplugin6.Diagnostic{errDiag("bad state: " + err.Error())}}, nil
	}
	return &tfplugin6.UpgradeResourceState_Response{UpgradedState: enc(v)}, nil
}

type object struct {
	Name   string            `json:"name"`
	Size   int64             `json:"size"`
	Zone   *string           `json:"zone"`
	Tags   map[string]string `json:"tags"`
	Serial string            `json:"serial"`
}

func (s *server) path(id string) string { return filepath.Join(s.dir, id+".json") }

func (s *server) load(id string) *object {
	b, err := os.ReadFile(s.path(id))
	if err != nil {
		return nil
	}
	var o object
	if json.Unmarshal(b, &o) != nil {
		return nil
	}
	return &o
}

func (s *server) save(id string, o *object) {
	b, _ := json.Marshal(o)
	os.WriteFile(s.path(id), b, 0o644)
}

func newID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// value builds the state value of an object, keeping what the API cannot
// return (timeouts) from prior, and tags null when the object has none and
// the prior had null.
func value(id string, o *object, prior cty.Value) cty.Value {
	tags := cty.NullVal(cty.Map(cty.String))
	if len(o.Tags) > 0 {
		m := map[string]cty.Value{}
		for k, v := range o.Tags {
			m[k] = cty.StringVal(v)
		}
		tags = cty.MapVal(m)
	} else if !prior.IsNull() && !prior.GetAttr("tags").IsNull() {
		tags = cty.MapValEmpty(cty.String)
	}
	zone := cty.NullVal(cty.String)
	if o.Zone != nil {
		zone = cty.StringVal(*o.Zone)
	}
	timeouts := cty.NullVal(thingType.AttributeType("timeouts"))
	if !prior.IsNull() {
		timeouts = prior.GetAttr("timeouts")
	}
	return cty.ObjectVal(map[string]cty.Value{
		"id": cty.StringVal(id), "name": cty.StringVal(o.Name), "size": cty.NumberIntVal(o.Size),
		"zone": zone, "tags": tags, "serial": cty.StringVal(o.Serial), "timeouts": timeouts,
	})
}

func (s *server) ReadResource(_ context.Context, req *tfplugin6.ReadResource_Request) (*tfplugin6.ReadResource_Response, error) {
	cur := dec(req.CurrentState)
	id := cur.GetAttr("id").AsString()
	o := s.load(id)
	if o == nil {
		return &tfplugin6.ReadResource_Response{Private: req.Private}, nil
	}
	return &tfplugin6.ReadResource_Response{NewState: enc(value(id, o, cur)), Private: req.Private}, nil
}

func (s *server) PlanResourceChange(_ context.Context, req *tfplugin6.PlanResourceChange_Request) (*tfplugin6.PlanResourceChange_Response, error) {
	prior, proposed := dec(req.PriorState), dec(req.ProposedNewState)
	if proposed.IsNull() {
		return &tfplugin6.PlanResourceChange_Response{PlannedState: enc(proposed), PlannedPrivate: req.PriorPrivate}, nil
	}
	planned := proposed
	if proposed.GetAttr("size").IsNull() {
		planned = with(planned, map[string]cty.Value{"size": cty.NumberIntVal(1)})
	}
	resp := &tfplugin6.PlanResourceChange_Response{PlannedPrivate: []byte(`{"planned":true}`)}
	if prior.IsNull() {
		// The serial is always set: the plan says so with a go-cty refinement, as
		// terraform-plugin-framework providers do.
		serial := cty.UnknownVal(cty.String).Refine().NotNull().NewValue()
		unknown := map[string]cty.Value{"id": cty.UnknownVal(cty.String), "serial": serial}
		if bug == "plan_id_null" {
			delete(unknown, "id")
		}
		planned = with(planned, unknown)
	} else {
		changed := false
		for _, a := range []string{"name", "size", "tags"} {
			if eq := prior.GetAttr(a).Equals(planned.GetAttr(a)); !eq.IsKnown() || eq.False() {
				changed = true
			}
		}
		if changed {
			planned = with(planned, map[string]cty.Value{"serial": cty.UnknownVal(cty.String)})
		}
		resp.RequiresReplace = []*tfplugin6.AttributePath{{Steps: []*tfplugin6.AttributePath_Step{attrStep("zone")}}}
	}
	if bug == "plan_rename" {
		planned = with(planned, map[string]cty.Value{"name": cty.StringVal("renamed")})
	}
	resp.PlannedState = enc(planned)
	return resp, nil
}

func (s *server) ApplyResourceChange(_ context.Context, req *tfplugin6.ApplyResourceChange_Request) (*tfplugin6.ApplyResourceChange_Response, error) {
	prior, planned := dec(req.PriorState), dec(req.PlannedState)
	if string(req.PlannedPrivate) != `{"planned":true}` && !planned.IsNull() {
		return &tfplugin6.ApplyResourceChange_Response{Diagnostics: []*tfplugin6.Diagnostic{errDiag("planned private lost: " + string(req.PlannedPrivate))}}, nil
	}
	if planned.IsNull() {
		os.Remove(s.path(prior.GetAttr("id").AsString()))
		return &tfplugin6.ApplyResourceChange_Response{NewState: enc(planned)}, nil
	}
	id := newID()
	if !prior.IsNull() {
		id = prior.GetAttr("id").AsString()
	}
	o := &object{Name: planned.GetAttr("name").AsString(), Serial: newID(), Tags: map[string]string{}}
	if old := s.load(id); old != nil && planned.GetAttr("serial").IsKnown() {
		o.Serial = old.Serial
	}
	bf := planned.GetAttr("size").AsBigFloat()
	o.Size, _ = bf.Int64()
	if z := planned.GetAttr("zone"); !z.IsNull() {
		zs := z.AsString()
		o.Zone = &zs
	}
	if t := planned.GetAttr("tags"); !t.IsNull() {
		for k, v := range t.AsValueMap() {
			o.Tags[k] = v.AsString()
		}
	}
	if bug == "apply_rename" {
		o.Name += "!"
	}
	s.save(id, o)
	nv := value(id, o, planned)
	if bug == "apply_serial_null" {
		// Breaks only the plan's refinement (serial not null): before Terraform 1.6 an
		// unknown placeholder accepted any final value, null included.
		nv = with(nv, map[string]cty.Value{"serial": cty.NullVal(cty.String)})
	}
	if !planned.GetAttr("tags").IsNull() && len(o.Tags) == 0 {
		nv = with(nv, map[string]cty.Value{"tags": cty.MapValEmpty(cty.String)})
	}
	if strings.HasSuffix(o.Name, "-fail") {
		// A create that half-worked: the object with an error.
		return &tfplugin6.ApplyResourceChange_Response{NewState: enc(nv), Private: []byte("p"),
			Diagnostics: []*tfplugin6.Diagnostic{errDiag("created " + id + " but configuring it failed")}}, nil
	}
	return &tfplugin6.ApplyResourceChange_Response{NewState: enc(nv), Private: []byte("p")}, nil
}

func (s *server) ImportResourceState(_ context.Context, req *tfplugin6.ImportResourceState_Request) (*tfplugin6.ImportResourceState_Response, error) {
	stub := cty.ObjectVal(map[string]cty.Value{
		"id": cty.StringVal(req.Id), "name": cty.NullVal(cty.String), "size": cty.NullVal(cty.Number),
		"zone": cty.NullVal(cty.String), "tags": cty.NullVal(cty.Map(cty.String)), "serial": cty.NullVal(cty.String),
		"timeouts": cty.NullVal(thingType.AttributeType("timeouts")),
	})
	return &tfplugin6.ImportResourceState_Response{ImportedResources: []*tfplugin6.ImportResourceState_ImportedResource{
		{TypeName: req.TypeName, State: enc(stub)}}}, nil
}

func (s *server) StopProvider(context.Context, *tfplugin6.StopProvider_Request) (*tfplugin6.StopProvider_Response, error) {
	return &tfplugin6.StopProvider_Response{}, nil
}

type grpcPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	srv *server
}

func (p *grpcPlugin) GRPCServer(_ *plugin.GRPCBroker, g *grpc.Server) error {
	tfplugin6.RegisterProviderServer(g, p.srv)
	return nil
}

func (p *grpcPlugin) GRPCClient(context.Context, *plugin.GRPCBroker, *grpc.ClientConn) (interface{}, error) {
	return nil, nil
}

func main() {
	srv := &server{dir: os.Getenv("FAKE_DIR")}
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: plugin.HandshakeConfig{
			MagicCookieKey:   "TF_PLUGIN_MAGIC_COOKIE",
			MagicCookieValue: "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
		},
		VersionedPlugins: map[int]plugin.PluginSet{6: {"provider": &grpcPlugin{srv: srv}}},
		GRPCServer:       plugin.DefaultGRPCServer,
	})
}
