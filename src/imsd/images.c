/* images.c - image rows in the store (see images.h). */
#include "images.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imsd.h"

/* ?1 is always "now". */
#define STATUS_EXPR IMSD_STATUS_SQL
#define VISIBLE     "(deleted_at IS NULL OR deleted_at > ?1) AND NOT (fail = 1 AND ready_at <= ?1)"

void imsd_image_clear(imsd_image *img)
{
	json_decref(img->doc);
	memset(img, 0, sizeof(*img));
}

static void copy_col(char *dst, size_t n, sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	snprintf(dst, n, "%s", s ? (const char *)s : "");
}

int imsd_image_get(imsd_db *db, const char *region, const char *id, double now, imsd_image *img,
                   hwims_error *err)
{
	static const char SQL_ANY[] =
	    "SELECT " STATUS_EXPR ", region, owner, imagetype, visibility, size, ready_at, "
	    "deleted_at, doc FROM images WHERE id=?2 AND " VISIBLE;
	static const char SQL_REGION[] =
	    "SELECT " STATUS_EXPR ", region, owner, imagetype, visibility, size, ready_at, "
	    "deleted_at, doc FROM images WHERE id=?2 AND region=?3 AND " VISIBLE;
	sqlite3_stmt *st = imsd_db_stmt(db, region ? SQL_REGION : SQL_ANY, err);
	int rc;

	memset(img, 0, sizeof(*img));
	if (!st)
		return -1;
	sqlite3_bind_double(st, 1, now);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	if (region)
		sqlite3_bind_text(st, 3, region, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_ROW) {
		imsd_db_error(db, err, "image lookup");
		sqlite3_reset(st);
		return -1;
	}
	snprintf(img->id, sizeof(img->id), "%s", id);
	copy_col(img->status, sizeof(img->status), st, 0);
	copy_col(img->region, sizeof(img->region), st, 1);
	copy_col(img->owner, sizeof(img->owner), st, 2);
	copy_col(img->imagetype, sizeof(img->imagetype), st, 3);
	copy_col(img->visibility, sizeof(img->visibility), st, 4);
	img->size = sqlite3_column_int64(st, 5);
	img->is_copy = sqlite3_column_type(st, 6) != SQLITE_NULL;
	img->ready_at = sqlite3_column_double(st, 6);
	img->deleting = sqlite3_column_type(st, 7) != SQLITE_NULL;
	img->doc = json_loads((const char *)sqlite3_column_text(st, 8), 0, NULL);
	sqlite3_reset(st);
	if (!img->doc) {
		hwims_error_set(err, HWIMS_ERR_INTERNAL, "store: image %s has a corrupt record",
		                id);
		return -1;
	}
	json_object_set_new(img->doc, "status", json_string(img->status));
	if (img->is_copy && strcmp(img->status, "active") == 0) {
		char t[32];
		imsd_format_time(img->ready_at, t, sizeof(t));
		json_object_set_new(img->doc, "active_at", json_string(t));
		json_object_set_new(img->doc, "updated_at", json_string(t));
	}
	return 1;
}

static const char *doc_str(json_t *doc, const char *key, const char *def)
{
	json_t *v = json_object_get(doc, key);
	return json_is_string(v) ? json_string_value(v) : def;
}

/* The stored text: the object without the members derived on read. */
static char *stored_text(json_t *doc, int is_copy)
{
	json_t *c = json_copy(doc);
	char *text;

	if (!c)
		return NULL;
	json_object_del(c, "status");
	json_object_del(c, "region");
	if (is_copy)
		json_object_del(c, "active_at");
	text = json_dumps(c, JSON_COMPACT);
	json_decref(c);
	return text;
}

