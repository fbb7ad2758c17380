/* eps_moves.c - enterprise-project migrations that take time (see eps_moves.h). */
#include "eps_moves.h"

#include <stddef.h>

#include <sqlite3.h>

int imsd_eps_move_add(imsd_db *db, const char *image_id, const char *eps, double at,
                      hwims_error *err)
{
	sqlite3_stmt *st = imsd_db_stmt(
	    db, "INSERT OR REPLACE INTO eps_moves(image_id, eps, at) VALUES(?1, ?2, ?3)", err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, image_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, eps, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 3, at);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : imsd_db_error(db, err, "recording an EPS migration");
}

/* Whether a move is due: a read, so that requests do not all write when none is. */
static int any_due(imsd_db *db, double now, hwims_error *err)
{
	sqlite3_stmt *st = imsd_db_stmt(db, "SELECT 1 FROM eps_moves WHERE at <= ?1 LIMIT 1", err);
	if (!st)
		return -1;
	sqlite3_bind_double(st, 1, now);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : imsd_db_error(db, err, "reading EPS migrations");
}

int imsd_eps_moves_apply(imsd_db *db, double now, hwims_error *err)
{
	static const char UPDATE[] =
	    "UPDATE images SET eps = m.eps, doc = json_set(doc, '$.enterprise_project_id', m.eps) "
	    "FROM (SELECT image_id, eps FROM eps_moves WHERE at <= ?1) AS m "
	    "WHERE images.id = m.image_id";
	static const char DELETE[] = "DELETE FROM eps_moves WHERE at <= ?1";
	int due = any_due(db, now, err);
	if (due <= 0)
		return due;
	if (imsd_db_begin(db, err))
		return -1;
	const char *const steps[] = {UPDATE, DELETE};
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		sqlite3_stmt *st = imsd_db_stmt(db, steps[i], err);
		int rc = st ? (sqlite3_bind_double(st, 1, now), sqlite3_step(st)) : SQLITE_ERROR;
		if (st)
			sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			if (st)
				imsd_db_error(db, err, "applying EPS migrations");
			imsd_db_rollback(db);
			return -1;
		}
	}
	return imsd_db_commit(db, err);
}
