/*
 * schema_provider.c - the provider block: every argument the official huaweicloud provider
 * documents, with the same name, type, nesting and required/optional as its schema, so that a
 * provider block written for it loads here unchanged (prov_schema.h). The table also says which
 * environment variables each argument falls back to and whether this provider implements it;
 * ValidateProviderConfig (provider_config.c) and the provider page (schema_provider_doc.c) are
 * both driven by it, so the page cannot drift from what the provider does.
 *
 * Sensitivity: the official schema marks only `password`. Here every argument that carries a
 * secret (secret_key, security_token, password, token, the OIDC token) is sensitive, so that
 * Terraform redacts it wherever it shows the provider configuration; this changes nothing about
 * which configurations load.
 */
#include <string.h>

#include "prov_schema.h"

#define NO_PASSWORD                                                                                \
	"this provider signs every request with an access key; set `access_key` and `secret_key` " \
	"(with `security_token` for temporary keys), or use `shared_config_file` with `profile`, " \
	"the `assume_role` block, or the ECS metadata service"

static const prov_provider_arg assume_role_args[] = {
    {"agency_name", 's', PROV_A_REQUIRED, "HW_ASSUME_ROLE_AGENCY_NAME", PROV_ARG_USED, NULL,
     "The name of the IAM agency to assume. Every call is then made with temporary credentials "
     "for that agency, obtained from IAM with the credentials above and renewed before they "
     "expire.",
     NULL, 0},
    {"domain_name", 's', PROV_A_OPTIONAL, "HW_ASSUME_ROLE_DOMAIN_NAME", PROV_ARG_USED, NULL,
     "The name of the account that owns the agency. One of `domain_name` and `domain_id` is "
     "needed.",
     NULL, 0},
    {"domain_id", 's', PROV_A_OPTIONAL, "HW_ASSUME_ROLE_DOMAIN_ID", PROV_ARG_USED, NULL,
     "The ID of the account that owns the agency.", NULL, 0},
    {"duration", 'n', PROV_A_OPTIONAL, "HW_ASSUME_ROLE_DURATION", PROV_ARG_USED, NULL,
     "How long, in seconds, each set of temporary credentials lasts (IAM's default unless "
     "set).",
     NULL, 0},
};

/* The stored copies of the official schema do not show this block's attributes; these are the
   ones its IAM call (an OpenID Connect token exchanged for temporary credentials) needs. All are
   optional so that any subset loads; setting the block at all is refused at validate time. */