int imsd_image_insert(imsd_db *db, const char *region, json_t *doc, const char *status,
                      double init_end, double ready_at, int fail, hwims_error *err)
{
	static const char SQL[] =
	    "INSERT INTO images(id, region, name, imagetype, visibility, owner, eps, status, size, "
	    "init_end, ready_at, fail, doc) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)";
	sqlite3_stmt *st = imsd_db_stmt(db, SQL, err);
	int is_copy = ready_at > 0;
	char *text;
	int rc;

	if (!st)
		return -1;
	text = stored_text(doc, is_copy);
	if (!text)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	sqlite3_bind_text(st, 1, doc_str(doc, "id", ""), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, region, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, doc_str(doc, "name", ""), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, doc_str(doc, "__imagetype", "private"), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, doc_str(doc, "visibility", "private"), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, doc_str(doc, "owner", ""), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 7, doc_str(doc, "enterprise_project_id", "0"), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 8, status ? status : "active", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 9, strtoll(doc_str(doc, "__image_size", "0"), NULL, 10));
	if (is_copy) {
		sqlite3_bind_double(st, 10, init_end);
		sqlite3_bind_double(st, 11, ready_at);
	}
	sqlite3_bind_int(st, 12, fail ? 1 : 0);
	sqlite3_bind_text(st, 13, text, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	free(text);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return imsd_db_error(db, err, "image insert");
	return 0;
}

int imsd_image_update(imsd_db *db, const imsd_image *img, json_t *doc, hwims_error *err)
{
	static const char SQL[] = "UPDATE images SET name=?2, eps=?3, doc=?4 WHERE id=?1";
	sqlite3_stmt *st = imsd_db_stmt(db, SQL, err);
	char *text;
	int rc;

	if (!st)
		return -1;
	text = stored_text(doc, img->is_copy);
	if (!text)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	sqlite3_bind_text(st, 1, img->id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, doc_str(doc, "name", ""), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, doc_str(doc, "enterprise_project_id", "0"), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, text, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	free(text);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : imsd_db_error(db, err, "image update");
}

int imsd_image_mark_deleted(imsd_db *db, const char *id, double at, hwims_error *err)
{
	sqlite3_stmt *st = imsd_db_stmt(
	    db, "UPDATE images SET deleted_at=?2 WHERE id=?1 AND deleted_at IS NULL", err);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 2, at);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : imsd_db_error(db, err, "image delete");
}

int imsd_image_count_private(imsd_db *db, const char *region, const char *owner, double now,
                             int64_t *count, hwims_error *err)
{
	sqlite3_stmt *st = imsd_db_stmt(db,
	                                "SELECT count(*) FROM images WHERE region=?2 AND owner=?3 "
	                                "AND imagetype='private' AND " VISIBLE,
	                                err);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_double(st, 1, now);
	sqlite3_bind_text(st, 2, region, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, owner, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*count = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : imsd_db_error(db, err, "image count");
}

/* The SQL text of a query under construction, and what its placeholders bind (?1 is now, ?2
 * the region, the rest in order from ?3). */
typedef struct list_sql {
	char text[8192];
	size_t len;
	const char *values[IMSD_MAX_CONDS + 8];
	imsd_bind binds[IMSD_MAX_CONDS + 8];
	int n;
	int overflow;
} list_sql;

static void sql_add(list_sql *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sql_add(list_sql *b, const char *fmt, ...)
{
	va_list ap;

	if (b->overflow)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(b->text + b->len, sizeof(b->text) - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(b->text) - b->len)
		b->overflow = 1;
	else
		b->len += (size_t)n;
}

/* The number of the next placeholder, remembering what it binds. */
static int sql_param(list_sql *b, imsd_bind bind, const char *value)
{
	if (b->n >= (int)(sizeof(b->values) / sizeof(b->values[0]))) {
		b->overflow = 1;
		return 0;
	}
	b->binds[b->n] = bind;
	b->values[b->n++] = value;
	return b->n + 2;
}

static void list_build_sql(list_sql *b, const imsd_image_query *q)
{
	const char *sort = q->sort_expr ? q->sort_expr : "seq";
	const char *dir = q->ascending ? "ASC" : "DESC";

	sql_add(b,
	        "SELECT " STATUS_EXPR ", ready_at, doc FROM images WHERE region=?2 AND " VISIBLE);
	for (size_t i = 0; i < q->n_conds; i++) {
		const imsd_image_cond *c = &q->conds[i];
		int n = sql_param(b, c->bind, c->value);
		sql_add(b, " AND (%s)%s?%d", c->lhs, c->op, n);
	}
	if (q->tag_key) {
		int k = sql_param(b, IMSD_BIND_TEXT, q->tag_key);
		int v = sql_param(b, IMSD_BIND_TEXT, q->tag_value ? q->tag_value : "");
		sql_add(b,
		        " AND EXISTS(SELECT 1 FROM tags t WHERE t.image_id=images.id AND t.key=?%d "
		        "AND t.value=?%d)",
		        k, v);
	}
	/* Rows after the marker in this order; seq breaks ties so no row is seen twice. The
	 * sort expression is evaluated on the marker's own row in the subquery. */
	if (q->marker) {
		int m = sql_param(b, IMSD_BIND_TEXT, q->marker);
		sql_add(b,
		        " AND (%s, seq) %s (SELECT %s, seq FROM images WHERE id=?%d AND region=?2)",
		        sort, q->ascending ? ">" : "<", sort, m);
	}
	sql_add(b, " ORDER BY %s %s, seq %s LIMIT ?%d", sort, dir, dir,
	        sql_param(b, IMSD_BIND_INT, NULL));
}

static void list_bind(sqlite3_stmt *st, const list_sql *b, const char *region, double now,
                      int64_t limit)
{
	sqlite3_bind_double(st, 1, now);
	sqlite3_bind_text(st, 2, region, -1, SQLITE_STATIC);
	for (int i = 0; i < b->n; i++) {
		if (!b->values[i])
			sqlite3_bind_int64(st, i + 3, limit);
		else if (b->binds[i] == IMSD_BIND_INT)
			sqlite3_bind_int64(st, i + 3, strtoll(b->values[i], NULL, 10));
		else
			sqlite3_bind_text(st, i + 3, b->values[i], -1, SQLITE_STATIC);
	}
}

/* One row as an image object: the derived status (and active_at of a finished copy) first,
 * then the stored members. Returns 0, or -1 out of memory. */
static int list_emit_row(sqlite3_stmt *st, int first, hwims_buf *out)
{
	const char *status = (const char *)sqlite3_column_text(st, 0);
	const char *doc = (const char *)sqlite3_column_text(st, 2);
	int len = sqlite3_column_bytes(st, 2);

	if (!doc || len < 2 || doc[0] != '{')
		return 1; /* a corrupt row is left out rather than breaking the page */
	if (hwims_buf_printf(out, "%s{\"status\":\"%s\",", first ? "" : ",",
	                     status ? status : "active") < 0)
		return -1;
	if (sqlite3_column_type(st, 1) != SQLITE_NULL && status && strcmp(status, "active") == 0) {
		char t[32];
		imsd_format_time(sqlite3_column_double(st, 1), t, sizeof(t));
		if (hwims_buf_printf(out, "\"active_at\":\"%s\",", t) < 0)
			return -1;
	}
	return hwims_buf_append(out, doc + 1, (size_t)len - 1) < 0 ? -1 : 0;
}

int imsd_image_list(imsd_db *db, const char *region, const imsd_image_query *q, double now,
                    hwims_buf *out, hwims_error *err)
{
	list_sql *b = calloc(1, sizeof(*b));
	int rc = SQLITE_DONE, first = 1, bad = 0;

	if (!b)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	list_build_sql(b, q);
	if (b->overflow) {
		free(b);
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "query too complex");
	}
	sqlite3_stmt *st = imsd_db_stmt(db, b->text, err);
	if (!st) {
		free(b);
		return -1;
	}
	list_bind(st, b, region, now, q->limit);
	free(b); /* the bound values point into q, not into b */
	bad = hwims_buf_puts(out, "{\"images\":[") < 0;
	while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int e = list_emit_row(st, first, out);
		bad = e < 0;
		first = first && e != 0;
	}
	sqlite3_reset(st);
	if (bad || hwims_buf_puts(out, "]}") < 0)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	return rc == SQLITE_DONE ? 0 : imsd_db_error(db, err, "image query");
}

int imsd_image_eps_resources(imsd_db *db, const char *region, const char *owner, const char *eps,
                             double now, json_t *arr, hwims_error *err)
{
	sqlite3_stmt *st = imsd_db_stmt(db,
	                                "SELECT id, name FROM images WHERE region=?2 AND owner=?3 "
	                                "AND eps=?4 AND " VISIBLE " ORDER BY seq",
	                                err);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_double(st, 1, now);
	sqlite3_bind_text(st, 2, region, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, owner, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, eps, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_array_append_new(
		    arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:{}}", "resource_id",
		                   (const char *)sqlite3_column_text(st, 0), "resource_name",
		                   (const char *)sqlite3_column_text(st, 1), "resource_type",
		                   "images", "project_id", owner, "project_name", region,
		                   "enterprise_project_id", eps, "resource_detail"));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : imsd_db_error(db, err, "EPS resources");
}

