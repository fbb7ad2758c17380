package driver

import (
	"sort"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// GenerateConfig writes the resource block that `terraform plan -generate-config-out` writes
// for an imported object v of type typ: every argument (required or optional) in name order,
// with its value from the state, a null one as null and a sensitive one as null (Terraform
// never writes a secret); computed-only attributes and nested blocks are left out, as they are
// for a resource Terraform generates without configuration.
func GenerateConfig(b *Block, typ, name string, v cty.Value) []byte {
	f := hclwrite.NewEmptyFile()
	body := f.Body().AppendNewBlock("resource", []string{typ, name}).Body()
	names := make([]string, 0, len(b.Attributes))
	for n, a := range b.Attributes {
		if a.Required || a.Optional {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		a := b.Attributes[n]
		val := v.GetAttr(n)
		if a.Sensitive || val.IsNull() || !val.IsKnown() {
			body.SetAttributeValue(n, cty.NullVal(val.Type()))
			continue
		}
		body.SetAttributeValue(n, val)
	}
	return f.Bytes()
}
