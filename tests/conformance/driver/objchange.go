package driver

// Terraform core's object-change rules (internal/plans/objchange), written
// again from their documented behaviour: the proposed new state core sends to
// PlanResourceChange, the checks on the planned state, and the checks on the
// state Apply returns.

import (
	"fmt"

	"github.com/zclconf/go-cty/cty"
)

// PathError is an error at an attribute path, as cty.PathError renders it.
func pathErrorf(p cty.Path, format string, args ...interface{}) error {
	msg := fmt.Sprintf(format, args...)
	if len(p) == 0 {
		return fmt.Errorf("%s", msg)
	}
	return fmt.Errorf(".%s: %s", FromCtyPath(p).String(), msg)
}

func copyPath(p cty.Path, step cty.PathStep) cty.Path {
	out := make(cty.Path, 0, len(p)+1)
	out = append(out, p...)
	return append(out, step)
}

// AllBlockAttributesNull is an object of the block's type with every
// attribute null and every nested block empty (null for SINGLE).
func AllBlockAttributesNull(b *Block) cty.Value {
	vals := map[string]cty.Value{}
	for name, a := range b.Attributes {
		vals[name] = cty.NullVal(a.ImpliedType())
	}
	for name, nb := range b.BlockTypes {
		ty := b.ImpliedType().AttributeType(name)
		switch nb.Nesting {
		case NestingList:
			if ty.IsListType() {
				vals[name] = cty.ListValEmpty(ty.ElementType())
			} else {
				vals[name] = cty.EmptyTupleVal
			}
		case NestingSet:
			vals[name] = cty.SetValEmpty(ty.ElementType())
		case NestingMap:
			if ty.IsMapType() {
				vals[name] = cty.MapValEmpty(ty.ElementType())
			} else {
				vals[name] = cty.EmptyObjectVal
			}
		case NestingGroup:
			vals[name] = AllBlockAttributesNull(nb.Block)
		default:
			vals[name] = cty.NullVal(ty)
		}
	}
	return cty.ObjectVal(vals)
}

// ProposedNew is objchange.ProposedNew: the configuration, with the prior
// value filled in for computed attributes the configuration leaves null.
func ProposedNew(b *Block, prior, config cty.Value) cty.Value {
	if config.IsNull() || !config.IsKnown() {
		return config
	}
	if prior.IsNull() || !prior.IsKnown() {
		prior = AllBlockAttributesNull(b)
	}
	return proposedNewObject(b, prior, config)
}

func proposedNewObject(b *Block, prior, config cty.Value) cty.Value {
	if config.IsNull() || !config.IsKnown() {
		return config
	}
	if prior.IsNull() || !prior.IsKnown() {
		prior = AllBlockAttributesNull(b)
	}
	vals := map[string]cty.Value{}
	for name, a := range b.Attributes {
		priorV := prior.GetAttr(name)
		configV := config.GetAttr(name)
		switch {
		case a.Computed && configV.IsNull():
			vals[name] = priorV
		case a.NestedType != nil && a.NestedType.Nesting == NestingSingle && !configV.IsNull() && configV.IsKnown():
			inner := &Block{Attributes: a.NestedType.Attributes, BlockTypes: map[string]*NestedBlock{}}
			vals[name] = proposedNewObject(inner, priorV, configV)
		default:
			vals[name] = configV
		}
	}
	for name, nb := range b.BlockTypes {
		priorV := prior.GetAttr(name)
		configV := config.GetAttr(name)
		vals[name] = proposedNewNestedBlock(nb, priorV, configV)
	}
	return cty.ObjectVal(vals)
}

