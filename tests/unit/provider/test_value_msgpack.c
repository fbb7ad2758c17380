/* Unit tests for the cty msgpack codec (src/provider/msgpack.c), with byte vectors written
   from go-cty's cty/msgpack rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prov_value.h"

static prov_type *obj_type(void)
{
	const char *names[] = {"name", "size", "tags"};
	prov_type *types[] = {&prov_type_string, &prov_type_number,
	                      prov_type_collection(PROV_T_MAP, &prov_type_string)};
	return prov_type_object(3, names, types);
}

/* Encode v against t and compare with the expected bytes. */
static void expect_bytes(const prov_value *v, const prov_type *t, const char *hex)
{
	hwims_buf b = HWIMS_BUF_INIT;
	hwims_error err;
	assert_int_equal(prov_value_to_msgpack(v, t, &b, &err), 0);
	char got[1024] = "";
	for (size_t i = 0; i < b.len && i < 500; i++)
		snprintf(got + 2 * i, 3, "%02x", (unsigned char)b.data[i]);
	assert_string_equal(got, hex);
	hwims_buf_free(&b);
}

static size_t unhex(const char *hex, unsigned char *out)
{
	size_t n = strlen(hex) / 2;
	for (size_t i = 0; i < n; i++) {
		unsigned x;
		sscanf(hex + 2 * i, "%2x", &x);
		out[i] = (unsigned char)x;
	}
	return n;
}

static prov_value *decode_hex(const prov_type *t, const char *hex, hwims_error *err)
{
	unsigned char buf[512];
	size_t n = unhex(hex, buf);
	prov_value *v = NULL;
	if (prov_value_from_msgpack(t, buf, n, &v, err) != 0)
		return NULL;
	return v;
}

/* Decoding hex and re-encoding gives the same bytes (go-cty's canonical form). */
static void roundtrip(const prov_type *t, const char *hex)
{
	hwims_error err;
	prov_value *v = decode_hex(t, hex, &err);
	if (!v)
		fail_msg("decoding %s: %s", hex, err.message);
	expect_bytes(v, t, hex);
	prov_value_free(v);
}

static void null_and_unknown(void **state)
{
	(void)state;
	prov_value *n = prov_value_null(&prov_type_string);
	expect_bytes(n, &prov_type_string, "c0");
	prov_value_free(n);
	prov_value *u = prov_value_unknown(&prov_type_number);
	expect_bytes(u, &prov_type_number, "d40000");
	prov_value_free(u);
	roundtrip(&prov_type_string, "c0");
	roundtrip(&prov_type_string, "d40000");
	/* any ext with a payload of at most one byte is an unknown */
	hwims_error err;
	prov_value *v = decode_hex(&prov_type_bool, "c70000", &err);
	assert_non_null(v);
	assert_int_equal(v->state, PROV_UNKNOWN);
	prov_value_free(v);
}

static void refined_unknown_round_trips(void **state)
{
	(void)state;
	/* ext 12, payload {1: false, 2: "ab"}: not null, string prefix "ab" */
	roundtrip(&prov_type_string, "c7070c8201c202a26162");
	hwims_error err;
	prov_value *v = decode_hex(&prov_type_string, "c7070c8201c202a26162", &err);
	assert_non_null(v);
	assert_int_equal(v->state, PROV_UNKNOWN);
	assert_int_equal(v->refinement_len, 7);
	prov_value_free(v);
	/* a long ext of another type is an error, as is a refinement that is not a map */
	assert_null(decode_hex(&prov_type_string, "d5050102", &err));
	assert_int_equal(err.kind, HWIMS_ERR_INVALID);
	assert_null(decode_hex(&prov_type_string, "d50c0102", &err));
}

static void numbers_follow_go_cty(void **state)
{
	(void)state;
	struct {
		const char *literal;
		const char *hex;
	} cases[] = {
	    {"0", "00"},
	    {"1", "01"},
	    {"127", "7f"},
	    {"128", "cc80"},
	    {"200", "ccc8"},
	    {"65535", "cdffff"},
	    {"65536", "ce00010000"},
	    {"4294967296", "cf0000000100000000"},
	    {"-1", "ff"},
	    {"-32", "e0"},
	    {"-33", "d0df"},
	    {"-200", "d1ff38"},
	    {"9223372036854775807", "cf7fffffffffffffff"},
	    {"-9223372036854775808", "d38000000000000000"},
	    /* exactly representable non-integers: float64 */
	    {"0.5", "cb3fe0000000000000"},
	    {"-2.25", "cbc002000000000000"},
	    /* integers beyond int64 that a float64 holds exactly: float64 */
	    {"18446744073709551616", "cb43f0000000000000"},
	    {"1e20", "cb4415af1d78b58c40"},
	    /* not exact in float64: the decimal text */
	    {"0.1", "a3302e31"},
	    {"18446744073709551615", "b43138343436373434303733373039353531363135"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		prov_number n;
		assert_int_equal(prov_number_parse(cases[i].literal, strlen(cases[i].literal), &n),
		                 0);
		prov_value *v = prov_value_number(&n);
		expect_bytes(v, &prov_type_number, cases[i].hex);
		prov_value_free(v);
		roundtrip(&prov_type_number, cases[i].hex);
	}
}

static void numbers_decode_from_any_form(void **state)
{
	(void)state;
	hwims_error err;
	/* uint8 form of 5, int16 form of 5, float32 5.0, string "5": all the number 5 */
	const char *forms[] = {"cc05", "d10005", "ca40a00000", "a135", "cb4014000000000000"};
	prov_value *five = prov_value_int(5);
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		prov_value *v = decode_hex(&prov_type_number, forms[i], &err);
		assert_non_null(v);
		assert_true(prov_value_equal(v, five));
		expect_bytes(v, &prov_type_number, "05");
		prov_value_free(v);
	}
	prov_value_free(five);
	assert_null(decode_hex(&prov_type_number, "a3616263", &err)); /* "abc" */
	assert_null(decode_hex(&prov_type_number, "c3", &err));
}

