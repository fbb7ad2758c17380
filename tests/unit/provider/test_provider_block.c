/*
 * The provider block: every argument and nested block of the official huaweicloud provider is
 * in the schema Terraform gets, with the official name, type, nesting and required/optional;
 * ValidateProviderConfig refuses each argument this provider does not implement, naming it and
 * what to use instead, on its attribute path; the no-op ones load; endpoints of services this
 * provider does not call give a warning, not an error. docs/index.md is what the table
 * generates (HWIMS_UPDATE_DOCS=1 rewrites it, as scripts/gen-docs does).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hwims_test.h"
#include "prov_ops.h"
#include "prov_provider.h"
#include "prov_schema.h"
#include "tfplugin6.pb-c.h"

static char *const no_env[] = {NULL};

/* The official schema (huaweicloud/provider.go), less default_tags and ignore_tags: name, type
   JSON, required, sensitive as this provider must at least mark it. */
typedef struct official {
	const char *name, *type;
	int required, sensitive;
} official;

static const official official_attrs[] = {
    {"region", "\"string\"", 0, 0},
    {"access_key", "\"string\"", 0, 0},
    {"secret_key", "\"string\"", 0, 0},
    {"security_token", "\"string\"", 0, 0},
    {"domain_id", "\"string\"", 0, 0},
    {"domain_name", "\"string\"", 0, 0},
    {"user_name", "\"string\"", 0, 0},
    {"user_id", "\"string\"", 0, 0},
    {"password", "\"string\"", 0, 1},
    {"project_id", "\"string\"", 0, 0},
    {"project_name", "\"string\"", 0, 0},
    {"tenant_id", "\"string\"", 0, 0},
    {"tenant_name", "\"string\"", 0, 0},
    {"token", "\"string\"", 0, 0},
    {"insecure", "\"bool\"", 0, 0},
    {"cacert_file", "\"string\"", 0, 0},
    {"cert", "\"string\"", 0, 0},
    {"key", "\"string\"", 0, 0},
    {"agency_name", "\"string\"", 0, 0},
    {"agency_domain_name", "\"string\"", 0, 0},
    {"delegated_project", "\"string\"", 0, 0},
    {"auth_url", "\"string\"", 0, 0},
    {"cloud", "\"string\"", 0, 0},
    {"endpoints", "[\"map\",\"string\"]", 0, 0},
    {"regional", "\"bool\"", 0, 0},
    {"shared_config_file", "\"string\"", 0, 0},
    {"profile", "\"string\"", 0, 0},
    {"enterprise_project_id", "\"string\"", 0, 0},
    {"max_retries", "\"number\"", 0, 0},
    {"enable_force_new", "\"bool\"", 0, 0},
    {"signing_algorithm", "\"string\"", 0, 0},
    {"skip_check_website_type", "\"bool\"", 0, 0},
    {"skip_check_upgrade", "\"bool\"", 0, 0},
    {"default_tags", "[\"map\",\"string\"]", 0, 0},
    {"ignore_tags", "[\"list\",\"string\"]", 0, 0},
};

static const official official_assume_role[] = {
    {"agency_name", "\"string\"", 1, 0},
    {"domain_name", "\"string\"", 0, 0},
    {"domain_id", "\"string\"", 0, 0},
    {"duration", "\"number\"", 0, 0},
};

static Tfplugin6__GetProviderSchema__Response *fetch(prov_schemas *s)
{
	hwims_error err;
	assert_int_equal(prov_schemas_build(s, &err), 0);
	uint8_t *data;
	size_t len;
	assert_int_equal(prov_schema_response(s, &data, &len, &err), 0);
	Tfplugin6__GetProviderSchema__Response *r =
	    (Tfplugin6__GetProviderSchema__Response *)protobuf_c_message_unpack(
	        &tfplugin6__get_provider_schema__response__descriptor, NULL, len, data);
	free(data);
	assert_non_null(r);
	return r;
}

static const Tfplugin6__Schema__Attribute *attr_of(const Tfplugin6__Schema__Block *b,
                                                   const char *name)
{
	for (size_t i = 0; i < b->n_attributes; i++) {
		if (strcmp(b->attributes[i]->name, name) == 0)
			return b->attributes[i];
	}
	return NULL;
}

static const Tfplugin6__Schema__NestedBlock *block_of(const Tfplugin6__Schema__Block *b,
                                                      const char *name)
{
	for (size_t i = 0; i < b->n_block_types; i++) {
		if (strcmp(b->block_types[i]->type_name, name) == 0)
			return b->block_types[i];
	}
	return NULL;
}

