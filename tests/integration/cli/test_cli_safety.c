/* The hwims CLI under hostile or unusual input, end to end against imsd: control characters in
 * input are refused before any request, control characters from the server are shown escaped
 * and never reach the terminal raw, a 128-character Chinese name works through copy, list,
 * update and show, and --output json prints exactly one JSON document on every kind of error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_itest.h"

/* An image whose name and description would drive a terminal: set the window title, clear the
 * screen, and a C1 CSI (U+009B) that some terminals obey as ESC [. The seed is the only way in:
 * imsd, like IMS, refuses such a name through the API. */
#define EVIL_ID   "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1cee"
#define EVIL_NAME "evil\033]0;pwned\007\033[2J"
#define EVIL_DESC                                                                                  \
	"desc \033[31mred\xc2\x9b"                                                                 \
	"2J\177 \\x1b"

static char *seed_dir;

/* imsd's built-in seed with the evil image added, written under seed_dir; its path in path. */
static int write_evil_seed(char *path, size_t len)
{
	FILE *p = popen(HWIMS_BIN_DIR "/imsd --print-seed", "r");
	if (!p)
		return -1;
	json_error_t e;
	json_t *seed = json_loadf(p, 0, &e);
	pclose(p);
	if (!seed)
		return -1;
	json_t *img = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s}", "region",
	                        "cn-north-4", "id", EVIL_ID, "name", EVIL_NAME, "__description",
	                        EVIL_DESC, "__os_type", "Linux", "disk_format", "zvhd2",
	                        "virtual_env_type", "FusionCompute", "min_disk", 40, "__image_size",
	                        "1073741824", "created_at", "2026-01-10T08:00:00Z");
	json_array_append_new(json_object_get(seed, "images"), img);
	snprintf(path, len, "%s/seed.json", seed_dir);
	int rc = json_dump_file(seed, path, 0);
	json_decref(seed);
	return rc;
}

static int setup(void **state)
{
	char path[512];
	*state = NULL;
	if (access(HWIMS_BIN_DIR "/imsd", X_OK) != 0)
		return 0; /* env_or_skip says so */
	seed_dir = hwims_test_mkdtemp("hwims-cli-safety");
	if (!seed_dir || write_evil_seed(path, sizeof(path)) != 0)
		return -1;
	const char *extra[] = {"--seed", path, NULL};
	return cli_env_setup(state, extra);
}

static int teardown(void **state)
{
	cli_env_teardown(state);
	if (seed_dir)
		hwims_test_rmtree(seed_dir);
	free(seed_dir);
	seed_dir = NULL;
	return 0;
}

/* No byte of text may be one a terminal acts on: C0 controls (but the line ends), DEL, and the
 * UTF-8 form of C1 controls. */
static void expect_terminal_safe(const char *what, const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if ((*p < 0x20 && *p != '\n') || *p == 0x7F ||
		    (p[0] == 0xC2 && p[1] >= 0x80 && p[1] < 0xA0))
			fail_msg("%s holds raw byte 0x%02x at %zu: %s", what, *p,
			         (size_t)(p - (const unsigned char *)text), text);
	}
}

static const char *member(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static void esc_in_description_refused_before_any_request(void **state)
{
	cli_env *env = env_or_skip(state);
	const char *copy[] = {"copy", "--source-image-id", UBUNTU, "--name", "esc-copy", NULL};
	const char *update[] = {"update", "cn-north-4/" UBUNTU, NULL};
	const char *const *prefixes[] = {copy, update};
	const char *texts[] = {"title\033]0;pwned\007", "clear\033[2J",
	                       "csi\xc2\x9b"
	                       "2J"};
	for (size_t p = 0; p < 2; p++) {
		for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
			const char *more[] = {"--description", texts[i], NULL};
			long sent;
			run_result r = run_cli_counted(env, prefixes[p], more, &sent);
			if (r.status != 2 || sent != 0)
				fail_msg("%s, text %zu: exit %d after %ld requests: %s",
				         prefixes[p][0], i, r.status, sent, r.err);
			assert_non_null(strstr(r.err, "description"));
			assert_non_null(strstr(r.err, "control characters"));
			assert_non_null(strstr(r.err, "are not allowed"));
			expect_terminal_safe("stderr", r.err);
			run_free(&r);
		}
	}
	/* in JSON, the same refusal names the attribute */
	const char *more[] = {"--description", "x\033[2J", "--output", "json", NULL};
	long sent;
	run_result r = run_cli_counted(env, copy, more, &sent);
	expect_status(&r, 2);
	assert_int_equal(sent, 0);
	json_t *j = parse(&r);
	json_t *e = json_object_get(j, "error");
	assert_string_equal(member(e, "kind"), "usage");
	assert_string_equal(member(e, "attribute"), "description");
	assert_non_null(strstr(member(e, "message"), "U+001B"));
	json_decref(j);
	run_free(&r);
}

