/*
 * store.h - SQLite persistence under --data DIR (imsd.db, WAL mode).
 *
 * Each server thread takes a connection from a small pool for the length of
 * one request (imsd_store_acquire / imsd_store_release), so no connection is
 * ever shared between threads; every connection caches its prepared
 * statements. Writes that touch more than one row run in one IMMEDIATE
 * transaction so a failure never leaves half a copy behind.
 */
#ifndef IMSD_STORE_H
#define IMSD_STORE_H

#include <sqlite3.h>

#include <hwims/error.h>

typedef struct imsd_store imsd_store;
typedef struct imsd_db imsd_db;

/* Open (creating) DIR/imsd.db and its schema. durable=0 turns off fsync
 * (fuzzing only). Caller frees with imsd_store_close. */
int imsd_store_open(imsd_store **out, const char *dir, int durable, hwims_error *err);
void imsd_store_close(imsd_store *st);

/* Borrow a connection; give it back with imsd_store_release. NULL on error. */
imsd_db *imsd_store_acquire(imsd_store *st, hwims_error *err);
void imsd_store_release(imsd_store *st, imsd_db *db);

/* A cached prepared statement for sql (which must be a string that lives as
 * long as the store, e.g. a literal or one built from a bounded set of
 * pieces: it is copied). The statement is reset and unbound. Borrowed: do
 * not finalize. NULL on error (err filled). */
sqlite3_stmt *imsd_db_stmt(imsd_db *db, const char *sql, hwims_error *err);

/* Run sql without results. */
int imsd_db_exec(imsd_db *db, const char *sql, hwims_error *err);
int imsd_db_begin(imsd_db *db, hwims_error *err); /* BEGIN IMMEDIATE */
int imsd_db_commit(imsd_db *db, hwims_error *err);
void imsd_db_rollback(imsd_db *db);

/* Fill err from the connection's last error. Returns -1. */
int imsd_db_error(imsd_db *db, hwims_error *err, const char *what);

/* 1 if the store's meta table has key, else 0; -1 on error. */
int imsd_db_meta_get(imsd_db *db, const char *key, hwims_error *err);
int imsd_db_meta_set(imsd_db *db, const char *key, const char *value, hwims_error *err);

#endif
