/* imsd end to end: every query parameter of GET /v2/cloudimages that the data sources and the
 * CLI send, checked against the default seed, and paging with marker/limit in every order. */
#include "itest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The default seed's cn-north-4: 6 private, 10 public (gold) and 1 shared image. */
#define NORTH4_ALL 17
#define SE1        "ap-southeast-1"

/* Images answered for "/<region>/v2/cloudimages?<query>", or minus the HTTP status when it is
 * not 200 (the error code then in code, when given). */
static int count(itest *t, const char *region, const char *query, char *code, size_t code_len)
{
	char path[1024];
	snprintf(path, sizeof(path), "/%s/v2/cloudimages?%s", region, query);
	itest_reply r = itest_call(t, "GET", path, NULL);
	int n =
	    r.status == 200 ? (int)json_array_size(json_object_get(r.json, "images")) : -r.status;
	if (code)
		snprintf(code, code_len, "%s", itest_error_code(&r));
	itest_reply_free(&r);
	return n;
}

static void expect_count(itest *t, const char *query, int want)
{
	int got = count(t, NORTH4, query, NULL, 0);
	if (got != want)
		fail_msg("?%s: %d images, want %d", query, got, want);
}

static void expect_refused(itest *t, const char *query, const char *want_code)
{
	char code[64];
	int got = count(t, NORTH4, query, code, sizeof(code));
	if (got != -400 || strcmp(code, want_code) != 0)
		fail_msg("?%s: %d %s, want 400 %s", query, got, code, want_code);
}

static void test_each_filter(void **state)
{
	static const struct {
		const char *query;
		int want;
	} cases[] = {
	    {"", NORTH4_ALL},
	    {"id=" IMG_UBUNTU, 1},
	    {"id=00000000-0000-4000-8000-000000000000", 0},
	    {"name=ubuntu-2204-golden", 1},
	    {"name=Ubuntu%2022.04%20server%2064bit", 1},
	    {"__imagetype=gold", 10},
	    {"__imagetype=private", 6},
	    {"__imagetype=shared", 1},
	    {"__imagetype=market", 0},
	    {"visibility=public", 10},
	    {"visibility=private", 6},
	    {"visibility=shared", 1},
	    {"owner=" NORTH4_PID, 6},
	    {"status=active", NORTH4_ALL},
	    {"status=saving", 0},
	    {"__os_type=Windows", 1},
	    {"__os_type=Linux", 15},
	    {"__os_type=Other", 1},
	    {"__platform=CentOS", 5},
	    {"__platform=Oracle%20Linux", 0},
	    {"__os_version=CentOS%207.9%2064bit", 4},
	    {"__os_bit=64", NORTH4_ALL},
	    {"__os_bit=32", 0},
	    {"__support_kvm=true", 14},
	    {"__support_kvm=false", 3},
	    {"__support_arm=true", 2},
	    {"__support_highperformance=true", 1},
	    {"__support_agent_list=hss", 1},
	    {"architecture=arm", 2},
	    {"architecture=x86", 15},
	    {"protected=true", 10},
	    {"protected=false", 7},
	    {"__whole_image=true", 1},
	    {"__whole_image=false", 16},
	    {"virtual_env_type=Ironic", 1},
	    {"virtual_env_type=IsoImage", 2},
	    {"virtual_env_type=DataImage", 1},
	    {"virtual_env_type=FusionCompute", 13},
	    {"disk_format=iso", 2},
	    {"container_format=bare", NORTH4_ALL},
	    {"min_ram=2048", 2},
	    {"min_disk=200", 1},
	    {"__system__cmkid=7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d01", 1},
	    {"__isregistered=true", NORTH4_ALL},
	    {"enterprise_project_id=0", NORTH4_ALL},
	    {"enterprise_project_id=all_granted_eps", NORTH4_ALL},
	    {"enterprise_project_id=9d4b3e5f-6a7c-4d8e-9f0a-1b2c3d4e5f01", 0},
	    {"flavor_id=s6.large.2", 6},
	    {"flavor_id=s6.small.1", 5},
	    {"flavor_id=kc1.large.2", 2},
	    {"visibility=shared&member_status=accepted", 1},
	    {"visibility=shared&member_status=pending", 0},
	    {"created_at=gt:2026-01-01T00:00:00Z", 6},
	    {"created_at=lt:2025-01-01%2000:00:00", 1},
	    {"created_at=eq:2026-01-10T08:00:00Z", 1},
	    {"created_at=neq:2026-01-10T08:00:00Z", NORTH4_ALL - 1},
	    {"updated_at=gte:2025-10-02T00:25:00Z", 8},
	    {"updated_at=lte:2024-03-01T00:10:00Z", 1},
	    /* what the data sources send together */
	    {"status=active&enterprise_project_id=all_granted_eps&__imagetype=gold&__platform="
	     "Ubuntu&"
	     "architecture=x86&virtual_env_type=FusionCompute&sort_key=name&sort_dir=asc",
	     2},
	    /* a repeated parameter replaces the earlier one */
	    {"__platform=Windows&__platform=Debian", 2},
	    {"limit=1000", NORTH4_ALL},
	    {"unknown_parameter=1", NORTH4_ALL},
	};
	itest *t = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_count(t, cases[i].query, cases[i].want);
	/* Same name in another region: the query is per region. */
	assert_int_equal(count(t, SOUTH1, "name=Ubuntu%2022.04%20server%2064bit", NULL, 0), 1);
}