static void server_strings_shown_escaped(void **state)
{
	cli_env *env = env_or_skip(state);
	/* show: every attribute as a table row */
	const char *show[] = {"show", EVIL_ID, NULL};
	run_result r = run_cli(env, 0, 0, show);
	expect_status(&r, 0);
	expect_terminal_safe("show", r.out);
	assert_non_null(strstr(r.out, "evil\\x1b]0;pwned\\x07\\x1b[2J"));
	assert_non_null(strstr(r.out, "desc \\x1b[31mred\\u009b2J\\x7f \\\\x1b"));
	run_free(&r);
	/* list: the name column */
	const char *list[] = {"list", NULL};
	r = run_cli(env, 0, 0, list);
	expect_status(&r, 0);
	expect_terminal_safe("list", r.out);
	assert_non_null(strstr(r.out, "evil\\x1b]0;pwned\\x07\\x1b[2J"));
	run_free(&r);
	/* JSON keeps the values exactly, escaped the JSON way, and is terminal-safe too */
	const char *show_json[] = {"show", EVIL_ID, "--output", "json", NULL};
	r = run_cli(env, 0, 0, show_json);
	expect_status(&r, 0);
	expect_terminal_safe("show --output json", r.out);
	json_t *j = parse(&r);
	assert_string_equal(member(j, "name"), EVIL_NAME);
	assert_string_equal(member(j, "description"), EVIL_DESC);
	json_decref(j);
	run_free(&r);
	const char *list_json[] = {"list", "--output", "json", NULL};
	r = run_cli(env, 0, 0, list_json);
	expect_status(&r, 0);
	expect_terminal_safe("list --output json", r.out);
	j = parse(&r);
	int found = 0;
	for (size_t i = 0; i < json_array_size(j); i++)
		found += strcmp(member(json_array_get(j, i), "name"), EVIL_NAME) == 0;
	assert_int_equal(found, 1);
	json_decref(j);
	run_free(&r);
	/* an operand with controls, echoed in the error, is escaped too */
	const char *bad[] = {"show", "no such\033[2J", NULL};
	r = run_cli(env, 0, 0, bad);
	expect_status(&r, 2);
	expect_terminal_safe("stderr", r.err);
	assert_non_null(strstr(r.err, "\\x1b[2J"));
	run_free(&r);
}

/* n Chinese characters (3 bytes each in UTF-8, 9 once percent-encoded in a query). */
static char *chinese(size_t n, const char *ch)
{
	char *s = calloc(n * strlen(ch) + 1, 1);
	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		strcat(s, ch);
	return s;
}

