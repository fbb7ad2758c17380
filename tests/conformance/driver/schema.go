package driver

import (
	"errors"
	"fmt"
	"regexp"
	"sort"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"hwims/conformance/tfplugin6"
)

// Nesting is a nested block's (or nested attribute type's) nesting mode.
type Nesting int

// The values are tfplugin6's NestingMode numbers.
const (
	NestingInvalid Nesting = 0
	NestingSingle  Nesting = 1
	NestingList    Nesting = 2
	NestingSet     Nesting = 3
	NestingMap     Nesting = 4
	NestingGroup   Nesting = 5
)

// Attribute is a decoded Schema.Attribute (Terraform's configschema.Attribute).
type Attribute struct {
	Name        string
	Type        cty.Type // cty.NilType when NestedType is set
	NestedType  *Object
	Description string
	Required    bool
	Optional    bool
	Computed    bool
	Sensitive   bool
	Deprecated  bool
	WriteOnly   bool
}

// Object is a nested attribute type.
type Object struct {
	Attributes map[string]*Attribute
	Nesting    Nesting
}

// NestedBlock is a decoded Schema.NestedBlock.
type NestedBlock struct {
	TypeName string
	Block    *Block
	Nesting  Nesting
	MinItems int64
	MaxItems int64
}

// Block is a decoded Schema.Block.
type Block struct {
	Attributes map[string]*Attribute
	BlockTypes map[string]*NestedBlock
	Deprecated bool
}

// Schema is a decoded tfplugin6.Schema.
type Schema struct {
	Version int64
	Block   *Block
}

// ProviderSchema is everything GetProviderSchema returned, decoded.
type ProviderSchema struct {
	Provider     *Schema
	ProviderMeta *Schema
	Resources    map[string]*Schema
	DataSources  map[string]*Schema
	PlanDestroy  bool
}

var nameRe = regexp.MustCompile(`^[a-z0-9_]+$`)

// ConvertProviderSchema decodes a GetProviderSchema response the way
// Terraform's plugin6 client and schema loader do, and returns every reason
// Terraform would refuse it (or crash on it): missing provider schema, a nil
// block, an unparsable type, an invalid nesting mode, error diagnostics, and
// the configschema.InternalValidate rules.
func ConvertProviderSchema(resp *tfplugin6.GetProviderSchema_Response) (*ProviderSchema, []error) {
	var errs []error
	if resp == nil {
		return nil, []error{errors.New("nil GetProviderSchema response")}
	}
	for _, d := range ConvertDiagnostics(resp.Diagnostics) {
		if d.Severity == SeverityError {
			errs = append(errs, fmt.Errorf("GetProviderSchema returned an error diagnostic: %s", d))
		}
		if d.Severity == SeverityInvalid {
			errs = append(errs, fmt.Errorf("GetProviderSchema returned a diagnostic with severity INVALID: %s", d))
		}
	}
	ps := &ProviderSchema{Resources: map[string]*Schema{}, DataSources: map[string]*Schema{}}
	if resp.Provider == nil {
		errs = append(errs, errors.New("missing provider schema"))
	} else {
		s, e := convertSchema("provider", resp.Provider)
		errs = append(errs, e...)
		ps.Provider = s
	}
	if resp.ProviderMeta != nil {
		s, e := convertSchema("provider_meta", resp.ProviderMeta)
		errs = append(errs, e...)
		ps.ProviderMeta = s
	}
	for _, name := range sortedKeys(resp.ResourceSchemas) {
		s, e := convertSchema("managed resource type "+name, resp.ResourceSchemas[name])
		errs = append(errs, e...)
		ps.Resources[name] = s
	}
	for _, name := range sortedKeys(resp.DataSourceSchemas) {
		s, e := convertSchema("data source "+name, resp.DataSourceSchemas[name])
		errs = append(errs, e...)
		ps.DataSources[name] = s
	}
	if resp.ServerCapabilities != nil {
		ps.PlanDestroy = resp.ServerCapabilities.PlanDestroy
	}
	return ps, errs
}

func sortedKeys(m map[string]*tfplugin6.Schema) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func convertSchema(what string, s *tfplugin6.Schema) (*Schema, []error) {
	if s == nil {
		return nil, []error{fmt.Errorf("%s: schema is null", what)}
	}
	var errs []error
	if s.Version < 0 {
		errs = append(errs, fmt.Errorf("%s: negative schema version %d", what, s.Version))
	}
	if s.Block == nil {
		// Terraform dereferences it without a check: a crash in the CLI.
		return nil, append(errs, fmt.Errorf("%s: Schema.block is missing", what))
	}
	b, e := convertBlock(what, s.Block)
	errs = append(errs, e...)
	errs = append(errs, b.InternalValidate(what)...)
	return &Schema{Version: s.Version, Block: b}, errs
}