static void test_bad_values(void **state)
{
	static const struct {
		const char *query, *code;
	} cases[] = {
	    {"__imagetype=bogus", "IMG.0024"},
	    {"visibility=everyone", "IMG.0001"},
	    {"status=gone", "IMG.0001"},
	    {"__os_type=BeOS", "IMG.0001"},
	    {"__platform=Plan9", "IMG.0001"},
	    {"__os_bit=16", "IMG.0001"},
	    {"__support_kvm=yes", "IMG.0001"},
	    {"architecture=mips", "IMG.0001"},
	    {"protected=1", "IMG.0001"},
	    {"__whole_image=maybe", "IMG.0001"},
	    {"virtual_env_type=Xen", "IMG.0001"},
	    {"disk_format=vmdk", "IMG.0001"},
	    {"min_ram=-1", "IMG.0001"},
	    {"min_disk=ten", "IMG.0001"},
	    {"flavor_id=no.such.flavor", "IMG.0001"},
	    {"member_status=accepted", "IMG.0001"},
	    {"visibility=shared&member_status=maybe", "IMG.0001"},
	    {"created_at=yesterday", "IMG.0001"},
	    {"created_at=after:2026-01-01T00:00:00Z", "IMG.0001"},
	    {"created_at=gt:2026-13-01T00:00:00Z", "IMG.0001"},
	    {"created_at=gt:2026-01-01T00:00:00", "IMG.0001"},
	    {"sort_key=owner", "IMG.0001"},
	    {"sort_dir=up", "IMG.0001"},
	    {"limit=0", "IMG.0001"},
	    {"limit=1001", "IMG.0001"},
	    {"limit=abc", "IMG.0001"},
	    {"tag=", "IMG.0001"},
	    {"marker=00000000-0000-4000-8000-000000000000", "IMG.0001"},
	    {"marker=" IMG_DEBIAN, "IMG.0001"}, /* an image of cn-south-1 */
	};
	itest *t = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_refused(t, cases[i].query, cases[i].code);
}

static void test_tag_filter(void **state)
{
	itest *t = *state;
	itest_reply r = itest_call(
	    t, "POST", "/cn-north-4/v2/" NORTH4_PID "/images/" IMG_FULL "/tags/action",
	    "{\"action\":\"create\",\"tags\":[{\"key\":\"tier\",\"value\":\"web.v2\"}]}");
	assert_int_equal(r.status, 204);
	itest_reply_free(&r);
	/* key.value, the value may hold dots: the key ends at the first one */
	expect_count(t, "tag=tier.web.v2", 1);
	expect_count(t, "tag=tier.web", 0);
	expect_count(t, "tag=other.web.v2", 0);
	expect_count(t, "tag=tier.web.v2&__whole_image=true", 1);
}

/* Every page of the query (limit per page) in order: the IDs, names, sizes as one array of
 * image objects (caller decrefs). */
