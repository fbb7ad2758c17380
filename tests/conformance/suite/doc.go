// Package suite holds the conformance tests: the provider driven through the
// driver package as Terraform drives it.
package suite