func proposedNewNestedBlock(nb *NestedBlock, prior, config cty.Value) cty.Value {
	if !config.IsKnown() {
		return config
	}
	switch nb.Nesting {
	case NestingSingle, NestingGroup:
		if config.IsNull() {
			return config
		}
		return proposedNewObject(nb.Block, prior, config)
	case NestingList:
		if config.IsNull() || config.LengthInt() == 0 {
			return config
		}
		var elems []cty.Value
		i := 0
		for it := config.ElementIterator(); it.Next(); i++ {
			idx, cv := it.Element()
			pv := cty.NullVal(cv.Type())
			if !prior.IsNull() && prior.IsKnown() && prior.HasIndex(idx).True() {
				pv = prior.Index(idx)
			}
			elems = append(elems, proposedNewObject(nb.Block, pv, cv))
		}
		if config.Type().IsTupleType() {
			return cty.TupleVal(elems)
		}
		return cty.ListVal(elems)
	case NestingMap:
		if config.IsNull() || config.LengthInt() == 0 {
			return config
		}
		elems := map[string]cty.Value{}
		for it := config.ElementIterator(); it.Next(); {
			k, cv := it.Element()
			pv := cty.NullVal(cv.Type())
			if !prior.IsNull() && prior.IsKnown() && prior.HasIndex(k).True() {
				pv = prior.Index(k)
			}
			elems[k.AsString()] = proposedNewObject(nb.Block, pv, cv)
		}
		if config.Type().IsObjectType() {
			return cty.ObjectVal(elems)
		}
		return cty.MapVal(elems)
	case NestingSet:
		// Sets have no keys: an element takes its prior's computed values
		// only when its configured values match a prior element exactly.
		if config.IsNull() || config.LengthInt() == 0 {
			return config
		}
		var elems []cty.Value
		for it := config.ElementIterator(); it.Next(); {
			_, cv := it.Element()
			pv := cty.NullVal(cv.Type())
			if !prior.IsNull() && prior.IsKnown() {
				for pit := prior.ElementIterator(); pit.Next(); {
					_, cand := pit.Element()
					if setElementMatches(nb.Block, cand, cv) {
						pv = cand
						break
					}
				}
			}
			elems = append(elems, proposedNewObject(nb.Block, pv, cv))
		}
		return cty.SetVal(elems)
	}
	return config
}

func setElementMatches(b *Block, prior, config cty.Value) bool {
	for name, a := range b.Attributes {
		if a.Computed && config.GetAttr(name).IsNull() {
			continue
		}
		eq := prior.GetAttr(name).Equals(config.GetAttr(name))
		if !eq.IsKnown() || eq.False() {
			return false
		}
	}
	return true
}

// AssertPlanValid is objchange.AssertPlanValid: every reason Terraform
// reports "Provider produced invalid plan" for a planned state.
func AssertPlanValid(b *Block, prior, config, planned cty.Value) []error {
	return assertPlannedObjectValid(b, prior, config, planned, nil)
}

func assertPlannedObjectValid(b *Block, prior, config, planned cty.Value, path cty.Path) []error {
	var errs []error
	if !planned.IsKnown() {
		return append(errs, pathErrorf(path, "planned value for a block must not be unknown itself"))
	}
	if planned.IsNull() && !config.IsNull() {
		return append(errs, pathErrorf(path, "planned for absence but config wants existence"))
	}
	if config.IsNull() && !planned.IsNull() {
		return append(errs, pathErrorf(path, "planned for existence but config wants absence"))
	}
	if planned.IsNull() {
		return errs
	}
	for name, a := range b.Attributes {
		plannedV := planned.GetAttr(name)
		configV := config.GetAttr(name)
		priorV := cty.NullVal(a.ImpliedType())
		if !prior.IsNull() {
			priorV = prior.GetAttr(name)
		}
		errs = append(errs, assertPlannedValueValid(a, priorV, configV, plannedV, copyPath(path, cty.GetAttrStep{Name: name}))...)
	}
	for name, nb := range b.BlockTypes {
		p := copyPath(path, cty.GetAttrStep{Name: name})
		plannedV := planned.GetAttr(name)
		configV := config.GetAttr(name)
		priorV := cty.NullVal(b.ImpliedType().AttributeType(name))
		if !prior.IsNull() {
			priorV = prior.GetAttr(name)
		}
		if plannedV.RawEquals(configV) {
			continue
		}
		if !plannedV.IsKnown() {
			errs = append(errs, pathErrorf(p, "attribute representing nested block must not be unknown itself; set nested attribute values to unknown instead"))
			continue
		}
		switch nb.Nesting {
		case NestingSingle, NestingGroup:
			errs = append(errs, assertPlannedObjectValid(nb.Block, priorV, configV, plannedV, p)...)
		case NestingList:
			if plannedV.IsNull() || configV.IsNull() {
				errs = append(errs, pathErrorf(p, "attribute representing a list of nested blocks must be empty to indicate no blocks, not null"))
				continue
			}
			if pl, cl := plannedV.LengthInt(), configV.LengthInt(); pl != cl {
				errs = append(errs, pathErrorf(p, "block count in plan (%d) disagrees with count in config (%d)", pl, cl))
				continue
			}
			for it := plannedV.ElementIterator(); it.Next(); {
				idx, pev := it.Element()
				ep := copyPath(p, cty.IndexStep{Key: idx})
				if !pev.IsKnown() {
					errs = append(errs, pathErrorf(ep, "element representing nested block must not be unknown itself; set nested attribute values to unknown instead"))
					continue
				}
				prv := cty.NullVal(pev.Type())
				if !priorV.IsNull() && priorV.HasIndex(idx).True() {
					prv = priorV.Index(idx)
				}
				errs = append(errs, assertPlannedObjectValid(nb.Block, prv, configV.Index(idx), pev, ep)...)
			}
		case NestingMap:
			if plannedV.IsNull() || configV.IsNull() {
				errs = append(errs, pathErrorf(p, "attribute representing a map of nested blocks must be empty to indicate no blocks, not null"))
				continue
			}
			for it := plannedV.ElementIterator(); it.Next(); {
				k, pev := it.Element()
				ep := copyPath(p, cty.IndexStep{Key: k})
				if !configV.HasIndex(k).True() {
					errs = append(errs, pathErrorf(ep, "block key %q from plan is not present in config", k.AsString()))
					continue
				}
				prv := cty.NullVal(pev.Type())
				if !priorV.IsNull() && priorV.HasIndex(k).True() {
					prv = priorV.Index(k)
				}
				errs = append(errs, assertPlannedObjectValid(nb.Block, prv, configV.Index(k), pev, ep)...)
			}
			for it := configV.ElementIterator(); it.Next(); {
				k, _ := it.Element()
				if !plannedV.HasIndex(k).True() {
					errs = append(errs, pathErrorf(copyPath(p, cty.IndexStep{Key: k}), "block key %q from config is not present in plan", k.AsString()))
				}
			}
		case NestingSet:
			if plannedV.IsNull() || configV.IsNull() {
				errs = append(errs, pathErrorf(p, "attribute representing a set of nested blocks must be empty to indicate no blocks, not null"))
				continue
			}
			for it := plannedV.ElementIterator(); it.Next(); {
				_, pev := it.Element()
				if !pev.IsKnown() {
					errs = append(errs, pathErrorf(p, "element representing nested block must not be unknown itself; set nested attribute values to unknown instead"))
				}
			}
		}
	}
	return errs
}