static void strings_and_bools(void **state)
{
	(void)state;
	roundtrip(&prov_type_string, "a0");
	roundtrip(&prov_type_string, "a568656c6c6f");
	roundtrip(&prov_type_bool, "c3");
	roundtrip(&prov_type_bool, "c2");
	/* 32 bytes: str8 */
	char s[33];
	memset(s, 'x', 32);
	s[32] = '\0';
	prov_value *v = prov_value_string(s);
	hwims_buf b = HWIMS_BUF_INIT;
	hwims_error err;
	assert_int_equal(prov_value_to_msgpack(v, &prov_type_string, &b, &err), 0);
	assert_int_equal((unsigned char)b.data[0], 0xd9);
	assert_int_equal((unsigned char)b.data[1], 32);
	hwims_buf_free(&b);
	prov_value_free(v);
	/* bin is accepted for strings */
	v = decode_hex(&prov_type_string, "c4026869", &err);
	assert_string_equal(prov_value_str(v), "hi");
	prov_value_free(v);
	assert_null(decode_hex(&prov_type_string, "01", &err));
}

static void collections(void **state)
{
	(void)state;
	prov_type *list = prov_type_collection(PROV_T_LIST, &prov_type_string);
	prov_type *set = prov_type_collection(PROV_T_SET, &prov_type_string);
	prov_type *map = prov_type_collection(PROV_T_MAP, &prov_type_number);
	roundtrip(list, "92a161a162");
	roundtrip(list, "90");
	/* map keys come out sorted */
	hwims_error err;
	prov_value *m = decode_hex(map, "82a17a01a16102", &err);
	assert_non_null(m);
	expect_bytes(m, map, "82a16102a17a01");
	prov_value_free(m);
	/* sets: duplicates collapse, elements come out in order */
	prov_value *s = decode_hex(set, "93a162a161a162", &err);
	assert_non_null(s);
	assert_int_equal(s->u.coll.n, 2);
	expect_bytes(s, set, "92a161a162");
	prov_value_free(s);
	assert_null(decode_hex(list, "a161", &err));
	assert_null(decode_hex(map, "8101a161", &err)); /* non-string key */
	prov_type_unref(list);
	prov_type_unref(set);
	prov_type_unref(map);
}

static void objects_need_every_attribute(void **state)
{
	(void)state;
	prov_type *t = obj_type();
	hwims_error err;
	/* {"name":"a","size":1,"tags":nil} */
	roundtrip(t, "83a46e616d65a161a473697a6501a474616773c0");
	/* key order on input is free */
	prov_value *v = decode_hex(t, "83a474616773c0a473697a6501a46e616d65a161", &err);
	assert_non_null(v);
	assert_string_equal(prov_value_str(prov_value_attr(v, "name")), "a");
	expect_bytes(v, t, "83a46e616d65a161a473697a6501a474616773c0");
	prov_value_free(v);
	/* a missing attribute is an error, as go-cty reports it */
	assert_null(decode_hex(t, "82a46e616d65a161a473697a6501", &err));
	assert_non_null(strstr(err.message, "an object with 3 attributes is required (2 given)"));
	/* an unknown attribute too */
	assert_null(decode_hex(t, "83a46e616d65a161a473697a6501a3626164c0", &err));
	assert_non_null(strstr(err.message, "unsupported attribute \"bad\""));
	/* a wrong type names the path */
	assert_null(decode_hex(t, "83a46e616d6501a473697a6501a474616773c0", &err));
	assert_non_null(strstr(err.message, ".name"));
	prov_type_unref(t);
}

static void dynamic_values_carry_their_type(void **state)
{
	(void)state;
	/* ["string" as bin, "hi"] */
	roundtrip(&prov_type_dynamic, "92c40822737472696e6722a26869");
	hwims_error err;
	prov_value *v = decode_hex(&prov_type_dynamic, "92c408226e756d62657222cc80", &err);
	assert_non_null(v);
	assert_int_equal(v->type->kind, PROV_T_NUMBER);
	prov_value_free(v);
	/* null and unknown of dynamic type are bare */
	roundtrip(&prov_type_dynamic, "c0");
	roundtrip(&prov_type_dynamic, "d40000");
	assert_null(decode_hex(&prov_type_dynamic, "a26869", &err));
}

static void malformed_input_is_refused(void **state)
{
	(void)state;
	hwims_error err;
	prov_type *list = prov_type_collection(PROV_T_LIST, &prov_type_string);
	assert_null(decode_hex(list, "dd7fffffff", &err)); /* array32 claiming 2^31 elements */
	assert_null(decode_hex(list, "92a161", &err));     /* truncated */
	assert_null(decode_hex(&prov_type_string, "a161a162", &err)); /* trailing data */
	assert_null(decode_hex(&prov_type_string, "", &err));
	assert_null(decode_hex(&prov_type_string, "c1", &err));
	prov_type_unref(list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(null_and_unknown),
	    cmocka_unit_test(refined_unknown_round_trips),
	    cmocka_unit_test(numbers_follow_go_cty),
	    cmocka_unit_test(numbers_decode_from_any_form),
	    cmocka_unit_test(strings_and_bools),
	    cmocka_unit_test(collections),
	    cmocka_unit_test(objects_need_every_attribute),
	    cmocka_unit_test(dynamic_values_carry_their_type),
	    cmocka_unit_test(malformed_input_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
