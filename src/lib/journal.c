/* journal.c - records of the copy requests in flight (see journal.h). */
#define _GNU_SOURCE
#include "journal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "hwims/buf.h"

#define PREFIX "copy-"
#define SUFFIX ".rec"

struct journal_entry {
	int fd;
	char *path;
	char *job_id; /* what the record says (claimed records only) */
};

int journal_key(const hwims_config *cfg, const char *home, const hwims_copy_spec *spec,
                char key[JOURNAL_KEY_SIZE], hwims_error *err)
{
	char *url = NULL;
	if (hwims_config_endpoint(cfg, HWIMS_SVC_IMS, home, &url, err) != 0)
		return -1;
	hwims_buf b = HWIMS_BUF_INIT;
	/* NUL-separated: no field can end in a way that makes two copies collide. */
	int rc = hwims_buf_append(&b, url, strlen(url) + 1) |
	         hwims_buf_append(&b, home, strlen(home) + 1) |
	         hwims_buf_append(&b, spec->source_image_id, strlen(spec->source_image_id) + 1) |
	         hwims_buf_append(&b, spec->name, strlen(spec->name) + 1);
	free(url);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (rc != 0 || !EVP_Digest(b.data, b.len, md, &n, EVP_sha256(), NULL) || n != 32) {
		hwims_buf_free(&b);
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	}
	hwims_buf_free(&b);
	for (unsigned int i = 0; i < n; i++)
		snprintf(key + 2 * i, 3, "%02x", md[i]);
	return 0;
}