func convertBlock(what string, pb *tfplugin6.Schema_Block) (*Block, []error) {
	var errs []error
	b := &Block{Attributes: map[string]*Attribute{}, BlockTypes: map[string]*NestedBlock{}, Deprecated: pb.Deprecated}
	for _, pa := range pb.Attributes {
		a, e := convertAttribute(what, pa)
		errs = append(errs, e...)
		if _, dup := b.Attributes[pa.Name]; dup {
			errs = append(errs, fmt.Errorf("%s: attribute %q declared twice", what, pa.Name))
		}
		b.Attributes[pa.Name] = a
	}
	for _, pnb := range pb.BlockTypes {
		nb := &NestedBlock{TypeName: pnb.TypeName, Nesting: Nesting(pnb.Nesting), MinItems: pnb.MinItems, MaxItems: pnb.MaxItems}
		if pnb.Block == nil {
			errs = append(errs, fmt.Errorf("%s: nested block %q has no block", what, pnb.TypeName))
			nb.Block = &Block{Attributes: map[string]*Attribute{}, BlockTypes: map[string]*NestedBlock{}}
		} else {
			inner, e := convertBlock(what+"."+pnb.TypeName, pnb.Block)
			errs = append(errs, e...)
			nb.Block = inner
		}
		if _, dup := b.BlockTypes[pnb.TypeName]; dup {
			errs = append(errs, fmt.Errorf("%s: block type %q declared twice", what, pnb.TypeName))
		}
		b.BlockTypes[pnb.TypeName] = nb
	}
	return b, errs
}

func convertAttribute(what string, pa *tfplugin6.Schema_Attribute) (*Attribute, []error) {
	var errs []error
	a := &Attribute{
		Name: pa.Name, Description: pa.Description, Required: pa.Required, Optional: pa.Optional,
		Computed: pa.Computed, Sensitive: pa.Sensitive, Deprecated: pa.Deprecated, WriteOnly: pa.WriteOnly,
		Type: cty.NilType,
	}
	if len(pa.Type) > 0 {
		var ty cty.Type
		if err := ty.UnmarshalJSON(pa.Type); err != nil {
			// terraform's convert.ProtoToConfigSchema panics here.
			errs = append(errs, fmt.Errorf("%s: attribute %q: type %q is not a cty type constraint (terraform panics): %v", what, pa.Name, pa.Type, err))
		} else {
			a.Type = ty
		}
	}
	if pa.NestedType != nil {
		obj := &Object{Attributes: map[string]*Attribute{}, Nesting: Nesting(pa.NestedType.Nesting)}
		for _, inner := range pa.NestedType.Attributes {
			ia, e := convertAttribute(what+"."+pa.Name, inner)
			errs = append(errs, e...)
			obj.Attributes[inner.Name] = ia
		}
		a.NestedType = obj
	}
	return a, errs
}

// InternalValidate applies Terraform's configschema.Block.InternalValidate.
func (b *Block) InternalValidate(what string) []error {
	var errs []error
	for name, a := range b.Attributes {
		errs = append(errs, a.internalValidate(what, name)...)
		if _, both := b.BlockTypes[name]; both {
			errs = append(errs, fmt.Errorf("%s: %s: name defined as both attribute and block type", what, name))
		}
	}
	for name, nb := range b.BlockTypes {
		if !nameRe.MatchString(name) {
			errs = append(errs, fmt.Errorf("%s: %s: name may contain only lowercase letters, digits and underscores", what, name))
		}
		if nb.MinItems < 0 || nb.MaxItems < 0 {
			errs = append(errs, fmt.Errorf("%s: %s: MinItems and MaxItems must both be greater than zero", what, name))
		}
		switch nb.Nesting {
		case NestingSingle:
			switch {
			case nb.MinItems != nb.MaxItems:
				errs = append(errs, fmt.Errorf("%s: %s: MinItems and MaxItems must match in NestingSingle mode", what, name))
			case nb.MinItems < 0 || nb.MinItems > 1:
				errs = append(errs, fmt.Errorf("%s: %s: MinItems and MaxItems must be set to either 0 or 1 in NestingSingle mode", what, name))
			}
		case NestingGroup:
			if nb.MinItems != 0 || nb.MaxItems != 0 {
				errs = append(errs, fmt.Errorf("%s: %s: MinItems and MaxItems cannot be used in NestingGroup mode", what, name))
			}
		case NestingList, NestingSet:
			if nb.MinItems > nb.MaxItems && nb.MaxItems != 0 {
				errs = append(errs, fmt.Errorf("%s: %s: MinItems must be less than or equal to MaxItems in %d mode", what, name, nb.Nesting))
			}
			if nb.Nesting == NestingSet && nb.Block.ImpliedType().HasDynamicTypes() {
				errs = append(errs, fmt.Errorf("%s: %s: NestingSet blocks may not contain attributes of cty.DynamicPseudoType", what, name))
			}
		case NestingMap:
			if nb.MinItems != 0 || nb.MaxItems != 0 {
				errs = append(errs, fmt.Errorf("%s: %s: MinItems and MaxItems must both be 0 in NestingMap mode", what, name))
			}
		default:
			errs = append(errs, fmt.Errorf("%s: %s: invalid nesting mode %d", what, name, nb.Nesting))
		}
		errs = append(errs, nb.Block.InternalValidate(what+"."+name)...)
	}
	return errs
}

