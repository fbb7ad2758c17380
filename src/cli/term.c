/* term.c - text made safe for a terminal, the terminal's size, and text cut to fit its width.
 *
 * Names, descriptions, tags, error messages and job reasons come from the
 * server or from the command line, and a terminal obeys the control characters
 * in them: ESC or CSI sequences clear the screen, set the window title or move
 * the cursor. Every text line the CLI writes goes through cli_escape here (via
 * cli_print_line or cli_fit_text), which shows such characters as visible
 * escapes; JSON output gets the same guarantee from cli_json_dumps.
 *
 * A live progress line that is longer than the terminal wraps, and a wrapped
 * line breaks the in-place redraw: the cursor moves up by lines written, not
 * by rows on the screen. So every line is cut to the width, which callers
 * measure again at each redraw: a resized window is then followed within one
 * redraw, with no SIGWINCH handler to race with.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "cli.h"
#include "hwims/buf.h"

#include <jansson.h>

/* A positive number from the environment (COLUMNS, LINES), else 0. */
static int env_count(const char *name)
{
	const char *v = getenv(name);
	int64_t n;
	if (!v || cli_parse_int64(v, &n) != 0 || n <= 0 || n > 10000)
		return 0;
	return (int)n;
}

int cli_term_columns(int fd)
{
	struct winsize ws;
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	int n = env_count("COLUMNS");
	return n > 0 ? n : 80;
}

int cli_term_lines(int fd)
{
	struct winsize ws;
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0)
		return ws.ws_row;
	return env_count("LINES");
}

/* Decode one UTF-8 sequence at s (n bytes available). Returns its length and sets *cp, or 0
 * when the bytes there are not well-formed UTF-8 (overlong forms and surrogates included). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t v, min;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0) {
		len = 2, v = s[0] & 0x1Fu, min = 0x80;
	} else if ((s[0] & 0xF0) == 0xE0) {
		len = 3, v = s[0] & 0x0Fu, min = 0x800;
	} else if ((s[0] & 0xF8) == 0xF0) {
		len = 4, v = s[0] & 0x07u, min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3Fu);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

/* Columns a code point takes on a terminal. A table of its own rather than wcwidth(3), which
 * answers only under a UTF-8 locale the CLI does not otherwise need; it covers what image names,
 * descriptions and error messages hold in practice: combining marks take none, East Asian wide
 * characters (names may be Chinese) and emoji two. */
static int cp_columns(uint32_t cp)
{
	static const struct {
		uint32_t lo, hi;
	} zero[] = {{0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A},
	            {0x064B, 0x065F}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F},
	            {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}},
	  wide[] = {{0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF},  {0x3400, 0x4DBF},
	            {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xAC00, 0xD7A3},  {0xF900, 0xFAFF},
	            {0xFE30, 0xFE4F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},  {0x1F300, 0x1F64F},
	            {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD}};
	for (size_t i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		if (cp >= zero[i].lo && cp <= zero[i].hi)
			return 0;
	for (size_t i = 0; i < sizeof(wide) / sizeof(wide[0]); i++)
		if (cp >= wide[i].lo && cp <= wide[i].hi)
			return 2;
	return 1;
}

static int is_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
}

int cli_escape(hwims_buf *out, const char *text)
{
	const unsigned char *s = (const unsigned char *)(text ? text : "");
	size_t n = strlen((const char *)s);
	/* Grow once for the common case of nothing to escape. */
	if (hwims_buf_append(out, "", 0) != 0)
		return -1;
	while (n > 0) {
		uint32_t cp;
		size_t len = utf8_decode(s, n, &cp);
		int rc;
		if (len == 0) {
			/* a stray byte must not start a sequence the terminal completes */
			rc = hwims_buf_printf(out, "\\x%02x", s[0]);
			len = 1;
		} else if (cp == '\\') {
			rc = hwims_buf_puts(out, "\\\\"); /* so an escape shown is never text */
		} else if (cp == '\n' || cp == '\r' || cp == '\t') {
			rc = hwims_buf_puts(out, cp == '\n' ? "\\n" : cp == '\r' ? "\\r" : "\\t");
		} else if (cp < 0x80 && is_control(cp)) {
			rc = hwims_buf_printf(out, "\\x%02x", (unsigned)cp);
		} else if (is_control(cp)) {
			/* C1, such as U+009B (CSI): the code point, not its bytes, which are UTF-8
			 */
			rc = hwims_buf_printf(out, "\\u%04x", (unsigned)cp);
		} else {
			rc = hwims_buf_append(out, s, len);
		}
		if (rc != 0)
			return -1;
		s += len;
		n -= len;
	}
	return 0;
}

