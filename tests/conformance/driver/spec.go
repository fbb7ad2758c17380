package driver

// The resource contract (spec/images_image_copy.md) and the provider block
// (issue 5), written down here independently of the provider's attribute
// table, so that a drift on either side fails the conformance suite.

import (
	"fmt"
	"sort"

	"github.com/zclconf/go-cty/cty"
)

// ResourceType is the resource under test.
const ResourceType = "huaweicloud_images_image_copy"

// Kind of an expected attribute.
type Kind int

const (
	KindRequired         Kind = iota // required
	KindOptional                     // optional; computed allowed
	KindOptionalComputed             // optional and must be computed (spec gives a default)
	KindComputed                     // computed only
)

// ExpectedAttr is one row of the contract.
type ExpectedAttr struct {
	Name      string
	Type      cty.Type
	Kind      Kind
	Sensitive bool
	ForceNew  bool // changing it replaces the resource
	Updatable bool // changed in place
}

var str, num, boolean = cty.String, cty.Number, cty.Bool

// SpecArguments are the spec's "Argument Reference".
var SpecArguments = []ExpectedAttr{
	{Name: "region", Type: str, Kind: KindOptionalComputed, ForceNew: true},
	{Name: "source_image_id", Type: str, Kind: KindRequired, ForceNew: true},
	{Name: "name", Type: str, Kind: KindRequired, Updatable: true},
	{Name: "target_region", Type: str, Kind: KindOptional, ForceNew: true},
	{Name: "kms_key_id", Type: str, Kind: KindOptional, ForceNew: true},
	{Name: "enterprise_project_id", Type: str, Kind: KindOptional, Updatable: true},
	{Name: "agency_name", Type: str, Kind: KindOptional, ForceNew: true},
	{Name: "vault_id", Type: str, Kind: KindOptional, ForceNew: true},
	{Name: "min_ram", Type: num, Kind: KindOptional, Updatable: true},
	{Name: "max_ram", Type: num, Kind: KindOptional, Updatable: true},
	{Name: "description", Type: str, Kind: KindOptional, Updatable: true},
	{Name: "tags", Type: cty.Map(cty.String), Kind: KindOptional, Updatable: true},
}

// SpecAttributes are the spec's "Attribute Reference" (all computed). Types
// follow the API's JSON (ims-api.md 8.1): integers min_disk; booleans
// protected and __system_support_market; everything else a string.
var SpecAttributes = func() []ExpectedAttr {
	strs := []string{"id", "instance_id", "file", "self", "schema", "status", "visibility",
		"container_format", "updated_at", "__os_bit", "os_version", "disk_format", "__isregistered",
		"__platform", "__os_type", "virtual_env_type", "__image_source_type", "__imagetype",
		"created_at", "__originalimagename", "__backup_id", "__productcode", "image_size",
		"data_origin", "__lazyloading", "active_at", "__image_displayname", "__os_feature_list",
		"__support_kvm", "__support_xen", "__support_largememory", "__support_diskintensive",
		"__support_highperformance", "__support_xen_gpu_type", "__support_kvm_gpu_type",
		"__support_xen_hana", "__support_kvm_infiniband", "__is_offshelved", "__root_origin",
		"__sequence_num", "__support_fc_inject", "hw_firmware_type", "hw_vif_multiqueue_enabled",
		"__support_arm", "__support_agent_list", "__account_code", "__support_amd",
		"__support_kvm_hi1822_hisriov", "__support_kvm_hi1822_hivirtionet", "os_shutdown_timeout"}
	var out []ExpectedAttr
	for _, n := range strs {
		out = append(out, ExpectedAttr{Name: n, Type: str, Kind: KindComputed})
	}
	out = append(out,
		ExpectedAttr{Name: "protected", Type: boolean, Kind: KindComputed},
		ExpectedAttr{Name: "min_disk", Type: num, Kind: KindComputed},
		ExpectedAttr{Name: "__system_support_market", Type: boolean, Kind: KindComputed},
	)
	return out
}()

// ProviderArguments is the provider block: every argument of the official provider's schema
// (issue 12), secrets sensitive. Its nested blocks are ProviderBlocks.
var ProviderArguments = func() []ExpectedAttr {
	out := []ExpectedAttr{
		{Name: "secret_key", Type: str, Kind: KindOptional, Sensitive: true},
		{Name: "security_token", Type: str, Kind: KindOptional, Sensitive: true},
		{Name: "password", Type: str, Kind: KindOptional, Sensitive: true},
		{Name: "token", Type: str, Kind: KindOptional, Sensitive: true},
		{Name: "endpoints", Type: cty.Map(cty.String), Kind: KindOptional},
		{Name: "max_retries", Type: num, Kind: KindOptional},
		{Name: "default_tags", Type: cty.Map(cty.String), Kind: KindOptional},
		{Name: "ignore_tags", Type: cty.List(cty.String), Kind: KindOptional},
	}
	for _, n := range []string{"region", "access_key", "domain_id", "domain_name", "user_name",
		"user_id", "project_id", "project_name", "tenant_id", "tenant_name", "cacert_file", "cert",
		"key", "agency_name", "agency_domain_name", "delegated_project", "auth_url", "cloud",
		"shared_config_file", "profile", "enterprise_project_id", "signing_algorithm"} {
		out = append(out, ExpectedAttr{Name: n, Type: str, Kind: KindOptional})
	}
	for _, n := range []string{"insecure", "regional", "enable_force_new",
		"skip_check_website_type", "skip_check_upgrade"} {
		out = append(out, ExpectedAttr{Name: n, Type: boolean, Kind: KindOptional})
	}
	return out
}()