func (a *Attribute) internalValidate(what, name string) []error {
	var errs []error
	if !nameRe.MatchString(name) {
		errs = append(errs, fmt.Errorf("%s: %s: name may contain only lowercase letters, digits and underscores", what, name))
	}
	if !a.Optional && !a.Required && !a.Computed {
		errs = append(errs, fmt.Errorf("%s: %s: must set Optional, Required or Computed", what, name))
	}
	if a.Optional && a.Required {
		errs = append(errs, fmt.Errorf("%s: %s: cannot set both Optional and Required", what, name))
	}
	if a.Computed && a.Required {
		errs = append(errs, fmt.Errorf("%s: %s: cannot set both Computed and Required", what, name))
	}
	if a.Type == cty.NilType && a.NestedType == nil {
		errs = append(errs, fmt.Errorf("%s: %s: either Type or NestedType must be defined", what, name))
	}
	if a.Type != cty.NilType && a.NestedType != nil {
		errs = append(errs, fmt.Errorf("%s: %s: Type and NestedType cannot both be set", what, name))
	}
	if a.NestedType != nil {
		switch a.NestedType.Nesting {
		case NestingSingle, NestingMap, NestingList:
		case NestingSet:
			if a.NestedType.ImpliedType().HasDynamicTypes() {
				errs = append(errs, fmt.Errorf("%s: %s: NestingSet objects may not contain attributes of cty.DynamicPseudoType", what, name))
			}
		default:
			errs = append(errs, fmt.Errorf("%s: %s: invalid nesting mode %d", what, name, a.NestedType.Nesting))
		}
		for n, inner := range a.NestedType.Attributes {
			errs = append(errs, inner.internalValidate(what+"."+name, n)...)
		}
	}
	return errs
}

// ImpliedType is the cty type of values conforming to the block
// (configschema.Block.ImpliedType).
func (b *Block) ImpliedType() cty.Type {
	if b == nil {
		return cty.EmptyObject
	}
	atys := map[string]cty.Type{}
	for name, a := range b.Attributes {
		atys[name] = a.ImpliedType()
	}
	for name, nb := range b.BlockTypes {
		inner := nb.Block.ImpliedType()
		switch nb.Nesting {
		case NestingSingle, NestingGroup:
			atys[name] = inner
		case NestingList:
			if inner.HasDynamicTypes() {
				atys[name] = cty.DynamicPseudoType
			} else {
				atys[name] = cty.List(inner)
			}
		case NestingSet:
			atys[name] = cty.Set(inner)
		case NestingMap:
			if inner.HasDynamicTypes() {
				atys[name] = cty.DynamicPseudoType
			} else {
				atys[name] = cty.Map(inner)
			}
		default:
			atys[name] = cty.DynamicPseudoType
		}
	}
	return cty.Object(atys)
}

// ImpliedType of an attribute: its type, or the type its nested object implies.
func (a *Attribute) ImpliedType() cty.Type {
	if a.NestedType != nil {
		return a.NestedType.ImpliedType()
	}
	if a.Type == cty.NilType {
		return cty.DynamicPseudoType
	}
	return a.Type
}

// ImpliedType of a nested attribute type.
func (o *Object) ImpliedType() cty.Type {
	atys := map[string]cty.Type{}
	for name, a := range o.Attributes {
		atys[name] = a.ImpliedType()
	}
	obj := cty.Object(atys)
	switch o.Nesting {
	case NestingList:
		return cty.List(obj)
	case NestingSet:
		return cty.Set(obj)
	case NestingMap:
		return cty.Map(obj)
	default:
		return obj
	}
}

// DecoderSpec is the hcldec spec that decodes a configuration body of this
// block (configschema.Block.DecoderSpec).
func (b *Block) DecoderSpec() hcldec.ObjectSpec {
	spec := hcldec.ObjectSpec{}
	for name, a := range b.Attributes {
		spec[name] = &hcldec.AttrSpec{Name: name, Type: a.ImpliedType(), Required: a.Required}
	}
	for name, nb := range b.BlockTypes {
		inner := nb.Block.DecoderSpec()
		switch nb.Nesting {
		case NestingSingle, NestingGroup:
			spec[name] = &hcldec.BlockSpec{TypeName: name, Nested: inner, Required: nb.MinItems == 1}
		case NestingList:
			spec[name] = &hcldec.BlockListSpec{TypeName: name, Nested: inner, MinItems: int(nb.MinItems), MaxItems: int(nb.MaxItems)}
		case NestingSet:
			spec[name] = &hcldec.BlockSetSpec{TypeName: name, Nested: inner, MinItems: int(nb.MinItems), MaxItems: int(nb.MaxItems)}
		case NestingMap:
			spec[name] = &hcldec.BlockMapSpec{TypeName: name, Nested: inner, LabelNames: []string{"key"}}
		}
	}
	return spec
}
