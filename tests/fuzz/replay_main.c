/*
 * replay_main.c - run a fuzz target without libFuzzer.
 *
 * Usage: <target>_replay CORPUS_DIR [MUTATIONS]
 *
 * Feeds LLVMFuzzerTestOneInput every file of CORPUS_DIR (in name order), then
 * MUTATIONS (default 300, or $HWIMS_FUZZ_MUTATIONS) pseudo-random mutations of
 * each: bit flips, interesting bytes, insertions, deletions, duplicated and
 * repeated chunks, truncations and splices with another corpus file. The
 * generator is seeded from the file name and the mutation number, so every
 * run feeds the same inputs and a failure reproduces. Built with any
 * compiler, it lets `make test` exercise every target under ASan+UBSan.
 *
 * When an input crashes (sanitizer report, FUZZ_CHECK abort, signal), the
 * input is written to ./replay-crash-<target> first, to be replayed with
 * the libFuzzer binary or this driver. Ends with a cmocka-style summary line
 * that scripts/run-tests counts as one test.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

#define DEFAULT_MUTATIONS 300
#define MAX_MUTANT_BYTES  (64 * 1024)
#define MAX_FILE_BYTES    (1024 * 1024)

/* libFuzzer's optional hook; a target may define it. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* Present only in sanitizer builds; lets us save the input before the process dies. */
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

/*
 * The input being run and where to save it. File-scope because a signal handler and the
 * sanitizers' death callback are the only code that can still see them when a target crashes;
 * set before each input, read only on the way down.
 */
static const uint8_t *volatile current_data;
static volatile size_t current_size;
static char crash_path[256];

static void save_current_input(void)
{
	/* Only async-signal-safe calls from here on. */
	int fd = open(crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return;
	const uint8_t *p = current_data;
	size_t left = current_size;
	while (p && left > 0) {
		ssize_t n = write(fd, p, left);
		if (n <= 0)
			break;
		p += n;
		left -= (size_t)n;
	}
	close(fd);
	static const char msg[] = "replay: crashing input saved to ";
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0 ||
	    write(STDERR_FILENO, crash_path, strlen(crash_path)) < 0 ||
	    write(STDERR_FILENO, "\n", 1) < 0)
		return;
}

static void on_fatal_signal(int sig)
{
	save_current_input();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void run_one(const uint8_t *data, size_t size)
{
	current_data = data;
	current_size = size;
	LLVMFuzzerTestOneInput(data, size);
	current_data = NULL;
	current_size = 0;
}

/* splitmix64: small, good enough, and the same everywhere. */
static uint64_t next_rand(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static size_t below(uint64_t *state, size_t n)
{
	return n ? (size_t)(next_rand(state) % n) : 0;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(0x100000001b3);
	return h;
}

typedef struct blob {
	char *name;
	uint8_t *data;
	size_t size;
} blob;

/* Bytes that tend to matter to the decoders here: JSON and header syntax, separators, digits,
   units, boundaries of signed and unsigned bytes. */
static const uint8_t interesting[] = {0x00, 0xff, 0x7f, 0x80, 0xc2, 0xb5, '"', '\\', '%',  ',',
                                      ';',  '=',  '/',  '{',  '}',  '[',  ']', ':',  '\n', '\r',
                                      ' ',  '\t', '.',  '-',  '+',  '0',  '9', 'e',  'h',  's'};

/* Apply 1-4 random edits to buf (len bytes, capacity MAX_MUTANT_BYTES); returns the new length. */
static size_t mutate(uint8_t *buf, size_t len, const blob *corpus, size_t n_corpus, uint64_t *rng)
{
	int edits = 1 + (int)below(rng, 4);
	for (int e = 0; e < edits; e++) {
		size_t pos = below(rng, len + 1);
		switch (below(rng, 8)) {
		case 0: /* flip a bit */
			if (len)
				buf[below(rng, len)] ^= (uint8_t)(1u << below(rng, 8));
			break;
		case 1: /* an interesting byte */
			if (len)
				buf[below(rng, len)] = interesting[below(rng, sizeof(interesting))];
			break;
		case 2: { /* insert a few bytes */
			size_t n = 1 + below(rng, 4);
			if (len + n > MAX_MUTANT_BYTES)
				break;
			memmove(buf + pos + n, buf + pos, len - pos);
			for (size_t i = 0; i < n; i++)
				buf[pos + i] = below(rng, 2)
				                   ? interesting[below(rng, sizeof(interesting))]
				                   : (uint8_t)next_rand(rng);
			len += n;
			break;
		}
		case 3: { /* delete a range */
			if (pos >= len)
				break;
			size_t n = 1 + below(rng, len - pos);
			memmove(buf + pos, buf + pos + n, len - pos - n);
			len -= n;
			break;
		}
		case 4: { /* copy a chunk somewhere else */
			if (len == 0)
				break;
			uint8_t chunk[256];
			size_t from = below(rng, len);
			size_t n =
			    1 + below(rng, len - from < sizeof(chunk) ? len - from : sizeof(chunk));
			if (len + n > MAX_MUTANT_BYTES)
				break;
			memcpy(chunk, buf + from, n);
			memmove(buf + pos + n, buf + pos, len - pos);
			memcpy(buf + pos, chunk, n);
			len += n;
			break;
		}
		case 5: /* truncate */
			len = pos;
			break;
		case 6: { /* splice with the tail of another corpus file */
			const blob *other = &corpus[below(rng, n_corpus)];
			size_t from = below(rng, other->size + 1);
			size_t n = other->size - from;
			if (pos + n > MAX_MUTANT_BYTES)
				n = MAX_MUTANT_BYTES - pos;
			if (n > 0)
				memcpy(buf + pos, other->data + from, n);
			len = pos + n;
			break;
		}
		default: { /* repeat a short chunk many times: lengths, limits, deep nesting */
			if (len == 0)
				break;
			size_t from = below(rng, len);
			size_t n = 1 + below(rng, len - from < 8 ? len - from : 8);
			size_t times = 16 + below(rng, 512);
			uint8_t chunk[8];
			memcpy(chunk, buf + from, n);
			if (len + n * times > MAX_MUTANT_BYTES)
				break;
			memmove(buf + pos + n * times, buf + pos, len - pos);
			for (size_t t = 0; t < times; t++)
				memcpy(buf + pos + t * n, chunk, n);
			len += n * times;
			break;
		}
		}
	}
	return len;
}

static int read_file(const char *path, blob *b)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	b->data = malloc(MAX_FILE_BYTES);
	if (!b->data) {
		fclose(f);
		return -1;
	}
	b->size = fread(b->data, 1, MAX_FILE_BYTES, f);
	int bad = ferror(f);
	fclose(f);
	uint8_t *fit = realloc(b->data, b->size ? b->size : 1);
	if (fit)
		b->data = fit;
	return bad ? -1 : 0;
}

static int is_corpus_entry(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static void free_corpus(blob *corpus, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(corpus[i].name);
		free(corpus[i].data);
	}
	free(corpus);
}

/* Load every regular file of dir, in name order. Returns the count, or -1. */
static long load_corpus(const char *dir, blob **out)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, is_corpus_entry, alphasort);
	long count = 0;
	blob *corpus = NULL;

	*out = NULL;
	if (n < 0) {
		fprintf(stderr, "replay: cannot read corpus directory %s: %s\n", dir,
		        strerror(errno));
		return -1;
	}
	corpus = calloc(n > 0 ? (size_t)n : 1, sizeof(*corpus));
	if (!corpus)
		goto fail;
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		blob *b = &corpus[count];
		b->name = strdup(names[i]->d_name);
		if (!b->name || read_file(path, b) != 0) {
			fprintf(stderr, "replay: cannot read %s\n", path);
			count++;
			goto fail;
		}
		count++;
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	*out = corpus;
	return count;