int cli_print_line(FILE *f, const char *fmt, ...)
{
	va_list ap, again;
	va_start(ap, fmt);
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *text = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (text)
		vsnprintf(text, (size_t)n + 1, fmt, again);
	va_end(again);
	hwims_buf safe = HWIMS_BUF_INIT;
	int rc = -1;
	if (text && cli_escape(&safe, text) == 0 && hwims_buf_puts(&safe, "\n") == 0)
		rc = fputs(safe.data, f) < 0 ? -1 : 0;
	else
		fputs("(out of memory)\n", f);
	free(text);
	hwims_buf_free(&safe);
	return rc;
}

json_t *cli_json_text(const char *text)
{
	if (!text)
		return json_null();
	json_t *j = json_string(text);
	if (j)
		return j;
	/* Not UTF-8 (a command-line argument, or a message cut in the middle of a character):
	 * jansson refuses it, so each stray byte becomes U+FFFD and the rest is kept. */
	hwims_buf fixed = HWIMS_BUF_INIT;
	const unsigned char *s = (const unsigned char *)text;
	size_t n = strlen(text);
	int rc = hwims_buf_append(&fixed, "", 0);
	while (rc == 0 && n > 0) {
		uint32_t cp;
		size_t len = utf8_decode(s, n, &cp);
		rc =
		    len ? hwims_buf_append(&fixed, s, len) : hwims_buf_puts(&fixed, "\xef\xbf\xbd");
		len = len ? len : 1;
		s += len;
		n -= len;
	}
	j = rc == 0 ? json_string(fixed.data) : NULL;
	hwims_buf_free(&fixed);
	return j ? j : json_null();
}

char *cli_json_dumps(const json_t *j)
{
	char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!text)
		return NULL;
	/* jansson escapes C0 controls but writes DEL and the C1 controls (U+0080-U+009F, such as
	 * CSI) as they are, which a terminal may obey. Outside strings its output is plain ASCII,
	 * so any such byte is inside a string, where \u00XX stands for the same character. */
	hwims_buf out = HWIMS_BUF_INIT;
	int rc = hwims_buf_append(&out, "", 0);
	for (const unsigned char *p = (const unsigned char *)text; rc == 0 && *p; p++) {
		if (*p == 0x7F)
			rc = hwims_buf_puts(&out, "\\u007F");
		else if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] < 0xA0)
			rc = hwims_buf_printf(&out, "\\u%04X", p[1]), p++; /* as jansson writes */
		else
			rc = hwims_buf_append(&out, p, 1);
	}
	free(text);
	if (rc != 0) {
		hwims_buf_free(&out);
		return NULL;
	}
	return hwims_buf_detach(&out);
}

size_t cli_fit_text(const char *text, size_t columns, char *out, size_t out_size)
{
	hwims_buf safe = HWIMS_BUF_INIT;
	size_t used = 0, o = 0;
	if (out_size == 0)
		return 0;
	if (cli_escape(&safe, text) != 0) {
		out[0] = '\0';
		return 0;
	}
	/* What is left is well-formed UTF-8 without control characters. */
	const unsigned char *s = (const unsigned char *)safe.data;
	size_t n = safe.len;
	while (n > 0) {
		uint32_t cp;
		size_t len = utf8_decode(s, n, &cp);
		size_t w = (size_t)cp_columns(cp);
		/* a combining mark still belongs to the character before it, which fitted */
		if (used + w > columns || o + len >= out_size)
			break;
		memcpy(out + o, s, len);
		o += len;
		used += w;
		s += len;
		n -= len;
	}
	out[o] = '\0';
	hwims_buf_free(&safe);
	return used;
}
