/* term.c - the terminal's size, and text cut to fit its width.
 *
 * A live progress line that is longer than the terminal wraps, and a wrapped
 * line breaks the in-place redraw: the cursor moves up by lines written, not
 * by rows on the screen. So every line is cut to the width, which callers
 * measure again at each redraw: a resized window is then followed within one
 * redraw, with no SIGWINCH handler to race with.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "cli.h"

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

size_t cli_fit_text(const char *text, size_t columns, char *out, size_t out_size)
{
	const unsigned char *s = (const unsigned char *)(text ? text : "");
	size_t n = strlen((const char *)s), used = 0, o = 0;
	if (out_size == 0)
		return 0;
	while (n > 0) {
		uint32_t cp;
		size_t len = utf8_decode(s, n, &cp);
		const char *put = (const char *)s;
		size_t put_len = len;
		if (len == 0) {
			put =
			    "?"; /* a stray byte must not start a sequence the terminal completes */
			put_len = len = 1;
			cp = '?';
		} else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
			put = " "; /* a newline or escape in a message would move the cursor */
			put_len = 1;
			cp = ' ';
		}
		size_t w = (size_t)cp_columns(cp);
		/* a combining mark still belongs to the character before it, which fitted */
		if (used + w > columns || o + put_len >= out_size)
			break;
		memcpy(out + o, put, put_len);
		o += put_len;
		used += w;
		s += len;
		n -= len;
	}
	out[o] = '\0';
	return used;
}