static void check_attrs(const Tfplugin6__Schema__Block *b, const official *o, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const Tfplugin6__Schema__Attribute *a = attr_of(b, o[i].name);
		if (!a)
			fail_msg("the official argument %s is missing", o[i].name);
		if (a->type.len != strlen(o[i].type) ||
		    memcmp(a->type.data, o[i].type, a->type.len) != 0)
			fail_msg("%s: type %.*s, official %s", o[i].name, (int)a->type.len,
			         (const char *)a->type.data, o[i].type);
		if (a->required != o[i].required || a->optional == o[i].required)
			fail_msg("%s: required %d optional %d", o[i].name, a->required,
			         a->optional);
		assert_false(a->computed);
		if (o[i].sensitive && !a->sensitive)
			fail_msg("%s is sensitive in the official schema", o[i].name);
	}
}

static void every_official_argument_is_in_the_schema(void **state)
{
	(void)state;
	prov_schemas s;
	Tfplugin6__GetProviderSchema__Response *r = fetch(&s);
	const Tfplugin6__Schema__Block *b = r->provider->block;
	check_attrs(b, official_attrs, sizeof(official_attrs) / sizeof(official_attrs[0]));
	/* secrets are redacted even where the official schema does not ask for it */
	assert_true(attr_of(b, "secret_key")->sensitive);
	assert_true(attr_of(b, "security_token")->sensitive);
	assert_true(attr_of(b, "token")->sensitive);
	const char *blocks[] = {"assume_role", "assume_role_with_oidc"};
	for (size_t i = 0; i < 2; i++) {
		const Tfplugin6__Schema__NestedBlock *nb = block_of(b, blocks[i]);
		if (!nb)
			fail_msg("the official block %s is missing", blocks[i]);
		assert_int_equal(nb->nesting, TFPLUGIN6__SCHEMA__NESTED_BLOCK__NESTING_MODE__LIST);
		assert_int_equal(nb->min_items, 0);
		assert_int_equal(nb->max_items, 1);
	}
	check_attrs(block_of(b, "assume_role")->block, official_assume_role,
	            sizeof(official_assume_role) / sizeof(official_assume_role[0]));
	assert_true(attr_of(block_of(b, "assume_role_with_oidc")->block, "id_token")->sensitive);
	/* nothing beyond the official block */
	assert_int_equal(b->n_attributes, sizeof(official_attrs) / sizeof(official_attrs[0]));
	assert_int_equal(b->n_block_types, 2);
	assert_int_equal(block_of(b, "assume_role")->block->n_attributes, 4);
	protobuf_c_message_free_unpacked(&r->base, NULL);
	prov_schemas_free(&s);
}

typedef struct fx {
	prov_provider p;
	prov_diags d;
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof(*f));
	hwims_error err;
	if (!f || prov_provider_init(&f->p, NULL, no_env, &err) != 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	prov_diags_free(&f->d);
	prov_provider_destroy(&f->p);
	free(f);
	return 0;
}

/* ValidateProviderConfig over the configuration json; the diagnostics are in f->d. */
static void validate(fx *f, const char *json)
{
	prov_diags_free(&f->d);
	memset(&f->d, 0, sizeof(f->d));
	prov_value *cfg = NULL;
	hwims_error err;
	if (prov_value_from_json(f->p.schemas.provider.implied, json, strlen(json), &cfg, &err) !=
	    0)
		fail_msg("%s: %s", json, err.message);
	prov_op op = {&f->p, NULL, &f->p.schemas.provider, &f->d};
	prov_provider_validate_config(&op, cfg);
	prov_value_free(cfg);
}

/* The path of diagnostic i as "a.b", or "" without one. */
static const char *path_of(const Tfplugin6__Diagnostic *dg, char *buf, size_t n)
{
	buf[0] = '\0';
	for (size_t i = 0; dg->attribute && i < dg->attribute->n_steps; i++) {
		const Tfplugin6__AttributePath__Step *st = dg->attribute->steps[i];
		size_t len = strlen(buf);
		if (st->selector_case ==
		    TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ELEMENT_KEY_STRING)
			snprintf(buf + len, n - len, "[\"%s\"]", st->element_key_string);
		else
			snprintf(buf + len, n - len, "%s%s", len ? "." : "", st->attribute_name);
	}
	return buf;
}

