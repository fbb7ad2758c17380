package driver

import (
	"bytes"
	"fmt"

	"github.com/vmihailenco/msgpack/v5"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
	ctymsgpack "github.com/zclconf/go-cty/cty/msgpack"

	"hwims/conformance/tfplugin6"
)

// EncodeValue encodes v as Terraform sends a DynamicValue: msgpack against ty.
func EncodeValue(v cty.Value, ty cty.Type) (*tfplugin6.DynamicValue, error) {
	b, err := ctymsgpack.Marshal(v, ty)
	if err != nil {
		return nil, fmt.Errorf("msgpack encoding: %w", err)
	}
	return &tfplugin6.DynamicValue{Msgpack: b}, nil
}

// DecodeValue decodes a DynamicValue as terraform's decodeDynamicValue does:
// absent ⇒ null of ty; msgpack non-empty ⇒ msgpack; else json non-empty ⇒
// JSON; both empty ⇒ null. The result must conform to ty.
func DecodeValue(dv *tfplugin6.DynamicValue, ty cty.Type) (cty.Value, error) {
	if dv == nil {
		return cty.NullVal(ty), nil
	}
	var v cty.Value
	var err error
	switch {
	case len(dv.Msgpack) > 0:
		// go-cty decodes unknowns as Terraform 1.6+ does: refinements (extension 12, a map of
		// at most 1024 bytes) become cty refinements, and any other extension with a payload
		// is an error.
		if err := oneMsgpackValue(dv.Msgpack); err != nil {
			return cty.NilVal, err
		}
		v, err = ctymsgpack.Unmarshal(dv.Msgpack, ty)
	case len(dv.Json) > 0:
		v, err = ctyjson.Unmarshal(dv.Json, ty)
	default:
		return cty.NullVal(ty), nil
	}
	if err != nil {
		return cty.NilVal, err
	}
	if errs := v.Type().TestConformance(ty); len(errs) > 0 {
		return cty.NilVal, fmt.Errorf("value does not conform to the schema: %v", errs[0])
	}
	return v, nil
}

// oneMsgpackValue fails unless b holds exactly one msgpack value: go-cty stops reading after
// the value it decodes, and bytes after it mean the provider encoded something else.
func oneMsgpackValue(b []byte) error {
	r := bytes.NewReader(b)
	if err := msgpack.NewDecoder(r).Skip(); err != nil {
		return fmt.Errorf("msgpack: %w", err)
	}
	if r.Len() != 0 {
		return fmt.Errorf("msgpack: %d bytes of trailing data", r.Len())
	}
	return nil
}

// StateJSON encodes a wholly known state value as the state file stores it
// (and as UpgradeResourceState receives it in RawState.json).
func StateJSON(v cty.Value, ty cty.Type) ([]byte, error) {
	return ctyjson.Marshal(v, ty)
}

// FromCtyPath converts a cty path to an attribute path.
func FromCtyPath(p cty.Path) Path {
	var out Path
	for _, s := range p {
		switch s := s.(type) {
		case cty.GetAttrStep:
			out = append(out, Step{Kind: "attr", Name: s.Name})
		case cty.IndexStep:
			if s.Key.Type() == cty.String {
				out = append(out, Step{Kind: "key", Key: s.Key.AsString()})
			} else {
				i, _ := s.Key.AsBigFloat().Int64()
				out = append(out, Step{Kind: "index", Index: i})
			}
		}
	}
	return out
}

// ToCtyPath converts an attribute path to a cty path.
func ToCtyPath(p Path) cty.Path {
	var out cty.Path
	for _, s := range p {
		switch s.Kind {
		case "attr":
			out = out.GetAttr(s.Name)
		case "key":
			out = out.Index(cty.StringVal(s.Key))
		case "index":
			out = out.Index(cty.NumberIntVal(s.Index))
		}
	}
	return out
}

// ObjectVal builds an object of type ty from the given attributes, all
// others null: a convenience for tests and import stubs.
func ObjectVal(ty cty.Type, attrs map[string]cty.Value) cty.Value {
	vals := map[string]cty.Value{}
	for name, aty := range ty.AttributeTypes() {
		if v, ok := attrs[name]; ok {
			vals[name] = v
		} else {
			vals[name] = cty.NullVal(aty)
		}
	}
	return cty.ObjectVal(vals)
}

// GetAttr returns v.name, or a null string when v is null or not an object.
func GetAttr(v cty.Value, name string) cty.Value {
	if v.IsNull() || !v.IsKnown() || !v.Type().IsObjectType() || !v.Type().HasAttribute(name) {
		return cty.NullVal(cty.String)
	}
	return v.GetAttr(name)
}

// Str returns the string in v.name, or "" when it is null, unknown or not a string.
func Str(v cty.Value, name string) string {
	a := GetAttr(v, name)
	if a.IsNull() || !a.IsKnown() || a.Type() != cty.String {
		return ""
	}
	return a.AsString()
}