static void chinese_128_character_name_end_to_end(void **state)
{
	cli_env *env = env_or_skip(state);
	char *name = chinese(128, "\xe9\x95\x9c");    /* 镜 */
	char *renamed = chinese(128, "\xe5\x83\x8f"); /* 像 */
	char *key = chinese(36, "\xe6\xa0\x87");      /* 标: the longest key IMS takes */
	char tag[512];
	snprintf(tag, sizeof(tag), "%s=\xe5\x80\xbc", key);
	const char *copy[] = {"copy", "--source-image-id", UBUNTU, "--name", name, "--tag",
	                      tag,    "--output",          "json", NULL};
	run_result r = run_cli(env, 0, 0, copy);
	expect_status(&r, 0);
	json_t *j = parse(&r);
	char id[64];
	snprintf(id, sizeof(id), "%s", member(j, "id"));
	assert_string_equal(member(j, "name"), name);
	assert_string_equal(member(json_object_get(j, "tags"), key), "\xe5\x80\xbc");
	json_decref(j);
	run_free(&r);
	/* the name as a query: exactly this copy */
	const char *list[] = {"list", "--name", name, "--output", "json", NULL};
	r = run_cli(env, 0, 0, list);
	expect_status(&r, 0);
	j = parse(&r);
	assert_int_equal(json_array_size(j), 1);
	assert_string_equal(member(json_array_get(j, 0), "id"), id);
	json_decref(j);
	run_free(&r);
	/* renamed in place to another 128-character name, seen by show */
	char where[128];
	snprintf(where, sizeof(where), "cn-north-4/%s", id);
	const char *update[] = {"update", where, "--name", renamed, "--output", "json", NULL};
	r = run_cli(env, 0, 0, update);
	expect_status(&r, 0);
	j = parse(&r);
	assert_string_equal(member(j, "name"), renamed);
	json_decref(j);
	run_free(&r);
	const char *show[] = {"show", where, NULL};
	r = run_cli(env, 0, 0, show);
	expect_status(&r, 0);
	assert_non_null(strstr(r.out, renamed));
	run_free(&r);
	const char *del[] = {"delete", where, NULL};
	r = run_cli(env, 0, 0, del);
	expect_status(&r, 0);
	run_free(&r);
	/* a tag key too long is judged whole: refused for its length, not cut into another key
	   (the CLI once cut it at 512 bytes, inside a character, and called it "not UTF-8") */
	char *long_key = chinese(200, "\xe6\xa0\x87");
	char *long_tag = calloc(strlen(long_key) + 3, 1);
	assert_non_null(long_tag);
	sprintf(long_tag, "%s=v", long_key);
	const char *too_long[] = {
	    "copy",   "--source-image-id", UBUNTU, "--name", "long-key", "--tag",
	    long_tag, "--output",          "json", NULL};
	r = run_cli(env, 0, 0, too_long);
	expect_status(&r, 2);
	j = parse(&r);
	const char *msg = member(json_object_get(j, "error"), "message");
	if (!strstr(msg, "is 200 characters long: at most 128"))
		fail_msg("message: %s", msg);
	json_decref(j);
	run_free(&r);
	free(long_tag);
	free(long_key);
	free(name);
	free(renamed);
	free(key);
}

/* stdout is exactly one JSON document (jansson refuses trailing text) with an "error" member
 * of kind (and, when given, code), a message and a request_id member (a string when the service
 * answered: with_request_id). Returns the document; caller decrefs. */
static json_t *expect_error_document(const run_result *r, int status, const char *kind,
                                     const char *code, int with_request_id)
{
	expect_status(r, status);
	json_t *j = parse(r);
	json_t *e = json_object_get(j, "error");
	if (!json_is_object(e))
		fail_msg("no error object in %s", r->out);
	if (strcmp(member(e, "kind") ? member(e, "kind") : "", kind) != 0)
		fail_msg("kind is not %s: %s", kind, r->out);
	assert_true(json_is_string(json_object_get(e, "code")));
	if (code)
		assert_string_equal(member(e, "code"), code);
	assert_true(json_is_string(json_object_get(e, "message")));
	assert_true(strlen(member(e, "message")) > 0);
	json_t *rid = json_object_get(e, "request_id");
	assert_non_null(rid); /* present, null or a string */
	if (with_request_id)
		assert_true(json_is_string(rid) && json_string_length(rid) > 0);
	else
		assert_true(json_is_null(rid) || json_is_string(rid));
	/* stderr says the same for people */
	assert_non_null(strstr(r->err, "hwims "));
	return j;
}

/* Run hwims with args (closed: against a closed port; interrupt_ms: SIGINT after it) and check
 * its error document as expect_error_document does. Returns the document; caller decrefs. */
static json_t *run_expecting_error(cli_env *env, int closed, int interrupt_ms,
                                   const char *const *args, int status, const char *kind,
                                   const char *code, int with_request_id)
{
	run_result r = run_cli(env, closed, interrupt_ms, args);
	json_t *j = expect_error_document(&r, status, kind, code, with_request_id);
	run_free(&r);
	return j;
}

