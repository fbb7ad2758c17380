package driver

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// Config is one parsed .tf configuration: the provider block, resource
// blocks and input variables (a small subset of Terraform's language: no
// modules, references only to var.* and count.index).
type Config struct {
	Provider  hcl.Body
	Resources []*ResourceConfig
	Vars      map[string]cty.Value
}

// ResourceConfig is a resource block.
type ResourceConfig struct {
	Type  string
	Name  string
	Count hcl.Expression // nil without count
	Body  hcl.Body
}

// Instance is one resource instance with its decoded configuration.
type Instance struct {
	Addr   string
	Type   string
	Config cty.Value
}

var rootSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "terraform"},
		{Type: "provider", LabelNames: []string{"name"}},
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "resource", LabelNames: []string{"type", "name"}},
		{Type: "output", LabelNames: []string{"name"}},
	},
}

var variableSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "default"}, {Name: "type"}, {Name: "description"}, {Name: "sensitive"}},
}

var resourceMetaSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "count"}, {Name: "depends_on"}, {Name: "provider"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "lifecycle"}},
}

// LoadConfigFiles parses .tf files as one module (their contents joined);
// vars override the variables' defaults (the driver passes imsd's address
// this way).
func LoadConfigFiles(vars map[string]cty.Value, paths ...string) (*Config, error) {
	var src []byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		src = append(append(src, b...), '\n')
	}
	return ParseConfig(filepath.Base(paths[0]), src, vars)
}

// ParseConfig parses configuration source.
func ParseConfig(name string, src []byte, vars map[string]cty.Value) (*Config, error) {
	f, diags := hclparse.NewParser().ParseHCL(src, name)
	if diags.HasErrors() {
		return nil, diags
	}
	content, diags := f.Body.Content(rootSchema)
	if diags.HasErrors() {
		return nil, diags
	}
	c := &Config{Vars: map[string]cty.Value{}, Provider: hcl.EmptyBody()}
	for _, b := range content.Blocks {
		switch b.Type {
		case "provider":
			c.Provider = b.Body
		case "variable":
			vc, d := b.Body.Content(variableSchema)
			if d.HasErrors() {
				return nil, d
			}
			v := cty.NullVal(cty.DynamicPseudoType)
			if a, ok := vc.Attributes["default"]; ok {
				dv, d := a.Expr.Value(nil)
				if d.HasErrors() {
					return nil, d
				}
				v = dv
			}
			c.Vars[b.Labels[0]] = v
		case "resource":
			rc := &ResourceConfig{Type: b.Labels[0], Name: b.Labels[1]}
			meta, remain, d := b.Body.PartialContent(resourceMetaSchema)
			if d.HasErrors() {
				return nil, d
			}
			if a, ok := meta.Attributes["count"]; ok {
				rc.Count = a.Expr
			}
			rc.Body = remain
			c.Resources = append(c.Resources, rc)
		}
	}
	for k, v := range vars {
		c.Vars[k] = v
	}
	return c, nil
}

func (c *Config) evalContext(extra map[string]cty.Value) *hcl.EvalContext {
	vars := map[string]cty.Value{"var": cty.EmptyObjectVal}
	if len(c.Vars) > 0 {
		vars["var"] = cty.ObjectVal(c.Vars)
	}
	for k, v := range extra {
		vars[k] = v
	}
	return &hcl.EvalContext{Variables: vars}
}

// DecodeBody decodes a configuration body against a block schema as
// Terraform does (hcldec with the block's decoder spec), then rejects
// configured read-only (computed-only) attributes.
func DecodeBody(body hcl.Body, b *Block, ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	val, diags := hcldec.Decode(body, b.DecoderSpec(), ctx)
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	// hcldec builds the object from the spec; convert to the implied type
	// so that empty collections and nulls carry their exact types.
	cv, err := convert.Convert(val, b.ImpliedType())
	if err != nil {
		return cty.NilVal, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid configuration", Detail: err.Error()})
	}
	diags = append(diags, readOnlyDiags(b, cv, nil)...)
	return cv, diags
}

func readOnlyDiags(b *Block, v cty.Value, path []string) hcl.Diagnostics {
	var diags hcl.Diagnostics
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	for name, a := range b.Attributes {
		if a.Computed && !a.Optional && !v.GetAttr(name).IsNull() {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid Configuration for Read-Only Attribute",
				Detail:   fmt.Sprintf("Cannot set value for this attribute as the provider has marked it as read-only: %s", strings.Join(append(path, name), ".")),
			})
		}
	}
	for name, nb := range b.BlockTypes {
		if nb.Nesting == NestingSingle || nb.Nesting == NestingGroup {
			diags = append(diags, readOnlyDiags(nb.Block, v.GetAttr(name), append(path, name))...)
		}
	}
	return diags
}

// ProviderConfig decodes the provider block.
func (c *Config) ProviderConfig(b *Block) (cty.Value, hcl.Diagnostics) {
	return DecodeBody(c.Provider, b, c.evalContext(nil))
}

// Instances expands and decodes every resource block; schemas maps resource
// types to their blocks.
func (c *Config) Instances(schemas map[string]*Schema) ([]Instance, hcl.Diagnostics) {
	var out []Instance
	var diags hcl.Diagnostics
	for _, rc := range c.Resources {
		s, ok := schemas[rc.Type]
		if !ok {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid resource type", Detail: fmt.Sprintf("The provider does not support resource type %q.", rc.Type)})
			continue
		}
		base := rc.Type + "." + rc.Name
		if rc.Count == nil {
			v, d := DecodeBody(rc.Body, s.Block, c.evalContext(nil))
			diags = append(diags, d...)
			if !d.HasErrors() {
				out = append(out, Instance{Addr: base, Type: rc.Type, Config: v})
			}
			continue
		}
		cv, d := rc.Count.Value(c.evalContext(nil))
		diags = append(diags, d...)
		if d.HasErrors() {
			continue
		}
		n := 0
		if err := gocty(cv, &n); err != nil {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid count argument", Detail: err.Error()})
			continue
		}
		for i := 0; i < n; i++ {
			ctx := c.evalContext(map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{"index": cty.NumberIntVal(int64(i))})})
			v, d := DecodeBody(rc.Body, s.Block, ctx)
			diags = append(diags, d...)
			if !d.HasErrors() {
				out = append(out, Instance{Addr: fmt.Sprintf("%s[%d]", base, i), Type: rc.Type, Config: v})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Addr < out[j].Addr })
	return out, diags
}

func gocty(v cty.Value, n *int) error {
	if v.IsNull() || !v.IsKnown() || v.Type() != cty.Number {
		return fmt.Errorf("count must be a known number")
	}
	bf := v.AsBigFloat()
	i, acc := bf.Int64()
	if acc != 0 || i < 0 {
		return fmt.Errorf("count must be a whole non-negative number")
	}
	*n = int(i)
	return nil
}