func assertPlannedValueValid(a *Attribute, priorV, configV, plannedV cty.Value, path cty.Path) []error {
	var errs []error
	if plannedV.RawEquals(configV) {
		return errs
	}
	if plannedV.RawEquals(priorV) && !priorV.IsNull() && !configV.IsNull() {
		return errs
	}
	if a.WriteOnly && !plannedV.IsNull() {
		return append(errs, pathErrorf(path, "planned value for a write-only attribute must be null"))
	}
	switch {
	case a.Computed && !a.Optional:
		return errs
	case configV.IsNull() && a.Computed:
		return errs
	case configV.IsNull() && !plannedV.IsNull():
		if a.Sensitive {
			return append(errs, pathErrorf(path, "planned value for a non-computed attribute"))
		}
		return append(errs, pathErrorf(path, "planned value %#v for a non-computed attribute", plannedV))
	}
	if a.NestedType != nil && a.NestedType.Nesting == NestingSingle {
		inner := &Block{Attributes: a.NestedType.Attributes, BlockTypes: map[string]*NestedBlock{}}
		return assertPlannedObjectValid(inner, priorV, configV, plannedV, path)
	}
	if priorV.IsNull() {
		if a.Sensitive {
			return append(errs, pathErrorf(path, "sensitive planned value does not match config value"))
		}
		return append(errs, pathErrorf(path, "planned value %#v does not match config value %#v", plannedV, configV))
	}
	if a.Sensitive {
		return append(errs, pathErrorf(path, "sensitive planned value does not match config value nor prior value"))
	}
	return append(errs, pathErrorf(path, "planned value %#v does not match config value %#v nor prior value %#v", plannedV, configV, priorV))
}

// AssertObjectCompatible is objchange.AssertObjectCompatible: every reason
// Terraform reports "Provider produced inconsistent result after apply" (or
// "inconsistent final plan") comparing a planned value with the actual one.
func AssertObjectCompatible(b *Block, planned, actual cty.Value) []error {
	return assertObjectCompatible(b, planned, actual, nil)
}

