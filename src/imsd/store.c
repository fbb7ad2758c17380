/* store.c - SQLite connections, pool, schema and statement cache (see store.h). */
#include "store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STMT_CACHE 48
#define POOL_MAX   32

struct imsd_db {
	sqlite3 *conn;
	struct {
		char *sql;
		sqlite3_stmt *stmt;
	} cache[STMT_CACHE];
	size_t n_cache, next_evict;
};

struct imsd_store {
	char *path;
	int durable;
	pthread_mutex_t lock;
	imsd_db *idle[POOL_MAX];
	size_t n_idle;
};

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE IF NOT EXISTS images("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    " id TEXT NOT NULL UNIQUE,"
    " region TEXT NOT NULL,"
    " name TEXT NOT NULL,"
    " imagetype TEXT NOT NULL,"
    " visibility TEXT NOT NULL,"
    " owner TEXT NOT NULL,"
    " eps TEXT NOT NULL,"
    " status TEXT NOT NULL," /* stored status; copies derive theirs from the clock */
    " size INTEGER NOT NULL DEFAULT 0,"
    " init_end REAL,"                   /* copies: end of the queued phase */
    " ready_at REAL,"                   /* copies: when the job ends */
    " fail INTEGER NOT NULL DEFAULT 0," /* copies: the job ends in FAIL */
    " deleted_at REAL,"                 /* gone from queries from then on */
    " doc TEXT NOT NULL);"              /* image object without status/active_at */
    "CREATE INDEX IF NOT EXISTS images_region_seq ON images(region, seq);"
    "CREATE INDEX IF NOT EXISTS images_region_name ON images(region, name);"
    "CREATE TABLE IF NOT EXISTS jobs("
    " id TEXT PRIMARY KEY,"
    " region TEXT NOT NULL,"
    " project_id TEXT NOT NULL,"
    " job_type TEXT NOT NULL,"
    " image_id TEXT NOT NULL,"
    " image_name TEXT NOT NULL,"
    " target_region TEXT NOT NULL,"
    " begin_at REAL NOT NULL,"
    " init_end REAL NOT NULL,"
    " end_at REAL NOT NULL,"
    " fail INTEGER NOT NULL,"
    " error_code TEXT,"
    " fail_reason TEXT);"
    "CREATE INDEX IF NOT EXISTS jobs_project ON jobs(project_id, job_type, end_at);"
    "CREATE TABLE IF NOT EXISTS tags("
    " image_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
    " PRIMARY KEY(image_id, key)) WITHOUT ROWID;"
    /* accepted enterprise-project moves not in effect yet (eps_moves.h) */
    "CREATE TABLE IF NOT EXISTS eps_moves("
    " image_id TEXT PRIMARY KEY, eps TEXT NOT NULL, at REAL NOT NULL) WITHOUT ROWID;";

int imsd_db_error(imsd_db *db, hwims_error *err, const char *what)
{
	return hwims_error_set(err, HWIMS_ERR_INTERNAL, "store: %s: %s", what,
	                       db && db->conn ? sqlite3_errmsg(db->conn) : "no connection");
}

static void db_close(imsd_db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->n_cache; i++) {
		sqlite3_finalize(db->cache[i].stmt);
		free(db->cache[i].sql);
	}
	sqlite3_close(db->conn);
	free(db);
}

int imsd_db_exec(imsd_db *db, const char *sql, hwims_error *err)
{
	if (sqlite3_exec(db->conn, sql, NULL, NULL, NULL) != SQLITE_OK)
		return imsd_db_error(db, err, "exec");
	return 0;
}

static imsd_db *db_open(imsd_store *st, hwims_error *err)
{
	imsd_db *db = calloc(1, sizeof(*db));

	if (!db) {
		hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
		return NULL;
	}
	if (sqlite3_open_v2(st->path, &db->conn,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	                    NULL) != SQLITE_OK) {
		hwims_error_set(err, HWIMS_ERR_INTERNAL, "store: cannot open %s: %s", st->path,
		                db->conn ? sqlite3_errmsg(db->conn) : "out of memory");
		goto fail;
	}
	/* Writers wait for each other instead of failing with SQLITE_BUSY. */
	sqlite3_busy_timeout(db->conn, 10000);
	if (imsd_db_exec(db, "PRAGMA journal_mode=WAL", err) ||
	    imsd_db_exec(db, st->durable ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=OFF",
	                 err) ||
	    imsd_db_exec(db, "PRAGMA foreign_keys=ON", err))
		goto fail;
	return db;
fail:
	db_close(db);
	return NULL;
}

