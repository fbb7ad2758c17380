/* hwims_test.c - helpers shared by the test suites (see hwims_test.h). */
#include "hwims_test.h"

#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

char *hwims_test_mkdtemp(const char *prefix)
{
	const char *tmp = getenv("TMPDIR");
	char buf[4096];

	if (!tmp || !*tmp)
		tmp = "/tmp";
	snprintf(buf, sizeof(buf), "%s/%s-XXXXXX", tmp, prefix ? prefix : "hwims-test");
	if (!mkdtemp(buf))
		return NULL;
	return strdup(buf);
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int hwims_test_rmtree(const char *path)
{
	if (!path)
		return 0;
	return nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int hwims_test_doc_current(const char *rel, const char *doc)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/../../docs/%s", HWIMS_TEST_DATA_DIR, rel);
	if (getenv("HWIMS_UPDATE_DOCS")) {
		FILE *f = fopen(path, "w");
		if (!f || fputs(doc, f) < 0) {
			if (f)
				fclose(f);
			return -1;
		}
		if (fclose(f) != 0)
			return -1;
	}
	char *file = hwims_test_slurp(path, NULL);
	if (!file)
		return -1;
	int stale = strcmp(file, doc) != 0;
	free(file);
	return stale;
}

char *hwims_test_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			size_t ncap = cap ? cap * 2 : 8192;
			char *nb = realloc(buf, ncap);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
			cap = ncap;
		}
		size_t r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

char *hwims_test_data_path(const char *name)
{
	size_t len = strlen(HWIMS_TEST_DATA_DIR) + strlen(name) + 2;
	char *p = malloc(len);

	if (p)
		snprintf(p, len, "%s/%s", HWIMS_TEST_DATA_DIR, name);
	return p;
}

int hwims_test_imsd_start(hwims_test_imsd *d, const char *data_dir, double time_scale,
                          const char *const *extra_args)
{
	const char *argv[64];
	char scale[32];
	int out[2];
	size_t argc = 0;
	pid_t pid;
	FILE *f;
	char line[256];

	memset(d, 0, sizeof(*d));
	d->data_dir = data_dir ? strdup(data_dir) : hwims_test_mkdtemp("imsd-data");
	if (!d->data_dir)
		return -1;
	snprintf(scale, sizeof(scale), "%g", time_scale > 0 ? time_scale : 1.0);
	argv[argc++] = HWIMS_BIN_DIR "/imsd";
	argv[argc++] = "--listen";
	argv[argc++] = "127.0.0.1:0";
	argv[argc++] = "--data";
	argv[argc++] = d->data_dir;
	argv[argc++] = "--time-scale";
	argv[argc++] = scale;
	for (size_t i = 0; extra_args && extra_args[i] && argc < 62; i++)
		argv[argc++] = extra_args[i];
	argv[argc] = NULL;

	if (pipe(out) != 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(out[1], STDOUT_FILENO);
		close(out[0]);
		close(out[1]);
		if (!getenv("HWIMS_TEST_IMSD_LOG")) {
			/* Keep the request log out of test output unless asked for. */
			FILE *nul = fopen("/dev/null", "w");
			if (nul)
				dup2(fileno(nul), STDERR_FILENO);
		}
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	d->pid = pid;
	f = fdopen(out[0], "r");
	if (!f || !fgets(line, sizeof(line), f)) {
		if (f)
			fclose(f);
		hwims_test_imsd_stop(d);
		return -1;
	}
	fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	const char *url = strstr(line, "http://");
	const char *colon = url ? strrchr(url, ':') : NULL;
	if (!url || !colon || strncmp(line, "imsd listening on ", 18) != 0) {
		hwims_test_imsd_stop(d);
		return -1;
	}
	snprintf(d->base_url, sizeof(d->base_url), "%s", url);
	d->port = atoi(colon + 1);
	return 0;
}

int hwims_test_imsd_stop(hwims_test_imsd *d)
{
	int status = -1;

	if (d->pid > 0) {
		kill(d->pid, SIGTERM);
		for (int i = 0; i < 500; i++) {
			pid_t r = waitpid(d->pid, &status, WNOHANG);
			if (r == d->pid)
				break;
			if (i == 499) {
				kill(d->pid, SIGKILL);
				waitpid(d->pid, &status, 0);
			}
			struct timespec ts = {0, 10 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
		d->pid = 0;
	}
	if (d->data_dir && !d->keep_data)
		hwims_test_rmtree(d->data_dir);
	free(d->data_dir);
	d->data_dir = NULL;
	return status;
}