static void json_output_is_one_document_on_every_error(void **state)
{
	cli_env *env = env_or_skip(state);
	json_t *j;
	/* the API refuses the copy (ISO source): what was left, and the error with its code */
	const char *refused[] = {"copy",
	                         "--source-image-id",
	                         "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c05",
	                         "--name",
	                         "json-iso",
	                         "--output",
	                         "json",
	                         NULL};
	j = run_expecting_error(env, 0, 0, refused, 1, "invalid", "IMG.0167", 1);
	assert_true(json_is_null(json_object_get(j, "job_id")));
	assert_true(json_is_null(json_object_get(j, "image_id")));
	json_decref(j);
	/* validation error: nothing sent, the attribute named */
	const char *invalid[] = {"copy",   "--source-image-id", UBUNTU, "--name",
	                         " space", "--output",          "json", NULL};
	j = run_expecting_error(env, 0, 0, invalid, 2, "usage", "", 0);
	assert_string_equal(member(json_object_get(j, "error"), "attribute"), "name");
	json_decref(j);
	/* usage errors once --output json was seen: an unknown flag, a missing operand */
	const char *flag[] = {"list", "--output", "json", "--bogus", NULL};
	json_decref(run_expecting_error(env, 0, 0, flag, 2, "usage", "", 0));
	const char *operand[] = {"show", "--output", "json", NULL};
	json_decref(run_expecting_error(env, 0, 0, operand, 2, "usage", "", 0));
	/* the image does not exist */
	const char *missing[] = {"show", "0b7c0c1e-0000-4000-8000-000000000000", "--output", "json",
	                         NULL};
	json_decref(run_expecting_error(env, 0, 0, missing, 1, "not_found", "", 0));
	/* connection refused */
	const char *list[] = {"list", "--output", "json", NULL};
	json_decref(run_expecting_error(env, 1, 0, list, 1, "network", "", 0));
	/* timeout against an endpoint that never answers */
	int fd;
	char ims[128], iam[128];
	int port = cli_silent_port(&fd);
	snprintf(ims, sizeof(ims), "ims=http://127.0.0.1:%d/{region}/", port);
	snprintf(iam, sizeof(iam), "iam=http://127.0.0.1:%d/iam/", port);
	const char *slow[] = {"list",      "--endpoint", ims,        "--endpoint", iam,
	                      "--timeout", "1s",         "--output", "json",       NULL};
	json_decref(run_expecting_error(env, 0, 0, slow, 3, "timeout", "", 0));
	close(fd);
	/* interrupted while the copy job runs: the job and image, and the error */
	const char *intr[] = {"copy",     "--source-image-id", LARGE,  "--name",
	                      "json-int", "--output",          "json", NULL};
	j = run_expecting_error(env, 0, 1500, intr, 130, "cancelled", "", 0);
	assert_true(json_is_string(json_object_get(j, "job_id")));
	json_decref(j);
	/* the job fails, waited for by `hwims job --wait` */
	const char *submit[] = {"copy",      "--source-image-id", UBUNTU, "--name", "json-fail",
	                        "--no-wait", "--output",          "json", NULL};
	run_result r = run_cli(env, 0, 0, submit);
	expect_status(&r, 0);
	j = parse(&r);
	char job[64];
	snprintf(job, sizeof(job), "%s", member(j, "job_id"));
	json_decref(j);
	run_free(&r);
	const char *wait[] = {"job", job, "--wait", "--output", "json", NULL};
	j = run_expecting_error(env, 0, 0, wait, 1, "job_failed", NULL, 0);
	assert_string_equal(member(j, "status"), "FAIL");
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(esc_in_description_refused_before_any_request),
	    cmocka_unit_test(server_strings_shown_escaped),
	    cmocka_unit_test(chinese_128_character_name_end_to_end),
	    cmocka_unit_test(json_output_is_one_document_on_every_error),
	};
	return cmocka_run_group_tests_name("cli_safety", tests, setup, teardown);
}