/* The only diagnostic is an error on path whose detail contains want. */
static void one_error(fx *f, const char *path, const char *want)
{
	char p[256];
	if (f->d.n != 1)
		fail_msg("%zu diagnostics for %s", f->d.n, path);
	const Tfplugin6__Diagnostic *dg = f->d.items[0];
	assert_int_equal(dg->severity, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR);
	assert_string_equal(path_of(dg, p, sizeof(p)), path);
	if (!strstr(dg->detail, want))
		fail_msg("%s: detail \"%s\" lacks \"%s\"", path, dg->detail, want);
	if (!strstr(dg->summary, path))
		fail_msg("%s: summary \"%s\" does not name it", path, dg->summary);
}

static void each_unimplemented_argument_is_refused_on_its_path(void **state)
{
	fx *f = *state;
	static const struct {
		const char *name, *json, *instead;
	} cases[] = {
	    {"user_name", "\"u\"", "access_key"},
	    {"user_id", "\"u\"", "access_key"},
	    {"password", "\"p\"", "access_key"},
	    {"token", "\"t\"", "security_token"},
	    {"tenant_id", "\"t\"", "use `project_id`"},
	    {"tenant_name", "\"t\"", "use `project_name`"},
	    {"cacert_file", "\"/ca.pem\"", "trust store"},
	    {"cert", "\"/c.pem\"", "client certificates"},
	    {"key", "\"/k.pem\"", "client certificates"},
	    {"agency_name", "\"a\"", "`assume_role` block"},
	    {"agency_domain_name", "\"d\"", "`assume_role` block"},
	    {"delegated_project", "\"p\"", "`assume_role` block"},
	    {"assume_role_with_oidc", "[{\"idp_id\":\"i\",\"id_token\":\"t\"}]", "`assume_role`"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char json[256];
		snprintf(json, sizeof(json), "{\"%s\":%s}", cases[i].name, cases[i].json);
		validate(f, json);
		one_error(f, cases[i].name, cases[i].instead);
	}
	/* empty strings count as omitted, as for the official provider */
	validate(f, "{\"user_name\":\"\",\"password\":\"\",\"assume_role_with_oidc\":[]}");
	assert_int_equal(f->d.n, 0);
}

static void signing_algorithm_other_than_hmac_sha256_is_refused(void **state)
{
	fx *f = *state;
	validate(f, "{\"signing_algorithm\":\"HmacSHA256\"}");
	assert_int_equal(f->d.n, 0);
	validate(f, "{\"signing_algorithm\":\"SM2SM3\"}");
	one_error(f, "signing_algorithm", "HmacSHA256");
}

/* The official documentation's examples and the no-op arguments load without a diagnostic. */
static void official_blocks_load(void **state)
{
	fx *f = *state;
	/* The shared configuration file is read at validate, so the example's file must exist. */
	char path[] = "/tmp/hwims-hcloud-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	static const char profile[] =
	    "{\"current\":\"customprofile\",\"profiles\":[{\"name\":\"customprofile\","
	    "\"mode\":\"AKSK\",\"accessKeyId\":\"AK\",\"secretAccessKey\":\"SK\","
	    "\"region\":\"cn-north-4\"}]}";
	assert_int_equal(write(fd, profile, sizeof(profile) - 1), (ssize_t)(sizeof(profile) - 1));
	close(fd);
	char shared[256];
	snprintf(shared, sizeof(shared),
	         "{\"shared_config_file\":\"%s\",\"profile\":\"customprofile\"}", path);
	const char *blocks[] = {
	    "{\"region\":\"cn-north-4\",\"access_key\":\"AK\",\"secret_key\":\"SK\"}",
	    "{\"region\":\"cn-north-4\",\"access_key\":\"AK\",\"secret_key\":\"SK\","
	    "\"security_token\":\"T\"}",
	    "{}",
	    shared,
	    "{\"region\":\"cn-north-4\",\"access_key\":\"AK\",\"secret_key\":\"SK\","
	    "\"assume_role\":[{\"agency_name\":\"agency\",\"domain_name\":\"agency_domain\"}]}",
	    "{\"region\":\"cn-north-4\",\"project_name\":\"cn-north-4\",\"domain_name\":\"d\","
	    "\"auth_url\":\"https://iam.cn-north-4.myhuaweicloud.com/v3\",\"cloud\":"
	    "\"myhuaweicloud.com\",\"insecure\":true,\"max_retries\":3,"
	    "\"enterprise_project_id\":\"0\",\"regional\":true,\"enable_force_new\":true,"
	    "\"skip_check_website_type\":true,\"skip_check_upgrade\":false}",
	    "{\"endpoints\":{\"ims\":\"https://ims.cn-north-4.myhuaweicloud.com/\","
	    "\"iam\":\"https://iam.{region}.{cloud}/\",\"eps\":\"https://eps.myhuaweicloud.com\"}}",
	};
	for (size_t i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++) {
		validate(f, blocks[i]);
		if (f->d.n != 0)
			fail_msg("%s: %s: %s", blocks[i], f->d.items[0]->summary,
			         f->d.items[0]->detail);
	}
	unlink(path);
}

/* Validate reads the shared file as configure will: "~/" is the provider's HOME and the profile
   is the configured one, not the file's current one (here an SSO profile it cannot use). */
static void shared_config_file_is_read_with_its_profile_and_home(void **state)
{
	(void)state;
	char home[] = "/tmp/hwims-home-XXXXXX";
	assert_non_null(mkdtemp(home));
	char dir[300], file[320], home_var[320];
	snprintf(dir, sizeof(dir), "%s/.hcloud", home);
	snprintf(file, sizeof(file), "%s/config.json", dir);
	snprintf(home_var, sizeof(home_var), "HOME=%s", home);
	assert_int_equal(mkdir(dir, 0700), 0);
	FILE *fp = fopen(file, "w");
	assert_non_null(fp);
	fputs("{\"current\":\"sso\",\"profiles\":["
	      "{\"name\":\"sso\",\"mode\":\"SSO\"},"
	      "{\"name\":\"good\",\"mode\":\"AKSK\",\"accessKeyId\":\"AK\","
	      "\"secretAccessKey\":\"SK\",\"region\":\"cn-north-4\"}]}",
	      fp);
	fclose(fp);

	char *const env[] = {home_var, NULL};
	fx f = {0};
	hwims_error err;
	assert_int_equal(prov_provider_init(&f.p, NULL, env, &err), 0);
	validate(&f, "{\"shared_config_file\":\"~/.hcloud/config.json\",\"profile\":\"good\"}");
	if (f.d.n != 0)
		fail_msg("%s: %s", f.d.items[0]->summary, f.d.items[0]->detail);
	/* A configured profile the provider cannot use is refused on "profile"; without one the
	   file's current profile is used, and refused on the file. */
	static const char *const cases[][2] = {
	    {"{\"shared_config_file\":\"~/.hcloud/config.json\",\"profile\":\"sso\"}", "profile"},
	    {"{\"shared_config_file\":\"~/.hcloud/config.json\"}", "shared_config_file"},
	};
	char p[64];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		validate(&f, cases[i][0]);
		if (f.d.errors != 1 ||
		    !strstr(f.d.items[0]->detail, "only AKSK and ecsAgency profiles are supported"))
			fail_msg("%s: %d errors", cases[i][0], f.d.errors);
		assert_string_equal(path_of(f.d.items[0], p, sizeof(p)), cases[i][1]);
	}

	prov_diags_free(&f.d);
	prov_provider_destroy(&f.p);
	unlink(file);
	rmdir(dir);
	rmdir(home);
}