static const prov_provider_arg oidc_args[] = {
    {"idp_id", 's', PROV_A_OPTIONAL, NULL, PROV_ARG_REJECTED, NULL,
     "The identity provider registered in IAM.", NULL, 0},
    {"id_token", 's', PROV_A_OPTIONAL | PROV_A_SENSITIVE, NULL, PROV_ARG_REJECTED, NULL,
     "The OpenID Connect ID token.", NULL, 0},
    {"id_token_file", 's', PROV_A_OPTIONAL, NULL, PROV_ARG_REJECTED, NULL,
     "A file holding the ID token.", NULL, 0},
    {"duration", 'n', PROV_A_OPTIONAL, NULL, PROV_ARG_REJECTED, NULL,
     "How long the temporary credentials last, in seconds.", NULL, 0},
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const prov_provider_arg provider_args[] = {
    {"region", 's', PROV_A_OPTIONAL, "HW_REGION_NAME", PROV_ARG_USED, NULL,
     "The region to work in, such as `cn-north-4`. A resource may name its own.", NULL, 0},
    {"access_key", 's', PROV_A_OPTIONAL, "HW_ACCESS_KEY", PROV_ARG_USED, NULL,
     "The access key (AK) of the credentials.", NULL, 0},
    {"secret_key", 's', PROV_A_OPTIONAL | PROV_A_SENSITIVE, "HW_SECRET_KEY", PROV_ARG_USED, NULL,
     "The secret key (SK) of the credentials.", NULL, 0},
    {"security_token", 's', PROV_A_OPTIONAL | PROV_A_SENSITIVE, "HW_SECURITY_TOKEN", PROV_ARG_USED,
     NULL,
     "The security token of temporary credentials, set together with their `access_key` and "
     "`secret_key`.",
     NULL, 0},
    {"domain_id", 's', PROV_A_OPTIONAL, "HW_DOMAIN_ID", PROV_ARG_USED, NULL,
     "The ID of the account (domain) the credentials belong to.", NULL, 0},
    {"domain_name", 's', PROV_A_OPTIONAL, "HW_DOMAIN_NAME", PROV_ARG_USED, NULL,
     "The name of the account (domain) the credentials belong to.", NULL, 0},
    {"user_name", 's', PROV_A_OPTIONAL, NULL, PROV_ARG_REJECTED, NO_PASSWORD,
     "A user name for password authentication.", NULL, 0},
    {"user_id", 's', PROV_A_OPTIONAL, NULL, PROV_ARG_REJECTED, NO_PASSWORD,
     "A user ID for password authentication.", NULL, 0},
    {"password", 's', PROV_A_OPTIONAL | PROV_A_SENSITIVE, NULL, PROV_ARG_REJECTED, NO_PASSWORD,
     "A password for password authentication.", NULL, 0},
    {"assume_role", 'l', PROV_A_OPTIONAL, NULL, PROV_ARG_USED, NULL,
     "Assume an IAM agency (at most one block); see below.", assume_role_args,
     N_OF(assume_role_args)},
    {"assume_role_with_oidc", 'l', PROV_A_OPTIONAL, NULL, PROV_ARG_REJECTED,
     "use the `assume_role` block with an access key, or the ECS metadata service",
     "Exchange an OpenID Connect token for temporary credentials (at most one block).", oidc_args,
     N_OF(oidc_args)},
    {"project_id", 's', PROV_A_OPTIONAL, "HW_PROJECT_ID", PROV_ARG_USED, NULL,
     "The ID of the region's project; looked up through IAM when omitted.", NULL, 0},
    {"project_name", 's', PROV_A_OPTIONAL, "HW_PROJECT_NAME", PROV_ARG_USED, NULL,
     "The name of the project, an alternative to `project_id` (such as `cn-north-4` or "
     "`cn-north-4_sub`).",
     NULL, 0},
    {"tenant_id", 's', PROV_A_OPTIONAL, NULL, PROV_ARG_REJECTED, "use `project_id`",
     "The OpenStack spelling of the project ID.", NULL, 0},
    {"tenant_name", 's', PROV_A_OPTIONAL, NULL, PROV_ARG_REJECTED, "use `project_name`",
     "The OpenStack spelling of the project name.", NULL, 0},
    {"token", 's', PROV_A_OPTIONAL | PROV_A_SENSITIVE, NULL, PROV_ARG_REJECTED, NO_PASSWORD,
     "An IAM token to authenticate with.", NULL, 0},
    {"insecure", 'b', PROV_A_OPTIONAL, "HW_INSECURE", PROV_ARG_USED, NULL,
     "Skip verification of the API servers' TLS certificates (for test endpoints only).", NULL, 0},
    {"cacert_file", 's', PROV_A_OPTIONAL, NULL, PROV_ARG_REJECTED,
     "add the CA certificate to the system's trust store (or set `SSL_CERT_FILE`), or set "
     "`insecure = true` for a test endpoint",
     "A CA certificate bundle to verify the API servers with.", NULL, 0},
    {"cert", 's', PROV_A_OPTIONAL, NULL, PROV_ARG_REJECTED,
     "this provider does not present client certificates; authenticate with an access key",
     "A client certificate for mutual TLS.", NULL, 0},
    {"key", 's', PROV_A_OPTIONAL, NULL, PROV_ARG_REJECTED,
     "this provider does not present client certificates; authenticate with an access key",
     "The private key of the client certificate.", NULL, 0},
    {"agency_name", 's', PROV_A_OPTIONAL, NULL, PROV_ARG_REJECTED,
     "use the `assume_role` block (`agency_name`, `domain_name`)",
     "The agency of the older, token-based delegation.", NULL, 0},
    {"agency_domain_name", 's', PROV_A_OPTIONAL, NULL, PROV_ARG_REJECTED,
     "use the `assume_role` block (`agency_name`, `domain_name`)",
     "The account owning the agency of the older, token-based delegation.", NULL, 0},
    {"delegated_project", 's', PROV_A_OPTIONAL, NULL, PROV_ARG_REJECTED,
     "use the `assume_role` block, with `project_name` or `project_id` for the project",
     "The project of the older, token-based delegation.", NULL, 0},
    {"auth_url", 's', PROV_A_OPTIONAL, "HW_AUTH_URL", PROV_ARG_USED, NULL,
     "The IAM endpoint as the official provider takes it, such as "
     "`https://iam.cn-north-4.myhuaweicloud.com/v3`.",
     NULL, 0},
    {"cloud", 's', PROV_A_OPTIONAL, "HW_CLOUD", PROV_ARG_USED, NULL,
     "The cloud's domain used in the default endpoints. Defaults to `myhuaweicloud.com`.", NULL, 0},
    {"endpoints", 'm', PROV_A_OPTIONAL, "HW_IMS_ENDPOINT HW_IAM_ENDPOINT HW_EPS_ENDPOINT",
     PROV_ARG_USED, NULL,
     "Endpoints keyed by service. This provider calls `ims`, `iam` and `eps`; a value is a URL "
     "as the official provider takes it (`https://ims.cn-north-4.myhuaweicloud.com/`) or a "
     "template in which `{region}` and `{cloud}` are replaced. Other services' keys (`vpc`, "
     "`ecs`, ...) are accepted with a warning and not used.",
     NULL, 0},
    {"regional", 'b', PROV_A_OPTIONAL, NULL, PROV_ARG_NO_EFFECT,
     "this provider always calls regional endpoints (IMS and IAM in the region), which is what "
     "`regional = true` asks of the official provider; `false` loads as well",
     "Whether the service endpoints are regional.", NULL, 0},
    {"shared_config_file", 's', PROV_A_OPTIONAL, "HW_SHARED_CONFIG_FILE", PROV_ARG_USED, NULL,
     "The Huawei Cloud CLI configuration file (`~/.hcloud/config.json`, saved with "
     "`--cli-auth-encrypt=false`) to read the credentials and region from.",
     NULL, 0},
    {"profile", 's', PROV_A_OPTIONAL, "HW_PROFILE", PROV_ARG_USED, NULL,
     "The profile of `shared_config_file` to use. Defaults to the file's current profile.", NULL,
     0},
    {"enterprise_project_id", 's', PROV_A_OPTIONAL, "HW_ENTERPRISE_PROJECT_ID", PROV_ARG_USED, NULL,
     "The enterprise project a new copy within a region gets when its own "
     "`enterprise_project_id` is unset (as the official provider's resources use it); copies "
     "that already exist keep theirs.",
     NULL, 0},
    {"max_retries", 'n', PROV_A_OPTIONAL, "HW_MAX_RETRIES", PROV_ARG_USED, NULL,
     "How many times a throttled or failed API request is retried, 0 to 20 (default 5).", NULL, 0},
    {"enable_force_new", 'b', PROV_A_OPTIONAL, NULL, PROV_ARG_NO_EFFECT,
     "every argument of `huaweicloud_images_image_copy` that cannot be updated in place "
     "already replaces the copy, which is what the official flag turns on",
     "Replace resources whose non-updatable arguments change instead of failing.", NULL, 0},
    {"signing_algorithm", 's', PROV_A_OPTIONAL, NULL, PROV_ARG_USED, NULL,
     "How requests are signed. Only `HmacSHA256` (the default) is implemented; `HmacSM3`, "
     "`EcdsaP256SHA256` and `SM2SM3` are refused.",
     NULL, 0},
    {"skip_check_website_type", 'b', PROV_A_OPTIONAL, NULL, PROV_ARG_NO_EFFECT,
     "this provider never checks the account's website type, so there is nothing to skip",
     "Skip the check of the account's website type.", NULL, 0},
    {"skip_check_upgrade", 'b', PROV_A_OPTIONAL, NULL, PROV_ARG_NO_EFFECT,
     "this provider never checks for newer releases, so there is nothing to skip",
     "Skip the check for a newer provider release.", NULL, 0},
    {"default_tags", 'm', PROV_A_OPTIONAL, NULL, PROV_ARG_USED, NULL,
     "Tags every `huaweicloud_images_image_copy` gets besides its own `tags`; a key the "
     "resource sets itself takes the resource's value. A copy whose `tags` are unset plans the "
     "defaults as its `tags`; one that sets them keeps exactly those in state (Terraform holds "
     "a configured value to the configuration) while the copy has the defaults too.",
     NULL, 0},
    {"ignore_tags", 'L', PROV_A_OPTIONAL, NULL, PROV_ARG_USED, NULL,
     "Tag keys managed outside Terraform: a copy's tags with these keys are left out of state, "
     "never shown as a change and never removed.",
     NULL, 0},
};

const prov_provider_arg *prov_provider_args(size_t *n)
{
	*n = N_OF(provider_args);
	return provider_args;
}

const prov_provider_arg *prov_provider_arg_find(const char *name)
{
	for (size_t i = 0; i < N_OF(provider_args); i++) {
		if (strcmp(provider_args[i].name, name) == 0)
			return &provider_args[i];
	}
	return NULL;
}
