/*
 * fuzz_redact.c - masking secrets on their way to logs and error messages (hwims_redact).
 *
 * Input: one byte choosing how a secret is written, then a line of text to put before
 * it, then the text to put after it (both anything; separated from the secret by a
 * space, as in a log line). The secret forms are the ones hwims/log.h promises to mask:
 * the Signature= of an SDK Authorization header and its access key beyond 4 characters,
 * another scheme's Authorization value, X-Security-Token / X-Auth-Token header values,
 * JSON "secret_key"/"security_token"/"password"/"token"/"signature" string values, the
 * JSON "access_key" beyond 4 characters, and sk=/token=/signature=/secret_key= query values.
 *
 * What must hold:
 *  - whatever text surrounds it, the secret (or the masked part of an access key) never
 *    appears in the output, unless the surrounding text holds it itself or makes it
 *    something else than a value (see swallowed());
 *  - text without '=', ':' or '"' (which every rule needs) comes back unchanged;
 *  - the output is never NULL for non-NULL input.
 */
#include <ctype.h>
#include <string.h>

#include "fuzz.h"
#include "hwims/log.h"

#define SECRET  "Zq7SecretValue9Xw"
#define AK_TAIL "Kq4AccessTail8"
#define AK      "AKFU" AK_TAIL

static const char *const forms[] = {
    "Authorization: SDK-HMAC-SHA256 Access=" AK ", SignedHeaders=host;x-sdk-date, "
    "Signature=" SECRET,
    "Authorization: Bearer " SECRET,
    "authorization:basic " SECRET,
    "X-Security-Token: " SECRET,
    "x-auth-token:" SECRET,
    "{\"secret_key\": \"" SECRET "\"}",
    "\"security_token\":\"" SECRET "\"",
    "\"password\" : \"" SECRET "\"",
    "\"token\":\"" SECRET "\"",
    "\"signature\":\"" SECRET "\"",
    "{\"access_key\":\"" AK "\",\"secret\":\"" SECRET "\"}",
    "https://h/x?a=1&sk=" SECRET "&b=2",
    "token=" SECRET,
    "signature=" SECRET ";",
    "secret_key=" SECRET,
    "security_token=" SECRET "&x",
    "Access=" AK,
};

/* When the text before ends with a key and its colon, a form starting with a quoted key is
   that key's value: `{"token": "password":"x"` holds the string "password", then stray
   text. The redactor reads it that way (rightly), so the secret is not a value there. */
static int swallowed(const char *before, const char *form)
{
	size_t n = strlen(before);
	while (n > 0 && isspace((unsigned char)before[n - 1]))
		n--;
	return form[0] == '"' && n > 0 && before[n - 1] == ':';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_input in;

	fuzz_input_init(&in, data, size);
	const char *form = forms[fuzz_input_byte(&in) % (sizeof(forms) / sizeof(forms[0]))];
	char *before = fuzz_input_field(&in, '\n', NULL);
	char *after = fuzz_input_rest(&in, NULL);

	size_t n = strlen(before) + strlen(form) + strlen(after) + 3;
	char *line = malloc(n);
	FUZZ_CHECK(line != NULL);
	snprintf(line, n, "%s %s %s", before, form, after);

	char *out = hwims_redact(line);
	FUZZ_CHECK(out != NULL);
	int planted = strstr(before, SECRET) || strstr(after, SECRET) || strstr(before, AK_TAIL) ||
	              strstr(after, AK_TAIL);
	if (!planted && !swallowed(before, form) && (strstr(out, SECRET) || strstr(out, AK_TAIL))) {
		fprintf(stderr, "secret survived redaction:\n  in:  %s\n  out: %s\n", line, out);
		FUZZ_CHECK(!"secrets are masked");
	}
	free(out);

	/* Only the surrounding text, alone. */
	out = hwims_redact(before);
	FUZZ_CHECK(out != NULL);
	if (!strpbrk(before, "=:\""))
		FUZZ_CHECK(strcmp(out, before) == 0);
	free(out);
	FUZZ_CHECK(hwims_redact(NULL) == NULL);

	free(line);
	free(after);
	free(before);
	return 0;
}