/* Members every image object carries; the seed gives what differs. */
static int fill_defaults(json_t *img, const imsd_region *region)
{
	const char *id = json_string_value(json_object_get(img, "id"));
	char path[160];
	int is_public =
	    json_is_string(json_object_get(img, "visibility")) &&
	    strcmp(json_string_value(json_object_get(img, "visibility")), "public") == 0;
	struct {
		const char *key;
		json_t *value;
	} defs[] = {
	    {"visibility", json_string("private")},
	    {"__imagetype", json_string("private")},
	    {"protected", json_false()},
	    {"owner", json_string(is_public ? "" : region->project_id)},
	    {"__isregistered", json_string("true")},
	    {"min_ram", json_integer(0)},
	    {"min_disk", json_integer(40)},
	    {"__image_size", json_string("0")},
	    {"size", json_integer(2)},
	    {"virtual_size", json_integer(0)},
	    {"checksum", json_string("d41d8cd98f00b204e9800998ecf8427e")},
	    {"container_format", json_string("bare")},
	    {"disk_format", json_string("zvhd2")},
	    {"tags", json_array()},
	    {"enterprise_project_id", json_string("0")},
	    {"__originalimagename", json_string("")},
	    {"__backup_id", json_string("")},
	    {"__productcode", json_string("")},
	    {"__os_bit", json_string("64")},
	    {"__image_source_type", json_string("uds")},
	    {"__lazyloading", json_string("true")},
	    {"__system_support_market", json_false()},
	    {"__is_offshelved", json_string("false")},
	    {"__account_code", json_string("")},
	    {"created_at", json_string("2026-01-01T00:00:00Z")},
	    {"updated_at", json_string("2026-01-01T00:00:00Z")},
	    {"active_at", json_string("2026-01-01T00:00:00Z")},
	    {"schema", json_string("/v2/schemas/image")},
	};
	int rc = 0;

	for (size_t i = 0; i < sizeof(defs) / sizeof(defs[0]); i++) {
		if (!defs[i].value)
			rc = -1;
		else if (!json_object_get(img, defs[i].key))
			json_object_set(img, defs[i].key, defs[i].value);
		json_decref(defs[i].value);
	}
	snprintf(path, sizeof(path), "/v2/images/%s", id);
	if (!json_object_get(img, "self"))
		json_object_set_new(img, "self", json_string(path));
	snprintf(path, sizeof(path), "/v2/images/%s/file", id);
	if (!json_object_get(img, "file"))
		json_object_set_new(img, "file", json_string(path));
	if (!json_object_get(img, "__image_displayname"))
		json_object_set(img, "__image_displayname", json_object_get(img, "name"));
	return rc;
}

int imsd_images_import_seed(imsd_db *db, const imsd_seed *seed, hwims_error *err)
{
	size_t i;
	json_t *el;

	json_array_foreach(seed->images, i, el)
	{
		const char *region = json_string_value(json_object_get(el, "region"));
		const imsd_region *r = imsd_seed_region(seed, region);
		json_t *img = json_deep_copy(el);
		const char *status;
		int rc;

		if (!img || !r || fill_defaults(img, r) != 0) {
			json_decref(img);
			return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
		}
		status = doc_str(el, "status", "active");
		rc = imsd_image_insert(db, region, img, status, 0, 0, 0, err);
		json_decref(img);
		if (rc)
			return hwims_error_prefix(err, "seed image %zu: ", i);
	}
	return 0;
}
