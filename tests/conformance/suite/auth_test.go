package suite

// Every way of authenticating that the official provider documents, through the real provider
// binary against imsd: a provider block (or its HW_* environment) is configured, then a copy is
// planned, applied, refreshed and planned again. Settings the provider block does not have an
// attribute for yet reach the provider through the environment variables the official provider
// reads (HW_SHARED_CONFIG_FILE, HW_PROFILE, HW_ASSUME_ROLE_*, HW_PROJECT_NAME, HW_AUTH_URL), and
// the ECS metadata service through HWIMS_METADATA_URL.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hwims/conformance/driver"
)

const (
	tempAK     = "HWIMSTEMPACCESSKEY03"
	tempSK     = "hwimsTempSecretKey0123456789abcdefghijklm"
	tempToken  = "hwims-demo-security-token-valid-until-2099"
	seedDomain = "hwims-demo"
)

// authProvider is a provider block whose credentials are all variables (null: unset); iam
// false leaves the IAM endpoint to auth_url.
func authProvider(iam bool) string {
	ep := `    iam = "${var.imsd_url}/iam/"` + "\n"
	if !iam {
		ep = ""
	}
	return `variable "imsd_url" {}
variable "access_key" {
  default = null
}
variable "secret_key" {
  default = null
}
variable "security_token" {
  default = null
}
variable "region" {
  default = "cn-north-4"
}

provider "huaweicloud" {
  region         = var.region
  access_key     = var.access_key
  secret_key     = var.secret_key
  security_token = var.security_token
  endpoints = {
    ims = "${var.imsd_url}/{region}/"
` + ep + `    eps = "${var.imsd_url}/eps/"
  }
}
`
}

// authWorkspace is a workspace over scenarios/copy.tf with authProvider, the variables vs and
// the provider's extra environment launchEnv.
func authWorkspace(t *testing.T, m *driver.Imsd, iam bool, vs map[string]interface{}, launchEnv ...string) *workspace {
	t.Helper()
	dir := t.TempDir()
	pf := filepath.Join(dir, "provider.tf")
	if err := os.WriteFile(pf, []byte(authProvider(iam)), 0o644); err != nil {
		t.Fatal(err)
	}
	w := newWorkspace(t, m, "")
	w.files = []string{pf, testdata("scenarios/copy.tf")}
	// Nothing of a metadata service on the machine running the tests, unless launchEnv names
	// one (of two settings of one name exec keeps the last).
	w.env.LaunchEnv = append(append([]string(nil), w.env.LaunchEnv...), "HWIMS_METADATA_URL=http://127.0.0.1:9/")
	w.env.LaunchEnv = append(w.env.LaunchEnv, launchEnv...)
	w.env.Secrets = append(append([]string(nil), w.env.Secrets...), tempSK, tempToken)
	w.set(map[string]interface{}{"access_key": nil, "secret_key": nil, "security_token": nil,
		"name": copyName(t.Name())})
	return w.set(vs)
}

// copyName is a copy name from a test's name: only the characters IMS allows in names.
func copyName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '-'
	}, s)
}

// createAndConverge: plan a copy, apply it, refresh, plan empty, destroy.
func createAndConverge(w *workspace) {
	w.t.Helper()
	w.converge(map[string]driver.Action{c0: driver.Create})
	w.expectComplete(c0, driver.SeedRegion, driver.SeedImage)
	w.destroy()
}

func keys() map[string]interface{} {
	return map[string]interface{}{"access_key": driver.SeedAccessKey, "secret_key": driver.SeedSecretKey}
}

func TestAuthStaticKeys(t *testing.T) {
	m := startImsd(t)
	createAndConverge(authWorkspace(t, m, true, keys()))
}

func TestAuthTemporaryKeysWithSecurityToken(t *testing.T) {
	m := startImsd(t)
	createAndConverge(authWorkspace(t, m, true, map[string]interface{}{
		"access_key": tempAK, "secret_key": tempSK, "security_token": tempToken}))
}