func assertObjectCompatible(b *Block, planned, actual cty.Value, path cty.Path) []error {
	var errs []error
	atRoot := ""
	if len(path) == 0 {
		atRoot = "Root resource "
	}
	if planned.IsNull() && !actual.IsNull() {
		return append(errs, pathErrorf(path, "%swas absent, but now present", atRoot))
	}
	if actual.IsNull() && !planned.IsNull() {
		return append(errs, pathErrorf(path, "%swas present, but now absent", atRoot))
	}
	if planned.IsNull() {
		return errs
	}
	for name, a := range b.Attributes {
		p := copyPath(path, cty.GetAttrStep{Name: name})
		more := assertValueCompatible(planned.GetAttr(name), actual.GetAttr(name), p)
		if a.Sensitive && len(more) > 0 {
			errs = append(errs, pathErrorf(p, "inconsistent values for sensitive attribute"))
		} else {
			errs = append(errs, more...)
		}
	}
	for name, nb := range b.BlockTypes {
		p := copyPath(path, cty.GetAttrStep{Name: name})
		plannedV := planned.GetAttr(name)
		actualV := actual.GetAttr(name)
		switch nb.Nesting {
		case NestingSingle, NestingGroup:
			if !plannedV.IsKnown() && actualV.IsNull() {
				continue
			}
			errs = append(errs, assertObjectCompatible(nb.Block, plannedV, actualV, p)...)
		case NestingList, NestingMap:
			if !plannedV.IsKnown() || !actualV.IsKnown() || plannedV.IsNull() || actualV.IsNull() {
				continue
			}
			if pl, al := plannedV.LengthInt(), actualV.LengthInt(); pl != al {
				errs = append(errs, pathErrorf(p, "block count changed from %d to %d", pl, al))
				continue
			}
			for it := plannedV.ElementIterator(); it.Next(); {
				idx, pev := it.Element()
				if !actualV.HasIndex(idx).True() {
					errs = append(errs, pathErrorf(p, "block key %#v has vanished", idx))
					continue
				}
				errs = append(errs, assertObjectCompatible(nb.Block, pev, actualV.Index(idx), copyPath(p, cty.IndexStep{Key: idx}))...)
			}
		case NestingSet:
			if !plannedV.IsKnown() || !actualV.IsKnown() || plannedV.IsNull() || actualV.IsNull() {
				continue
			}
			if pl, al := plannedV.LengthInt(), actualV.LengthInt(); pl < al {
				errs = append(errs, pathErrorf(p, "block set length changed from %d to %d", pl, al))
			}
		}
	}
	return errs
}

func assertValueCompatible(planned, actual cty.Value, path cty.Path) []error {
	var errs []error
	if planned.Type() == cty.DynamicPseudoType {
		return errs
	}
	if problems := actual.Type().TestConformance(planned.Type()); len(problems) > 0 {
		return append(errs, pathErrorf(path, "wrong final value type: %v", problems[0]))
	}
	if !planned.IsKnown() {
		// An unknown placeholder only promises its type and refinements (Terraform 1.6+):
		// the final value must lie within them, e.g. not null where the plan said so.
		if ok := planned.Range().Includes(actual); ok.IsKnown() && ok.False() {
			errs = append(errs, pathErrorf(path, "final value %#v does not conform to planning placeholder %#v", actual, planned))
		}
		return errs
	}
	if actual.IsNull() {
		if planned.IsNull() {
			return errs
		}
		return append(errs, pathErrorf(path, "was %#v, but now null", planned))
	}
	if planned.IsNull() {
		return append(errs, pathErrorf(path, "was null, but now %#v", actual))
	}
	ty := planned.Type()
	switch {
	case !actual.IsKnown():
		errs = append(errs, pathErrorf(path, "was known, but now unknown"))
	case ty.IsPrimitiveType():
		if !actual.Equals(planned).True() {
			errs = append(errs, pathErrorf(path, "was %#v, but now %#v", planned, actual))
		}
	case ty.IsListType() || ty.IsMapType() || ty.IsTupleType():
		for it := planned.ElementIterator(); it.Next(); {
			k, pv := it.Element()
			if !actual.HasIndex(k).True() {
				errs = append(errs, pathErrorf(path, "element %#v has vanished", k))
				continue
			}
			errs = append(errs, assertValueCompatible(pv, actual.Index(k), copyPath(path, cty.IndexStep{Key: k}))...)
		}
		for it := actual.ElementIterator(); it.Next(); {
			k, _ := it.Element()
			if !planned.HasIndex(k).True() {
				errs = append(errs, pathErrorf(path, "new element %#v has appeared", k))
			}
		}
	case ty.IsObjectType():
		for name := range ty.AttributeTypes() {
			errs = append(errs, assertValueCompatible(planned.GetAttr(name), actual.GetAttr(name), copyPath(path, cty.GetAttrStep{Name: name}))...)
		}
	case ty.IsSetType():
		if planned.IsWhollyKnown() && actual.IsWhollyKnown() {
			if pl, al := planned.LengthInt(), actual.LengthInt(); pl < al {
				errs = append(errs, pathErrorf(path, "length changed from %d to %d", pl, al))
			}
		}
	}
	return errs
}

// CheckConforms reports a value that does not conform to the schema type.
func CheckConforms(v cty.Value, ty cty.Type) error {
	if errs := v.Type().TestConformance(ty); len(errs) > 0 {
		return fmt.Errorf("value does not conform to the schema: %v", errs[0])
	}
	return nil
}