fail:
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free_corpus(corpus, (size_t)count);
	return -1;
}

int main(int argc, char **argv)
{
	blob *corpus = NULL;
	uint8_t *buf = NULL;
	long mutations = DEFAULT_MUTATIONS;
	int rc = 1;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s CORPUS_DIR [MUTATIONS]\n", argv[0]);
		return 2;
	}
	const char *env = getenv("HWIMS_FUZZ_MUTATIONS");
	if (argc == 3)
		mutations = strtol(argv[2], NULL, 10);
	else if (env && *env)
		mutations = strtol(env, NULL, 10);
	if (mutations < 0)
		mutations = 0;

	const char *base = strrchr(argv[0], '/');
	snprintf(crash_path, sizeof(crash_path), "replay-crash-%s", base ? base + 1 : argv[0]);
	signal(SIGABRT, on_fatal_signal);
	signal(SIGSEGV, on_fatal_signal);
	signal(SIGBUS, on_fatal_signal);
	signal(SIGFPE, on_fatal_signal);
	signal(SIGILL, on_fatal_signal);
	if (__sanitizer_set_death_callback)
		__sanitizer_set_death_callback(save_current_input);
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);

	long n = load_corpus(argv[1], &corpus);
	if (n < 0)
		goto done;
	if (n == 0) {
		/* An empty corpus would make this test pass while exercising nothing. */
		fprintf(stderr, "replay: corpus directory %s holds no input\n", argv[1]);
		goto done;
	}
	buf = malloc(MAX_MUTANT_BYTES);
	if (!buf) {
		fprintf(stderr, "replay: out of memory\n");
		goto done;
	}

	unsigned long runs = 0;
	for (long i = 0; i < n; i++) {
		/* Each file in a buffer of its own size, so ASan sees any read past its end. */
		uint8_t *exact = malloc(corpus[i].size ? corpus[i].size : 1);
		if (!exact) {
			fprintf(stderr, "replay: out of memory\n");
			goto done;
		}
		if (corpus[i].size)
			memcpy(exact, corpus[i].data, corpus[i].size);
		run_one(exact, corpus[i].size);
		free(exact);
		runs++;
	}
	for (long i = 0; i < n; i++) {
		uint64_t seed = fnv1a(corpus[i].name);
		for (long m = 0; m < mutations; m++) {
			uint64_t rng = seed ^ ((uint64_t)m * UINT64_C(0x2545f4914f6cdd1d));
			size_t len =
			    corpus[i].size < MAX_MUTANT_BYTES ? corpus[i].size : MAX_MUTANT_BYTES;
			memcpy(buf, corpus[i].data, len);
			len = mutate(buf, len, corpus, (size_t)n, &rng);
			uint8_t *exact = malloc(len ? len : 1);
			if (!exact) {
				fprintf(stderr, "replay: out of memory\n");
				goto done;
			}
			if (len)
				memcpy(exact, buf, len);
			run_one(exact, len);
			free(exact);
			runs++;
		}
	}
	printf("replay: %s: %ld corpus file(s), %lu input(s) run\n", argv[1], n, runs);
	printf("[  PASSED  ] 1 test(s).\n");
	rc = 0;
done:
	free(buf);
	free_corpus(corpus, n > 0 ? (size_t)n : 0);
	return rc;
}