int imsd_store_open(imsd_store **out, const char *dir, int durable, hwims_error *err)
{
	imsd_store *st = calloc(1, sizeof(*st));
	imsd_db *db = NULL;
	size_t len;

	*out = NULL;
	if (!st)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	pthread_mutex_init(&st->lock, NULL);
	st->durable = durable;
	len = strlen(dir) + sizeof("/imsd.db");
	st->path = malloc(len);
	if (!st->path) {
		hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
		goto fail;
	}
	snprintf(st->path, len, "%s/imsd.db", dir);
	db = db_open(st, err);
	if (!db)
		goto fail;
	if (imsd_db_exec(db, SCHEMA, err))
		goto fail;
	imsd_store_release(st, db);
	*out = st;
	return 0;
fail:
	db_close(db);
	imsd_store_close(st);
	return -1;
}

void imsd_store_close(imsd_store *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->n_idle; i++)
		db_close(st->idle[i]);
	pthread_mutex_destroy(&st->lock);
	free(st->path);
	free(st);
}

imsd_db *imsd_store_acquire(imsd_store *st, hwims_error *err)
{
	imsd_db *db = NULL;

	pthread_mutex_lock(&st->lock);
	if (st->n_idle > 0)
		db = st->idle[--st->n_idle];
	pthread_mutex_unlock(&st->lock);
	return db ? db : db_open(st, err);
}

void imsd_store_release(imsd_store *st, imsd_db *db)
{
	if (!db)
		return;
	/* A connection left inside a transaction by a bug must not leak it. */
	if (!sqlite3_get_autocommit(db->conn))
		sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
	pthread_mutex_lock(&st->lock);
	if (st->n_idle < POOL_MAX) {
		st->idle[st->n_idle++] = db;
		db = NULL;
	}
	pthread_mutex_unlock(&st->lock);
	db_close(db);
}

sqlite3_stmt *imsd_db_stmt(imsd_db *db, const char *sql, hwims_error *err)
{
	sqlite3_stmt *stmt = NULL;
	size_t slot;

	for (size_t i = 0; i < db->n_cache; i++) {
		if (strcmp(db->cache[i].sql, sql) == 0) {
			stmt = db->cache[i].stmt;
			sqlite3_reset(stmt);
			sqlite3_clear_bindings(stmt);
			return stmt;
		}
	}
	if (sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) !=
	    SQLITE_OK) {
		imsd_db_error(db, err, "prepare");
		return NULL;
	}
	char *copy = strdup(sql);
	if (!copy) {
		sqlite3_finalize(stmt);
		hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
		return NULL;
	}
	if (db->n_cache < STMT_CACHE) {
		slot = db->n_cache++;
	} else {
		slot = db->next_evict;
		db->next_evict = (db->next_evict + 1) % STMT_CACHE;
		sqlite3_finalize(db->cache[slot].stmt);
		free(db->cache[slot].sql);
	}
	db->cache[slot].sql = copy;
	db->cache[slot].stmt = stmt;
	return stmt;
}

int imsd_db_begin(imsd_db *db, hwims_error *err)
{
	return imsd_db_exec(db, "BEGIN IMMEDIATE", err);
}

int imsd_db_commit(imsd_db *db, hwims_error *err)
{
	if (imsd_db_exec(db, "COMMIT", err)) {
		imsd_db_rollback(db);
		return -1;
	}
	return 0;
}

void imsd_db_rollback(imsd_db *db)
{
	if (!sqlite3_get_autocommit(db->conn))
		sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
}

int imsd_db_meta_get(imsd_db *db, const char *key, hwims_error *err)
{
	sqlite3_stmt *st = imsd_db_stmt(db, "SELECT 1 FROM meta WHERE key=?1", err);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return imsd_db_error(db, err, "meta");
}

int imsd_db_meta_set(imsd_db *db, const char *key, const char *value, hwims_error *err)
{
	sqlite3_stmt *st =
	    imsd_db_stmt(db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)", err);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : imsd_db_error(db, err, "meta");
}
