/* validate.c - the resource's input rules, checked before any request (see
 * hwims_copy_spec_validate in include/hwims/image_copy.h). */
#include "hwims/config.h"
#include "hwims/image_copy.h"

#include <stdio.h>
#include <string.h>

#define NAME_MAX_CHARS        128
#define DESCRIPTION_MAX_CHARS 1024
#define RAM_MAX_MB            HWIMS_RAM_MAX_MB
#define TAGS_MAX              20
#define TAG_KEY_MAX_CHARS     128
#define TAG_VALUE_MAX_CHARS   255
/* The limits every IMS API page states (the largest ones above are documented elsewhere): a
 * copy whose tags pass the ones above but not these may be refused its tags after it exists. */
#define TAGS_SAFE            10
#define TAG_KEY_SAFE_CHARS   36
#define TAG_VALUE_SAFE_CHARS 43

/* Decode one UTF-8 code point at *p, advancing *p. Returns -1 on malformed input. */
static long next_cp(const unsigned char **p)
{
	const unsigned char *s = *p;
	long cp;
	int extra;
	if (s[0] < 0x80) {
		cp = s[0];
		extra = 0;
	} else if ((s[0] & 0xE0) == 0xC0) {
		cp = s[0] & 0x1F;
		extra = 1;
	} else if ((s[0] & 0xF0) == 0xE0) {
		cp = s[0] & 0x0F;
		extra = 2;
	} else if ((s[0] & 0xF8) == 0xF0) {
		cp = s[0] & 0x07;
		extra = 3;
	} else {
		return -1;
	}
	for (int i = 1; i <= extra; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	/* reject overlong forms and surrogates */
	if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) ||
	    (extra == 3 && cp < 0x10000) || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		return -1;
	*p = s + extra + 1;
	return cp;
}

static int is_cjk(long cp)
{
	return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF);
}

static int is_alnum_ascii(long cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
}

/* Characters of s, or -1 when s is not UTF-8 or holds a character outside the allowed set
 * (allowed: ASCII letters/digits, CJK, and the bytes of extra). *bad receives the offender. */
static long count_chars(const char *s, const char *extra, int allow_any, long *bad)
{
	const unsigned char *p = (const unsigned char *)s;
	long n = 0;
	*bad = -1;
	while (*p) {
		long cp = next_cp(&p);
		if (cp < 0)
			return -1;
		if (!allow_any && !is_alnum_ascii(cp) && !is_cjk(cp) &&
		    !(cp < 0x80 && cp != 0 && strchr(extra, (int)cp))) {
			*bad = cp;
			return -1;
		}
		n++;
	}
	return n;
}

/* The first C0 control, DEL or C1 control of the UTF-8 text s, or -1 when it has none (or is not
 * UTF-8, which the caller has ruled out). */
static long first_control(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		long cp = next_cp(&p);
		if (cp < 0)
			return -1;
		if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
			return cp;
	}
	return -1;
}

static int bad_char(hwims_error *err, const char *attr, const char *what, long cp,
                    const char *allowed)
{
	if (cp < 0)
		return hwims_error_set_attr(err, attr, "%s is not valid UTF-8", what);
	if (cp >= 0x20 && cp < 0x7F)
		return hwims_error_set_attr(err, attr, "%s contains '%c': only %s are allowed",
		                            what, (int)cp, allowed);
	return hwims_error_set_attr(err, attr, "%s contains character U+%04lX: only %s are allowed",
	                            what, cp, allowed);
}

static int check_name(const char *name, hwims_error *err)
{
	static const char allowed[] =
	    "letters (Chinese included), digits, underscores (_), hyphens (-), dots (.) and spaces";
	if (!name || !*name)
		return hwims_error_set_attr(err, "name", "name is required (1 to 128 characters)");
	long bad;
	long n = count_chars(name, "_-. ", 0, &bad);
	if (n < 0)
		return bad_char(err, "name", "name", bad, allowed);
	if (n > NAME_MAX_CHARS)
		return hwims_error_set_attr(err, "name",
		                            "name is %ld characters long: at most %d are allowed",
		                            n, NAME_MAX_CHARS);
	if (name[0] == ' ' || name[strlen(name) - 1] == ' ')
		return hwims_error_set_attr(err, "name", "name must not start or end with a space");
	return 0;
}