// ProviderBlocks are the provider block's nested blocks: lists of at most one.
var ProviderBlocks = []string{"assume_role", "assume_role_with_oidc"}

// CheckAttrs compares a block's attributes with expectations. Extra
// attributes are allowed only when deprecated (kept for old state).
func CheckAttrs(what string, b *Block, want []ExpectedAttr, sensitiveAllowed bool) []error {
	var errs []error
	seen := map[string]bool{}
	for _, w := range want {
		seen[w.Name] = true
		a, ok := b.Attributes[w.Name]
		if !ok {
			errs = append(errs, fmt.Errorf("%s: attribute %q is missing", what, w.Name))
			continue
		}
		if a.NestedType != nil || !a.Type.Equals(w.Type) {
			errs = append(errs, fmt.Errorf("%s: attribute %q has type %s, the spec says %s", what, w.Name, a.ImpliedType().FriendlyName(), w.Type.FriendlyName()))
		}
		switch w.Kind {
		case KindRequired:
			if !a.Required || a.Optional || a.Computed {
				errs = append(errs, fmt.Errorf("%s: attribute %q must be required (required=%v optional=%v computed=%v)", what, w.Name, a.Required, a.Optional, a.Computed))
			}
		case KindOptional:
			if !a.Optional || a.Required {
				errs = append(errs, fmt.Errorf("%s: attribute %q must be optional (required=%v optional=%v)", what, w.Name, a.Required, a.Optional))
			}
		case KindOptionalComputed:
			if !a.Optional || !a.Computed || a.Required {
				errs = append(errs, fmt.Errorf("%s: attribute %q must be optional and computed (it has a default) (required=%v optional=%v computed=%v)", what, w.Name, a.Required, a.Optional, a.Computed))
			}
		case KindComputed:
			if w.Name == "id" {
				// Terraform does not require id; SDKv2 makes it optional+computed.
				if !a.Computed || a.Required {
					errs = append(errs, fmt.Errorf("%s: attribute \"id\" must be computed", what))
				}
			} else if !a.Computed || a.Optional || a.Required {
				errs = append(errs, fmt.Errorf("%s: attribute %q must be computed only (required=%v optional=%v computed=%v)", what, w.Name, a.Required, a.Optional, a.Computed))
			}
		}
		if a.Sensitive != w.Sensitive {
			errs = append(errs, fmt.Errorf("%s: attribute %q sensitive=%v, want %v", what, w.Name, a.Sensitive, w.Sensitive))
		}
		if a.Description == "" {
			errs = append(errs, fmt.Errorf("%s: attribute %q has no description", what, w.Name))
		}
		if a.WriteOnly {
			errs = append(errs, fmt.Errorf("%s: attribute %q is write-only (Terraform < 1.11 cannot handle it)", what, w.Name))
		}
	}
	var extra []string
	for name, a := range b.Attributes {
		if !seen[name] && !a.Deprecated {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	for _, n := range extra {
		errs = append(errs, fmt.Errorf("%s: attribute %q is not in the spec", what, n))
	}
	return errs
}

// CheckResourceSchema checks the resource schema against the spec: every
// argument and attribute, and the timeouts block (create, delete).
func CheckResourceSchema(s *Schema) []error {
	if s == nil || s.Block == nil {
		return []error{fmt.Errorf("%s: no schema", ResourceType)}
	}
	want := append(append([]ExpectedAttr{}, SpecArguments...), SpecAttributes...)
	errs := CheckAttrs(ResourceType, s.Block, want, false)
	for name := range s.Block.BlockTypes {
		if name != "timeouts" {
			errs = append(errs, fmt.Errorf("%s: block %q is not in the spec", ResourceType, name))
		}
	}
	tb, ok := s.Block.BlockTypes["timeouts"]
	if !ok {
		return append(errs, fmt.Errorf("%s: the timeouts block is missing", ResourceType))
	}
	if tb.Nesting != NestingSingle || tb.MinItems != 0 || tb.MaxItems != 0 {
		errs = append(errs, fmt.Errorf("%s: timeouts must be a SINGLE block without min/max (got nesting %d, min %d, max %d)", ResourceType, tb.Nesting, tb.MinItems, tb.MaxItems))
	}
	tw := []ExpectedAttr{{Name: "create", Type: str, Kind: KindOptional}, {Name: "delete", Type: str, Kind: KindOptional}}
	for _, w := range tw {
		if a := tb.Block.Attributes[w.Name]; a != nil && a.Computed {
			errs = append(errs, fmt.Errorf("%s: timeouts.%s must not be computed", ResourceType, w.Name))
		}
	}
	errs = append(errs, CheckAttrs(ResourceType+".timeouts", tb.Block, tw, false)...)
	return errs
}

// CheckProviderSchema checks the provider configuration block.
func CheckProviderSchema(s *Schema) []error {
	if s == nil || s.Block == nil {
		return []error{fmt.Errorf("provider: no schema")}
	}
	errs := CheckAttrs("provider", s.Block, ProviderArguments, true)
	for _, n := range ProviderBlocks {
		nb, ok := s.Block.BlockTypes[n]
		if !ok {
			errs = append(errs, fmt.Errorf("provider: block %q is missing", n))
		} else if nb.Nesting != NestingList || nb.MinItems != 0 || nb.MaxItems != 1 {
			errs = append(errs, fmt.Errorf("provider: block %q must be a list of at most one (nesting %v, %d..%d)", n, nb.Nesting, nb.MinItems, nb.MaxItems))
		}
	}
	return errs
}