/* mkdir -p dir: each missing level 0700 (the records say what the user copies where). */
static int make_dir(const char *dir)
{
	char *p = strdup(dir);
	if (!p)
		return -1;
	int rc = 0;
	for (char *s = p + 1; rc == 0; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			rc = -1;
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return rc;
}

static int write_line(int fd, json_t *obj)
{
	char *text = json_dumps(obj, JSON_COMPACT);
	if (!text)
		return -1;
	size_t n = strlen(text);
	text[n] = '\n'; /* json_dumps' NUL becomes the line's end */
	ssize_t w = write(fd, text, n + 1);
	free(text);
	/* On disk before the request goes out: a record lost with the machine is a lost copy. */
	return (w == (ssize_t)(n + 1) && fdatasync(fd) == 0) ? 0 : -1;
}

static journal_entry *entry_new(int fd, char *path)
{
	journal_entry *e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->fd = fd;
	e->path = path;
	return e;
}

int journal_begin(const char *dir, const char *key, const hwims_copy_spec *spec, const char *home,
                  time_t sent_at, journal_entry **out, hwims_error *err)
{
	*out = NULL;
	if (make_dir(dir) != 0)
		return hwims_error_set(err, HWIMS_ERR_USAGE, "cannot create %s: %s", dir,
		                       strerror(errno));
	hwims_buf tmp = HWIMS_BUF_INIT, fin = HWIMS_BUF_INIT;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	/* Written and locked under a name no claimer looks at, then renamed: a claimer must
	   never find a record before its writer holds the lock. */
	if (hwims_buf_printf(&fin, "%s/" PREFIX "%s-%ld-%lld%09ld" SUFFIX, dir, key, (long)getpid(),
	                     (long long)ts.tv_sec, ts.tv_nsec) != 0 ||
	    hwims_buf_printf(&tmp, "%s.tmp", fin.data) != 0) {
		hwims_buf_free(&tmp);
		hwims_buf_free(&fin);
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	}
	int fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
	json_t *line = json_pack("{s:i, s:I, s:s, s:s, s:s, s:i}", "v", 1, "sent_at",
	                         (json_int_t)sent_at, "region", home, "source_image_id",
	                         spec->source_image_id, "name", spec->name, "pid", (int)getpid());
	int rc = -1;
	char *path = NULL;
	/* The entry exists before the rename, so nothing can fail once the record is visible. */
	if (fd >= 0 && line && flock(fd, LOCK_EX | LOCK_NB) == 0 && write_line(fd, line) == 0 &&
	    (path = strdup(fin.data)) && (*out = entry_new(fd, path)) &&
	    rename(tmp.data, fin.data) == 0)
		rc = 0;
	if (rc != 0) {
		hwims_error_set(err, HWIMS_ERR_USAGE, "cannot write %s: %s", tmp.data,
		                strerror(errno ? errno : ENOMEM));
		if (*out) {
			free(*out);
			*out = NULL;
		}
		free(path);
		if (fd >= 0) {
			unlink(tmp.data);
			close(fd);
		}
	}
	json_decref(line);
	hwims_buf_free(&tmp);
	hwims_buf_free(&fin);
	return rc;
}

/* Append one line (taken over) to e's record. */
static int note(journal_entry *e, json_t *line, hwims_error *err)
{
	int rc = line ? write_line(e->fd, line) : -1;
	json_decref(line);
	if (rc != 0)
		return hwims_error_set(err, HWIMS_ERR_USAGE, "cannot write %s: %s", e->path,
		                       strerror(errno ? errno : ENOMEM));
	return 0;
}

int journal_note_sent(journal_entry *e, time_t sent_at, hwims_error *err)
{
	return note(e, json_pack("{s:I}", "sent_at", (json_int_t)sent_at), err);
}

int journal_note_job(journal_entry *e, const char *job_id, hwims_error *err)
{
	return note(e, json_pack("{s:s}", "job_id", job_id), err);
}

/* Read the record of a claimed entry; 0 when its first line is whole. */
static int parse(journal_entry *e, journal_record *rec)
{
	FILE *f = fdopen(dup(e->fd), "r");
	if (!f)
		return -1;
	char *line = NULL;
	size_t cap = 0;
	int first = 1, rc = -1;
	while (getline(&line, &cap, f) > 0) {
		json_t *o = json_loads(line, 0, NULL);
		if (!o)
			break; /* torn by a crash: what came before still holds */
		if (first) {
			json_t *at = json_object_get(o, "sent_at");
			if (json_is_integer(at) &&
			    json_integer_value(json_object_get(o, "v")) == 1) {
				rec->sent_at = (time_t)json_integer_value(at);
				rc = 0;
			}
			first = 0;
		} else {
			json_t *at = json_object_get(o, "sent_at");
			if (json_is_integer(at))
				rec->sent_at = (time_t)json_integer_value(at);
			const char *job = json_string_value(json_object_get(o, "job_id"));
			if (job) {
				free(e->job_id);
				e->job_id = strdup(job);
			}
		}
		json_decref(o);
		if (rc != 0)
			break;
	}
	free(line);
	fclose(f);
	rec->job_id = e->job_id;
	rec->path = e->path;
	return rc;
}

/* Open and lock one record; 1 when it is ours now, 0 when someone holds it (or it is gone). */
static int try_claim(const char *path, journal_entry **out)
{
	int fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return 0;
	struct stat st;
	/* After the lock: a writer that finished unlinked its record before letting go. */
	if (flock(fd, LOCK_EX | LOCK_NB) != 0 || fstat(fd, &st) != 0 || st.st_nlink == 0) {
		close(fd);
		return 0;
	}
	char *p = strdup(path);
	*out = p ? entry_new(fd, p) : NULL;
	if (!*out) {
		free(p);
		close(fd);
		return -1;
	}
	return 1;
}

int journal_claim(const char *dir, const char *key, journal_entry **out, journal_record *rec,
                  hwims_error *err)
{
	*out = NULL;
	memset(rec, 0, sizeof(*rec));
	DIR *d = opendir(dir);
	if (!d) {
		if (errno == ENOENT)
			return 0;
		return hwims_error_set(err, HWIMS_ERR_USAGE, "cannot read %s: %s", dir,
		                       strerror(errno));
	}
	hwims_buf want = HWIMS_BUF_INIT, path = HWIMS_BUF_INIT;
	int found = 0;
	if (hwims_buf_printf(&want, PREFIX "%s-", key) != 0)
		found = -1;
	struct dirent *de;
	while (found == 0 && (de = readdir(d))) {
		size_t n = strlen(de->d_name);
		if (strncmp(de->d_name, want.data, want.len) != 0 || n < strlen(SUFFIX) ||
		    strcmp(de->d_name + n - strlen(SUFFIX), SUFFIX) != 0)
			continue;
		path.len = 0;
		if (hwims_buf_printf(&path, "%s/%s", dir, de->d_name) != 0) {
			found = -1;
			break;
		}
		found = try_claim(path.data, out);
		if (found == 1 && parse(*out, rec) != 0) {
			/* A record cut before its first line was whole: its request never went
			   out (the line is on disk before the request is sent). */
			journal_close(*out, 1);
			*out = NULL;
			found = 0;
		}
	}
	closedir(d);
	hwims_buf_free(&want);
	hwims_buf_free(&path);
	if (found < 0)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	return found;
}

void journal_close(journal_entry *e, int forget)
{
	if (!e)
		return;
	if (forget)
		unlink(e->path); /* before the lock goes: see try_claim */
	close(e->fd);
	free(e->path);
	free(e->job_id);
	free(e);
}