static void endpoints_of_other_services_warn(void **state)
{
	fx *f = *state;
	char p[256];
	validate(f, "{\"endpoints\":{\"ims\":\"https://ims.example.com/\","
	            "\"vpc\":\"https://vpc.example.com/\",\"ecs\":\"https://ecs.example.com\"}}");
	assert_int_equal(f->d.n, 2);
	assert_int_equal(f->d.errors, 0);
	for (size_t i = 0; i < 2; i++)
		assert_int_equal(f->d.items[i]->severity, TFPLUGIN6__DIAGNOSTIC__SEVERITY__WARNING);
	assert_string_equal(path_of(f->d.items[0], p, sizeof(p)), "endpoints[\"ecs\"]");
	assert_string_equal(path_of(f->d.items[1], p, sizeof(p)), "endpoints[\"vpc\"]");
	/* a used endpoint that is not a URL is still an error on its key */
	validate(f, "{\"endpoints\":{\"ims\":\"ftp://ims.example.com/\"}}");
	assert_int_equal(f->d.errors, 1);
	assert_string_equal(path_of(f->d.items[0], p, sizeof(p)), "endpoints[\"ims\"]");
}

static void bad_settings_are_refused_on_their_path(void **state)
{
	fx *f = *state;
	char p[64];
	static const char *const cases[][2] = {
	    {"{\"max_retries\":21}", "max_retries"},
	    {"{\"region\":\"cn-north-4.evil.example\",\"access_key\":\"AK\"}", "region"},
	    {"{\"cloud\":\"Bad Cloud\",\"region\":\"cn-north-4\"}", "cloud"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		validate(f, cases[i][0]);
		if (f->d.errors != 1)
			fail_msg("%s: %d errors", cases[i][0], f->d.errors);
		assert_string_equal(path_of(f->d.items[0], p, sizeof(p)), cases[i][1]);
	}
}

/* ConfigureProvider over json with the environment env; the diagnostics are in f->d. */
static void configure(char *const *env, const char *json, prov_diags *d)
{
	prov_provider p;
	hwims_error err;
	assert_int_equal(prov_provider_init(&p, NULL, env, &err), 0);
	prov_value *cfg = NULL;
	if (prov_value_from_json(p.schemas.provider.implied, json, strlen(json), &cfg, &err) != 0)
		fail_msg("%s: %s", json, err.message);
	prov_op op = {&p, NULL, &p.schemas.provider, d};
	prov_provider_configure(&op, cfg, "1.5.7");
	prov_value_free(cfg);
	prov_provider_destroy(&p);
}

#define STATIC_KEYS "{\"region\":\"cn-north-4\",\"access_key\":\"AK\",\"secret_key\":\"SK\""

/* What was unknown at validate time is refused when configuring; the official provider's
   environment variables for what is not implemented warn instead of being silently ignored. */
static void configure_refuses_and_warns(void **state)
{
	(void)state;
	prov_diags d = PROV_DIAGS_INIT;
	configure(no_env, STATIC_KEYS ",\"token\":\"t\"}", &d);
	assert_int_equal(d.errors, 1);
	assert_string_equal(d.items[0]->summary, "Unsupported argument token");
	prov_diags_free(&d);

	char *const env[] = {"HW_USER_NAME=me", "HW_USER_PASSWORD=", "HOME=/nonexistent", NULL};
	prov_diags w = PROV_DIAGS_INIT;
	configure(env, STATIC_KEYS "}", &w);
	assert_int_equal(w.errors, 0);
	assert_int_equal(w.n, 1);
	assert_int_equal(w.items[0]->severity, TFPLUGIN6__DIAGNOSTIC__SEVERITY__WARNING);
	assert_non_null(strstr(w.items[0]->detail, "HW_USER_NAME is set but this provider does "
	                                           "not read it"));
	prov_diags_free(&w);
}

static void provider_page_lists_every_argument_and_is_current(void **state)
{
	(void)state;
	char *doc = prov_provider_doc();
	assert_non_null(doc);
	size_t n;
	const prov_provider_arg *args = prov_provider_args(&n);
	char needle[128];
	for (size_t i = 0; i < n; i++) {
		snprintf(needle, sizeof(needle), "* `%s` - (", args[i].name);
		if (!strstr(doc, needle))
			fail_msg("docs/index.md does not list %s", args[i].name);
	}
	assert_non_null(strstr(doc, "* `access_key` - (Optional, String) The access key (AK) of "
	                            "the credentials. If omitted, `HW_ACCESS_KEY` is read."));
	assert_non_null(strstr(doc, "* `agency_name` - (Required, String) "));
	assert_non_null(
	    strstr(doc, "**Not implemented**: setting it is an error; use `project_id`"));
	assert_non_null(strstr(doc, "### Shared configuration file"));
	assert_non_null(strstr(doc, "### ECS metadata service"));
	assert_non_null(strstr(doc, "  assume_role {\n"));
	int rc = hwims_test_doc_current("index.md", doc);
	free(doc);
	if (rc < 0)
		fail_msg("cannot read docs/index.md (run scripts/gen-docs)");
	if (rc > 0)
		fail_msg("docs/index.md is stale: run scripts/gen-docs");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_official_argument_is_in_the_schema),
	    cmocka_unit_test_setup_teardown(each_unimplemented_argument_is_refused_on_its_path,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(signing_algorithm_other_than_hmac_sha256_is_refused,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(official_blocks_load, setup, teardown),
	    cmocka_unit_test(shared_config_file_is_read_with_its_profile_and_home),
	    cmocka_unit_test_setup_teardown(endpoints_of_other_services_warn, setup, teardown),
	    cmocka_unit_test_setup_teardown(bad_settings_are_refused_on_their_path, setup,
	                                    teardown),
	    cmocka_unit_test(configure_refuses_and_warns),
	    cmocka_unit_test(provider_page_lists_every_argument_and_is_current),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