static int check_description(const char *d, hwims_error *err)
{
	if (!d)
		return 0;
	long bad;
	long n = count_chars(d, "", 1, &bad);
	if (n < 0)
		return hwims_error_set_attr(err, "description", "description is not valid UTF-8");
	if (n > DESCRIPTION_MAX_CHARS)
		return hwims_error_set_attr(
		    err, "description",
		    "description is %ld characters long: at most %d are allowed", n,
		    DESCRIPTION_MAX_CHARS);
	if (strpbrk(d, "\r\n<>"))
		return hwims_error_set_attr(err, "description",
		                            "description must not contain line breaks, '<' or '>'");
	/* IMS takes printable text here (letters, digits, Chinese, punctuation) and already refuses
	 * carriage returns. A control character is not text: ESC or CSI in a description would
	 * drive the terminal of everyone who later shows the image. */
	long cp = first_control(d);
	if (cp >= 0)
		return hwims_error_set_attr(
		    err, "description",
		    "description contains control character U+%04lX: control "
		    "characters (U+0000-U+001F, U+007F-U+009F) are not allowed",
		    cp);
	return 0;
}

static int check_ram(const hwims_copy_spec *s, hwims_error *err)
{
	if (s->has_min_ram && (s->min_ram < 0 || s->min_ram > RAM_MAX_MB))
		return hwims_error_set_attr(err, "min_ram",
		                            "min_ram is %lld MB: it must be between 0 and %d",
		                            (long long)s->min_ram, RAM_MAX_MB);
	if (s->has_max_ram && (s->max_ram < 0 || s->max_ram > RAM_MAX_MB))
		return hwims_error_set_attr(err, "max_ram",
		                            "max_ram is %lld MB: it must be between 0 and %d",
		                            (long long)s->max_ram, RAM_MAX_MB);
	/* max_ram 0 means "no upper bound" on the API */
	if (s->has_min_ram && s->has_max_ram && s->max_ram > 0 && s->min_ram > s->max_ram)
		return hwims_error_set_attr(
		    err, "min_ram", "min_ram (%lld MB) must not be greater than max_ram (%lld MB)",
		    (long long)s->min_ram, (long long)s->max_ram);
	return 0;
}

/* Bytes of text to quote in a message: at most max whole characters, and none from the first one
 * that is not UTF-8 or is a control character on. A quote cut by bytes could end inside a
 * Chinese character, making the message itself invalid UTF-8, and a control character quoted
 * would reach the terminal that shows the message. */