// An expired security token: the apply fails with the gateway's answer, secrets unshown.
func TestAuthExpiredSecurityToken(t *testing.T) {
	m := startImsd(t)
	w := authWorkspace(t, m, true, map[string]interface{}{"access_key": "HWIMSEXPIREDACCESS04",
		"secret_key":     "hwimsExpiredSecretKey0123456789abcdefghij",
		"security_token": "hwims-demo-security-token-expired-2020"})
	w.env.Secrets = append(w.env.Secrets, "hwimsExpiredSecretKey0123456789abcdefghij", "hwims-demo-security-token-expired-2020")
	p := w.plan()
	res := w.applyPlan(p, driver.ApplyOptions{})
	err := res.Err()
	if err == nil || !strings.Contains(err.Error(), "APIGW.0307") {
		t.Fatalf("apply with expired credentials: %v, want APIGW.0307", err)
	}
}

func writeSharedConfig(t *testing.T) string {
	t.Helper()
	text := fmt.Sprintf(`{"current": "static", "profiles": [
 {"name": "static", "mode": "AKSK", "accessKeyId": %q, "secretAccessKey": %q, "region": "cn-north-4"},
 {"name": "temp", "mode": "AKSK", "accessKeyId": %q, "secretAccessKey": %q, "securityToken": %q},
 {"name": "agency", "mode": "AKSK", "accessKeyId": %q, "secretAccessKey": %q,
  "agencyName": %q, "agencyDomainName": %q}]}`,
		driver.SeedAccessKey, driver.SeedSecretKey, tempAK, tempSK, tempToken,
		driver.SeedAccessKey, driver.SeedSecretKey, driver.SeedAgency, seedDomain)
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestAuthSharedConfigFile(t *testing.T) {
	m := startImsd(t)
	path := writeSharedConfig(t)
	for _, profile := range []string{"", "temp", "agency"} {
		t.Run("profile="+profile, func(t *testing.T) {
			env := []string{"HW_SHARED_CONFIG_FILE=" + path}
			if profile != "" {
				env = append(env, "HW_PROFILE="+profile)
			}
			createAndConverge(authWorkspace(t, m, true, nil, env...))
		})
	}
}

// An unknown profile: ConfigureProvider answers with an error naming the file and the profile.
func TestAuthSharedConfigUnknownProfile(t *testing.T) {
	m := startImsd(t)
	path := writeSharedConfig(t)
	w := authWorkspace(t, m, true, nil, "HW_SHARED_CONFIG_FILE="+path, "HW_PROFILE=nobody")
	_, err := driver.MakePlan(w.env, w.config(), w.st, driver.PlanOptions{})
	if err == nil || !strings.Contains(err.Error(), "nobody") || !strings.Contains(err.Error(), path) {
		t.Fatalf("plan with an unknown profile: %v, want an error naming %s and the profile", err, path)
	}
}

func TestAuthAssumeRole(t *testing.T) {
	m := startImsd(t)
	createAndConverge(authWorkspace(t, m, true, keys(),
		"HW_ASSUME_ROLE_AGENCY_NAME="+driver.SeedAgency, "HW_ASSUME_ROLE_DOMAIN_NAME="+seedDomain))
}

func TestAuthAssumeRoleUnknownAgency(t *testing.T) {
	m := startImsd(t)
	w := authWorkspace(t, m, true, keys(),
		"HW_ASSUME_ROLE_AGENCY_NAME=no_such_agency", "HW_ASSUME_ROLE_DOMAIN_NAME="+seedDomain)
	p := w.plan()
	err := w.applyPlan(p, driver.ApplyOptions{}).Err()
	if err == nil || !strings.Contains(err.Error(), "assuming agency no_such_agency") {
		t.Fatalf("apply with an unknown agency: %v", err)
	}
}

func TestAuthEcsMetadataService(t *testing.T) {
	m := startImsd(t)
	// No key anywhere: the credentials come from imsd's metadata service.
	createAndConverge(authWorkspace(t, m, true, nil, "HWIMS_METADATA_URL="+m.URL+"/"))
}

func TestAuthProjectNameAndAuthURL(t *testing.T) {
	m := startImsd(t)
	createAndConverge(authWorkspace(t, m, false, keys(),
		"HW_PROJECT_NAME="+driver.SeedRegion, "HW_AUTH_URL="+m.URL+"/iam/v3"))
}
