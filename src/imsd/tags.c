/* tags.c - key/value tags of images in the store (see tags.h). */
#include "tags.h"

json_t *imsd_tags_json(imsd_db *db, const char *image_id, hwims_error *err)
{
	sqlite3_stmt *st =
	    imsd_db_stmt(db, "SELECT key, value FROM tags WHERE image_id=?1 ORDER BY key", err);
	json_t *arr;
	int rc;

	if (!st)
		return NULL;
	arr = json_array();
	if (!arr) {
		hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
		return NULL;
	}
	sqlite3_bind_text(st, 1, image_id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_array_append_new(
		    arr, json_pack("{s:s,s:s}", "key", (const char *)sqlite3_column_text(st, 0),
		                   "value", (const char *)sqlite3_column_text(st, 1)));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(arr);
		imsd_db_error(db, err, "tag list");
		return NULL;
	}
	return json_pack("{s:o}", "tags", arr);
}

int imsd_tags_count(imsd_db *db, const char *image_id, int64_t *count, hwims_error *err)
{
	sqlite3_stmt *st = imsd_db_stmt(db, "SELECT count(*) FROM tags WHERE image_id=?1", err);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, image_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*count = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : imsd_db_error(db, err, "tag count");
}

/* Run sql, with image_id bound to ?1 and key to ?2, one step: the sqlite3_step result, or -1
   (err set) when the statement cannot be prepared. */
static int step_image_key(imsd_db *db, const char *sql, const char *image_id, const char *key,
                          hwims_error *err)
{
	sqlite3_stmt *st = imsd_db_stmt(db, sql, err);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, image_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc;
}

int imsd_tag_exists(imsd_db *db, const char *image_id, const char *key, hwims_error *err)
{
	int rc = step_image_key(db, "SELECT 1 FROM tags WHERE image_id=?1 AND key=?2", image_id,
	                        key, err);

	if (rc < 0)
		return -1;
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : imsd_db_error(db, err, "tag lookup");
}

int imsd_tag_put(imsd_db *db, const char *image_id, const char *key, const char *value,
                 hwims_error *err)
{
	sqlite3_stmt *st = imsd_db_stmt(
	    db, "INSERT OR REPLACE INTO tags(image_id, key, value) VALUES(?1, ?2, ?3)", err);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, image_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : imsd_db_error(db, err, "tag write");
}

int imsd_tag_delete(imsd_db *db, const char *image_id, const char *key, hwims_error *err)
{
	int rc =
	    step_image_key(db, "DELETE FROM tags WHERE image_id=?1 AND key=?2", image_id, key, err);

	if (rc < 0)
		return -1;
	return rc == SQLITE_DONE ? 0 : imsd_db_error(db, err, "tag delete");
}