static int quotable(const char *text, long max)
{
	const unsigned char *p = (const unsigned char *)text;
	for (long n = 0; *p && n < max; n++) {
		const unsigned char *q = p;
		long cp = next_cp(&q);
		if (cp < 0 || cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
			break;
		p = q;
	}
	return (int)(p - (const unsigned char *)text);
}

static int check_tag_part(const char *text, int is_value, hwims_error *err)
{
	static const char key_allowed[] =
	    "letters (Chinese included), digits, spaces and the characters _ . : + - @";
	static const char value_allowed[] =
	    "letters (Chinese included), digits, spaces and the characters _ . : + - @ /";
	const char *what = is_value ? "tag value" : "tag key";
	long bad;
	long n = count_chars(text, is_value ? "_.:+-@/ " : "_.:+-@ ", 0, &bad);
	if (n < 0) {
		char label[400]; /* 64 characters of at most 4 bytes, and the words */
		snprintf(label, sizeof(label), "%s \"%.*s\"", what, quotable(text, 64), text);
		return bad_char(err, "tags", label, bad, is_value ? value_allowed : key_allowed);
	}
	long max = is_value ? TAG_VALUE_MAX_CHARS : TAG_KEY_MAX_CHARS;
	if (!is_value && n == 0)
		return hwims_error_set_attr(err, "tags", "tag key must not be empty");
	if (n > max)
		return hwims_error_set_attr(
		    err, "tags",
		    "%s \"%.*s...\" is %ld characters long: at most %ld are "
		    "allowed",
		    what, quotable(text, 32), text, n, max);
	if (n > 0 && (text[0] == ' ' || text[strlen(text) - 1] == ' '))
		return hwims_error_set_attr(err, "tags",
		                            "%s \"%.*s\" must not start or end with a space", what,
		                            quotable(text, 64), text);
	return 0;
}

static int check_tags(const hwims_tags *t, hwims_error *err)
{
	if (t->count > TAGS_MAX)
		return hwims_error_set_attr(err, "tags", "%zu tags given: at most %d are allowed",
		                            t->count, TAGS_MAX);
	for (size_t i = 0; i < t->count; i++) {
		if (check_tag_part(t->items[i].key, 0, err) != 0 ||
		    check_tag_part(t->items[i].value, 1, err) != 0)
			return -1;
	}
	return 0;
}

static int set(const char *s)
{
	return s && *s;
}

/* The rules; making: 1 to add those that only matter when a copy is made. */
static int validate(const hwims_copy_spec *spec, const char *default_region, int making,
                    hwims_error *err)
{
	if (!set(spec->source_image_id))
		return hwims_error_set_attr(err, "source_image_id", "source_image_id is required");
	if (check_name(spec->name, err) != 0 || check_description(spec->description, err) != 0)
		return -1;
	/* Region names become host names: checked before anything uses them. */
	if (set(spec->region) && !hwims_region_name_valid(spec->region))
		return hwims_error_set_attr(err, "region",
		                            "invalid region: a region name has only lower-case "
		                            "letters, digits and '-' (such as cn-north-4)");
	if (set(spec->target_region) && !hwims_region_name_valid(spec->target_region))
		return hwims_error_set_attr(
		    err, "target_region",
		    "invalid target_region: a region name has only "
		    "lower-case letters, digits and '-' (such as cn-south-1)");
	int cross = hwims_copy_spec_is_cross_region(spec, default_region);
	if (set(spec->target_region) && !set(spec->region) && !set(default_region))
		return hwims_error_set_attr(
		    err, "region",
		    "no region: set region (or HW_REGION_NAME) to know where the "
		    "source image lives");
	if (cross) {
		if (set(spec->kms_key_id))
			return hwims_error_set_attr(
			    err, "kms_key_id",
			    "kms_key_id is only supported for copies within a "
			    "region, not with target_region \"%s\"",
			    spec->target_region);
		if (set(spec->enterprise_project_id))
			return hwims_error_set_attr(
			    err, "enterprise_project_id",
			    "enterprise_project_id is only supported for copies "
			    "within a region, not with target_region \"%s\"",
			    spec->target_region);
		if (making && !set(spec->agency_name))
			return hwims_error_set_attr(
			    err, "agency_name",
			    "agency_name is required to copy to another region "
			    "(target_region \"%s\")",
			    spec->target_region);
	} else {
		if (set(spec->vault_id) && set(spec->target_region))
			return hwims_error_set_attr(
			    err, "vault_id",
			    "vault_id is only used for copies to another region: target_region "
			    "\"%s\" is the source image's region",
			    spec->target_region);
		if (set(spec->vault_id))
			return hwims_error_set_attr(
			    err, "vault_id",
			    "vault_id is only used for copies to another region: set "
			    "target_region to the region to copy to");
	}
	if (check_ram(spec, err) != 0)
		return -1;
	return check_tags(&spec->tags, err);
}

int hwims_copy_spec_validate(const hwims_copy_spec *spec, const char *default_region,
                             hwims_error *err)
{
	return validate(spec, default_region, 1, err);
}

int hwims_copy_spec_validate_arguments(const hwims_copy_spec *spec, const char *default_region,
                                       hwims_error *err)
{
	return validate(spec, default_region, 0, err);
}

int hwims_copy_spec_caution(const hwims_copy_spec *spec, hwims_error *warn)
{
	const hwims_tags *t = &spec->tags;
	hwims_error_clear(warn);
	if (t->count > TAGS_SAFE) {
		hwims_error_set_attr(
		    warn, "tags",
		    "%zu tags given: the IMS API documents at most %d per image; the "
		    "copy may be made and then refused its tags (and be tainted)",
		    t->count, TAGS_SAFE);
		return 1;
	}
	for (size_t i = 0; i < t->count; i++) {
		long bad;
		long k = count_chars(t->items[i].key, NULL, 1, &bad);
		long v = count_chars(t->items[i].value, NULL, 1, &bad);
		if (k <= TAG_KEY_SAFE_CHARS && v <= TAG_VALUE_SAFE_CHARS)
			continue;
		int key = k > TAG_KEY_SAFE_CHARS;
		hwims_error_set(
		    warn, HWIMS_ERR_USAGE,
		    "tag %s \"%.*s%s\" is %ld characters long: the IMS API documents at "
		    "most %d; the copy may be made and then refused its tags (and be "
		    "tainted)",
		    key ? "key" : "value", quotable(key ? t->items[i].key : t->items[i].value, 32),
		    key ? t->items[i].key : t->items[i].value, (key ? k : v) > 32 ? "..." : "",
		    key ? k : v, key ? TAG_KEY_SAFE_CHARS : TAG_VALUE_SAFE_CHARS);
		/* a key too long for the attribute path names the map instead */
		if (warn && snprintf(warn->attribute, sizeof(warn->attribute), "tags[\"%s\"]",
		                     t->items[i].key) >= (int)sizeof(warn->attribute))
			snprintf(warn->attribute, sizeof(warn->attribute), "tags");
		return 1;
	}
	return 0;
}