static json_t *all_pages(itest *t, const char *region, const char *query, int limit, int *pages)
{
	json_t *all = json_array();
	char path[1024], marker[64] = "";

	for (*pages = 0; *pages < 1000; (*pages)++) {
		snprintf(path, sizeof(path), "/%s/v2/cloudimages?%s%slimit=%d%s%s", region, query,
		         *query ? "&" : "", limit, marker[0] ? "&marker=" : "", marker);
		itest_reply r = itest_call(t, "GET", path, NULL);
		assert_int_equal(r.status, 200);
		json_t *images = json_object_get(r.json, "images");
		size_t n = json_array_size(images);
		assert_true(n <= (size_t)limit);
		json_array_extend(all, images);
		if (n > 0)
			snprintf(marker, sizeof(marker), "%s",
			         itest_str(json_array_get(images, n - 1), "id"));
		itest_reply_free(&r);
		if (n == 0)
			break;
	}
	return all;
}

static void expect_unique(json_t *images, size_t want)
{
	size_t i, j;
	json_t *a, *b;

	assert_int_equal(json_array_size(images), want);
	json_array_foreach(images, i, a)
	{
		json_array_foreach(images, j, b)
		{
			if (j > i && strcmp(itest_str(a, "id"), itest_str(b, "id")) == 0)
				fail_msg("image %s seen twice", itest_str(a, "id"));
		}
	}
}

/* Each image's member key is in order (asc or desc) from one to the next. */
static void expect_sorted(json_t *images, const char *key, int asc)
{
	for (size_t i = 1; i < json_array_size(images); i++) {
		json_t *a = json_object_get(json_array_get(images, i - 1), key);
		json_t *b = json_object_get(json_array_get(images, i), key);
		int c = json_is_string(a) ? strcmp(json_string_value(a), json_string_value(b))
		                          : (json_integer_value(a) > json_integer_value(b)) -
		                                (json_integer_value(a) < json_integer_value(b));
		if (asc ? c > 0 : c < 0)
			fail_msg("%s not in %s order at %zu", key, asc ? "ascending" : "descending",
			         i);
	}
}

static void test_paging(void **state)
{
	itest *t = *state;
	int pages;

	/* The default page (500) does not hold ap-southeast-1's 520 private images. */
	assert_int_equal(count(t, SE1, "__imagetype=private", NULL, 0), 500);
	json_t *all = all_pages(t, SE1, "__imagetype=private", 500, &pages);
	expect_unique(all, 520);
	assert_int_equal(pages, 2);
	/* Newest first by default: the last of the series comes first. */
	assert_string_equal(itest_str(json_array_get(all, 0), "name"), "nightly-backup-0519");
	json_decref(all);

	all = all_pages(t, SE1, "sort_key=name&sort_dir=asc", 97, &pages);
	expect_unique(all, 520);
	expect_sorted(all, "name", 1);
	json_decref(all);

	/* Ties (many equal sizes) are broken the same way on every page. */
	all = all_pages(t, NORTH4, "sort_key=size&sort_dir=desc", 4, &pages);
	expect_unique(all, NORTH4_ALL);
	json_decref(all);
	all = all_pages(t, NORTH4, "sort_key=disk_format&sort_dir=asc", 3, &pages);
	expect_unique(all, NORTH4_ALL);
	expect_sorted(all, "disk_format", 1);
	json_decref(all);
	all = all_pages(t, NORTH4, "sort_key=name&sort_dir=desc&__imagetype=gold", 3, &pages);
	expect_unique(all, 10);
	expect_sorted(all, "name", 0);
	json_decref(all);
	all = all_pages(t, NORTH4, "sort_key=created_at&sort_dir=asc", 5, &pages);
	expect_unique(all, NORTH4_ALL);
	json_decref(all);
	all = all_pages(t, NORTH4, "sort_key=id&sort_dir=asc&container_format=bare", 6, &pages);
	expect_unique(all, NORTH4_ALL);
	expect_sorted(all, "id", 1);
	json_decref(all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_each_filter),
	    cmocka_unit_test(test_bad_values),
	    cmocka_unit_test(test_tag_filter),
	    cmocka_unit_test(test_paging),
	};
	return cmocka_run_group_tests(tests, itest_group_setup, itest_group_teardown);
}
