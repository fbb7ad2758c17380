/*
 * hwims_test.h - helpers shared by the test suites.
 *
 * Include after the cmocka prerequisites (stdarg.h, stddef.h, stdint.h,
 * setjmp.h) and cmocka.h.
 */
#ifndef HWIMS_TEST_H
#define HWIMS_TEST_H

#include <stddef.h>
#include <sys/types.h>

/* Make a fresh directory under $TMPDIR (or /tmp). Caller frees the path and
 * removes the tree with hwims_test_rmtree. Returns NULL on failure. */
char *hwims_test_mkdtemp(const char *prefix);

/* Remove a directory tree. Returns 0 on success. */
int hwims_test_rmtree(const char *path);

/* Read a whole file (NUL-terminated). Caller frees. NULL on failure. */
char *hwims_test_slurp(const char *path, size_t *len);

/* Whether the checked-in generated page docs/REL equals doc: 0 when it does, 1 when it is
 * stale, -1 when it cannot be read. With HWIMS_UPDATE_DOCS set (scripts/gen-docs) the page is
 * rewritten with doc first. */
int hwims_test_doc_current(const char *rel, const char *doc);

/* Absolute path of a file under tests/data. Caller frees. */
char *hwims_test_data_path(const char *name);

/* A running imsd child process. */
typedef struct hwims_test_imsd {
	pid_t pid;
	char *data_dir;     /* owned; removed on stop unless keep_data */
	char base_url[128]; /* "http://127.0.0.1:PORT" */
	int port;
	int keep_data;
} hwims_test_imsd;

/*
 * Start build/bin/imsd on 127.0.0.1:0 with a fresh data dir (or data_dir if
 * given), the given time scale and any extra arguments (NULL-terminated
 * array, may be NULL). Waits for its "imsd listening on http://HOST:PORT"
 * line. Returns 0 on success.
 */
int hwims_test_imsd_start(hwims_test_imsd *d, const char *data_dir, double time_scale,
                          const char *const *extra_args);

/* SIGTERM the server and wait for it (SIGKILL after 5 s). Removes the data dir
 * unless keep_data is set. Returns the exit status, or -1. */
int hwims_test_imsd_stop(hwims_test_imsd *d);

#endif
