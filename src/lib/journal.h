/*
 * journal.h - the creates in flight, on disk, so a killed one can be resumed (internal).
 *
 * Before a copy request goes out, create writes a record (what is copied where, when it was
 * sent) into the state directory and holds an exclusive flock(2) on it for as long as it runs;
 * the job ID is appended once IMS accepts the copy. A create that ends having reported what
 * became of the copy (an image or job ID, or the certainty that nothing was made) removes its
 * record; one that was killed leaves it, and the kernel drops its lock with the process.
 *
 * A later create of the same copy (same endpoint, home region, source image and name) claims
 * such an unlocked record and resumes the copy it describes instead of copying again. That is
 * how an adoption is told apart from a user's unrelated image of the same name: only a copy
 * this machine's journal says it requested, and whose requester is gone, is ever adopted.
 *
 * Records are append-only lines of JSON: the first one {"v":1,"sent_at":N,...}, then
 * {"sent_at":N} for each later attempt and {"job_id":"..."}; a line torn by a crash is ignored.
 */
#ifndef HWIMS_JOURNAL_H
#define HWIMS_JOURNAL_H

#include <time.h>

#include "hwims/config.h"
#include "hwims/error.h"
#include "hwims/image_copy.h"

typedef struct journal_entry journal_entry;

/* What a record says. Strings are owned by the entry. */
typedef struct journal_record {
	time_t sent_at;     /* when the copy request went out (local clock) */
	const char *job_id; /* NULL if its answer never came */
	const char *path;   /* the record's file, for log lines */
} journal_record;

/* A key's size: 64 hex digits of a SHA-256 and the NUL. */
#define JOURNAL_KEY_SIZE 65

/*
 * The key of a copy: a hex SHA-256 of the IMS endpoint of home, home, the source image and the
 * name. Writes JOURNAL_KEY_SIZE bytes to key. Returns 0, or -1 with err (the endpoint cannot be
 * built, or out of memory).
 */
int journal_key(const hwims_config *cfg, const char *home, const hwims_copy_spec *spec,
                char key[JOURNAL_KEY_SIZE], hwims_error *err);

/*
 * Start the record of a copy request about to be sent at sent_at, in dir (created 0700 if
 * missing). *out is locked until journal_close. Returns 0, or -1 with err (the directory or
 * file cannot be written: the caller goes on without a record).
 */
int journal_begin(const char *dir, const char *key, const hwims_copy_spec *spec, const char *home,
                  time_t sent_at, journal_entry **out, hwims_error *err);

/* Note that the copy request is sent again at sent_at (the earlier one was refused, making
   nothing). Returns 0, or -1 with err. */
int journal_note_sent(journal_entry *e, time_t sent_at, hwims_error *err);

/* Append the accepted job's ID. Returns 0, or -1 with err. */
int journal_note_job(journal_entry *e, const char *job_id, hwims_error *err);

/*
 * Claim a record of key in dir that no running create holds: its writer died (or ended without
 * knowing what became of its copy). On 1, *out holds the record locked and *rec describes it
 * (valid until journal_close). Returns 0 when there is none, -1 with err when dir cannot be
 * read (a missing dir is "none").
 */
int journal_claim(const char *dir, const char *key, journal_entry **out, journal_record *rec,
                  hwims_error *err);

/* Release e (NULL is a no-op): with forget set the record is removed first, else it stays
   for a later create to claim. */
void journal_close(journal_entry *e, int forget);

#endif
