package driver

// The tfplugin6 wire contract, written down from Terraform's published proto
// (reference section 4) independently of src/provider/tfplugin6.proto. The
// driver's Go code is generated from the provider's proto, so a wrong field
// number there would be wrong on both ends and invisible on the wire; this
// table catches it.

import (
	"fmt"
	"sort"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// ExpectedFields maps message full name → field name → field number.
var ExpectedFields = map[string]map[string]int32{
	"tfplugin6.DynamicValue":                         {"msgpack": 1, "json": 2},
	"tfplugin6.Diagnostic":                           {"severity": 1, "summary": 2, "detail": 3, "attribute": 4},
	"tfplugin6.AttributePath":                        {"steps": 1},
	"tfplugin6.AttributePath.Step":                   {"attribute_name": 1, "element_key_string": 2, "element_key_int": 3},
	"tfplugin6.StopProvider.Response":                {"Error": 1},
	"tfplugin6.RawState":                             {"json": 1, "flatmap": 2},
	"tfplugin6.Schema":                               {"version": 1, "block": 2},
	"tfplugin6.Schema.Block":                         {"version": 1, "attributes": 2, "block_types": 3, "description": 4, "description_kind": 5, "deprecated": 6},
	"tfplugin6.Schema.Attribute":                     {"name": 1, "type": 2, "nested_type": 10, "description": 3, "required": 4, "optional": 5, "computed": 6, "sensitive": 7, "description_kind": 8, "deprecated": 9, "write_only": 11},
	"tfplugin6.Schema.NestedBlock":                   {"type_name": 1, "block": 2, "nesting": 3, "min_items": 4, "max_items": 5},
	"tfplugin6.Schema.Object":                        {"attributes": 1, "nesting": 3, "min_items": 4, "max_items": 5},
	"tfplugin6.ServerCapabilities":                   {"plan_destroy": 1, "get_provider_schema_optional": 2, "move_resource_state": 3},
	"tfplugin6.ClientCapabilities":                   {"deferral_allowed": 1, "write_only_attributes_allowed": 2},
	"tfplugin6.Deferred":                             {"reason": 1},
	"tfplugin6.GetProviderSchema.Response":           {"provider": 1, "resource_schemas": 2, "data_source_schemas": 3, "diagnostics": 4, "provider_meta": 5, "server_capabilities": 6},
	"tfplugin6.ValidateProviderConfig.Request":       {"config": 1},
	"tfplugin6.ValidateProviderConfig.Response":      {"diagnostics": 2},
	"tfplugin6.ValidateResourceConfig.Request":       {"type_name": 1, "config": 2, "client_capabilities": 3},
	"tfplugin6.ValidateResourceConfig.Response":      {"diagnostics": 1},
	"tfplugin6.ValidateDataResourceConfig.Request":   {"type_name": 1, "config": 2},
	"tfplugin6.ValidateDataResourceConfig.Response":  {"diagnostics": 1},
	"tfplugin6.UpgradeResourceState.Request":         {"type_name": 1, "version": 2, "raw_state": 3},
	"tfplugin6.UpgradeResourceState.Response":        {"upgraded_state": 1, "diagnostics": 2},
	"tfplugin6.ConfigureProvider.Request":            {"terraform_version": 1, "config": 2, "client_capabilities": 3},
	"tfplugin6.ConfigureProvider.Response":           {"diagnostics": 1},
	"tfplugin6.ReadResource.Request":                 {"type_name": 1, "current_state": 2, "private": 3, "provider_meta": 4, "client_capabilities": 5},
	"tfplugin6.ReadResource.Response":                {"new_state": 1, "diagnostics": 2, "private": 3, "deferred": 4},
	"tfplugin6.PlanResourceChange.Request":           {"type_name": 1, "prior_state": 2, "proposed_new_state": 3, "config": 4, "prior_private": 5, "provider_meta": 6, "client_capabilities": 7},
	"tfplugin6.PlanResourceChange.Response":          {"planned_state": 1, "requires_replace": 2, "planned_private": 3, "diagnostics": 4, "legacy_type_system": 5, "deferred": 6},
	"tfplugin6.ApplyResourceChange.Request":          {"type_name": 1, "prior_state": 2, "planned_state": 3, "config": 4, "planned_private": 5, "provider_meta": 6},
	"tfplugin6.ApplyResourceChange.Response":         {"new_state": 1, "private": 2, "diagnostics": 3, "legacy_type_system": 4},
	"tfplugin6.ImportResourceState.Request":          {"type_name": 1, "id": 2, "client_capabilities": 3},
	"tfplugin6.ImportResourceState.ImportedResource": {"type_name": 1, "state": 2, "private": 3},
	"tfplugin6.ImportResourceState.Response":         {"imported_resources": 1, "diagnostics": 2, "deferred": 3},
	"tfplugin6.ReadDataSource.Request":               {"type_name": 1, "config": 2, "provider_meta": 3, "client_capabilities": 4},
	"tfplugin6.ReadDataSource.Response":              {"state": 1, "diagnostics": 2, "deferred": 3},
}

// ExpectedEnums maps enum full name → value name → number.
var ExpectedEnums = map[string]map[string]int32{
	"tfplugin6.Diagnostic.Severity":            {"INVALID": 0, "ERROR": 1, "WARNING": 2},
	"tfplugin6.Schema.NestedBlock.NestingMode": {"INVALID": 0, "SINGLE": 1, "LIST": 2, "SET": 3, "MAP": 4, "GROUP": 5},
	"tfplugin6.Schema.Object.NestingMode":      {"INVALID": 0, "SINGLE": 1, "LIST": 2, "SET": 3, "MAP": 4},
	"tfplugin6.StringKind":                     {"PLAIN": 0, "MARKDOWN": 1},
}

// ExpectedMethods are the RPCs of tfplugin6.Provider the driver relies on.
var ExpectedMethods = []string{"GetProviderSchema", "ValidateProviderConfig", "ValidateResourceConfig",
	"ValidateDataResourceConfig", "UpgradeResourceState", "ConfigureProvider", "ReadResource",
	"PlanResourceChange", "ApplyResourceChange", "ImportResourceState", "ReadDataSource", "StopProvider"}

// CheckFieldNumbers compares a compiled tfplugin6 file descriptor with the
// expected wire contract.
func CheckFieldNumbers(fd protoreflect.FileDescriptor) []error {
	var errs []error
	if fd.Package() != "tfplugin6" {
		errs = append(errs, fmt.Errorf("proto package is %q, want tfplugin6", fd.Package()))
	}
	var names []string
	for n := range ExpectedFields {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, msgName := range names {
		d, err := findDescriptor(fd, protoreflect.FullName(msgName))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		md, ok := d.(protoreflect.MessageDescriptor)
		if !ok {
			errs = append(errs, fmt.Errorf("%s is not a message", msgName))
			continue
		}
		for field, num := range ExpectedFields[msgName] {
			f := md.Fields().ByName(protoreflect.Name(field))
			if f == nil {
				errs = append(errs, fmt.Errorf("%s: field %s missing", msgName, field))
				continue
			}
			if int32(f.Number()) != num {
				errs = append(errs, fmt.Errorf("%s.%s has field number %d, Terraform uses %d", msgName, field, f.Number(), num))
			}
		}
	}
	for enumName, vals := range ExpectedEnums {
		d, err := findDescriptor(fd, protoreflect.FullName(enumName))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ed, ok := d.(protoreflect.EnumDescriptor)
		if !ok {
			errs = append(errs, fmt.Errorf("%s is not an enum", enumName))
			continue
		}
		for name, num := range vals {
			v := ed.Values().ByName(protoreflect.Name(name))
			if v == nil || int32(v.Number()) != num {
				errs = append(errs, fmt.Errorf("%s.%s: want %d", enumName, name, num))
			}
		}
	}
	sd := fd.Services().ByName("Provider")
	if sd == nil {
		errs = append(errs, fmt.Errorf("service tfplugin6.Provider missing"))
	} else {
		for _, m := range ExpectedMethods {
			if sd.Methods().ByName(protoreflect.Name(m)) == nil {
				errs = append(errs, fmt.Errorf("tfplugin6.Provider/%s missing", m))
			}
		}
	}
	return errs
}

func findDescriptor(fd protoreflect.FileDescriptor, name protoreflect.FullName) (protoreflect.Descriptor, error) {
	var walkMsgs func(ms protoreflect.MessageDescriptors) protoreflect.Descriptor
	walkMsgs = func(ms protoreflect.MessageDescriptors) protoreflect.Descriptor {
		for i := 0; i < ms.Len(); i++ {
			m := ms.Get(i)
			if m.FullName() == name {
				return m
			}
			for j := 0; j < m.Enums().Len(); j++ {
				if m.Enums().Get(j).FullName() == name {
					return m.Enums().Get(j)
				}
			}
			if d := walkMsgs(m.Messages()); d != nil {
				return d
			}
		}
		return nil
	}
	if d := walkMsgs(fd.Messages()); d != nil {
		return d, nil
	}
	for j := 0; j < fd.Enums().Len(); j++ {
		if fd.Enums().Get(j).FullName() == name {
			return fd.Enums().Get(j), nil
		}
	}
	return nil, fmt.Errorf("%s missing from the proto", name)
}
