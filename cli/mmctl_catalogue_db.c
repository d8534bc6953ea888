/*
 * The catalogue in MariaDB: reading the rows as canonical JSON objects,
 * writing one object as one row, the version every change bumps, the lock
 * whole-document writers take, and the report of validation problems.
 *
 * A row and a document's object are compared as canonical compact JSON:
 * only rows that differ are written, so an import of what is stored
 * changes nothing, not even updated_at.
 */

#include <stdlib.h>
#include <string.h>

#include "mmctl_catalogue.h"
#include "mmctl_text.h"
#include "mana_buf.h"


static json_t *mmctl_catalogue_rows(mmctl_ctx_t *ctx, const char *kind,
    const char *sql);
static json_t *mmctl_catalogue_row(mmctl_ctx_t *ctx, const char *kind,
    MYSQL_ROW row, unsigned long *len);
static json_t *mmctl_catalogue_cell_json(mmctl_ctx_t *ctx, const char *kind,
    const char *code, const char *col, const char *s, unsigned long n);
static json_t *mmctl_catalogue_fee(const char *s);
static void mmctl_catalogue_sql_json(mana_buf_t *b, json_t *v);
static void mmctl_catalogue_sql_str(mana_buf_t *b, json_t *v);
static int mmctl_catalogue_write_district(mmctl_ctx_t *ctx, json_t *obj,
    json_t *old, int *result);
static int mmctl_catalogue_apply(mmctl_ctx_t *ctx,
    const mmctl_catalogue_kind_t *k, mmctl_args_t *args, json_t *obj);
static int mmctl_catalogue_enabled(mmctl_ctx_t *ctx,
    const mmctl_catalogue_kind_t *k, mmctl_args_t *args, json_t *obj);
static int mmctl_catalogue_validate(mmctl_ctx_t *ctx,
    const mmctl_catalogue_kind_t *k, json_t *obj, int warnings);


int
mmctl_catalogue_connect(mmctl_ctx_t *ctx)
{
    int  rc, exists;

    if (ctx->mysql) {
        return MMCTL_OK;
    }

    rc = mmctl_connect(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_use_database(ctx, 0, &exists);
    if (rc != MMCTL_OK) {
        return rc;
    }

    if (!exists) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "database %s does "
                           "not exist: run \"mmctl db migrate\"",
                           ctx->db.database);
    }

    return MMCTL_OK;
}


int
mmctl_catalogue_bump(mmctl_ctx_t *ctx)
{
    int  rc;

    rc = mmctl_exec(ctx, "cannot bump the catalogue version",
                    "UPDATE catalogue_version SET version = version + 1 "
                    "WHERE id = 1");
    if (rc != MMCTL_OK) {
        return rc;
    }

    /* without its row, workers would never see a change: say so */
    if (mysql_affected_rows(ctx->mysql) != 1) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "catalogue_version "
                           "has no row with id 1: is the schema migrated?");
    }

    return MMCTL_OK;
}


/* the first column of the one row of a query, or NULL (after an error) */

static char *
mmctl_catalogue_value(mmctl_ctx_t *ctx, const char *what, const char *sql)
{
    char       *v;
    MYSQL_RES  *res;
    MYSQL_ROW   row;

    if (mysql_real_query(ctx->mysql, sql, strlen(sql)) != 0
        || (res = mysql_store_result(ctx->mysql)) == NULL)
    {
        mmctl_query_error(ctx, what);
        return NULL;
    }

    row = mysql_fetch_row(res);
    v = strdup(row && row[0] ? row[0] : "");
    mysql_free_result(res);

    if (v == NULL) {
        mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    return v;
}


long long
mmctl_catalogue_version(mmctl_ctx_t *ctx)
{
    char       *s;
    long long   v;

    s = mmctl_catalogue_value(ctx, "cannot read the catalogue version",
                              "SELECT version FROM catalogue_version "
                              "WHERE id = 1");
    if (s == NULL) {
        return -1;
    }

    v = *s ? strtoll(s, NULL, 10) : 0;
    free(s);

    return v;
}


int
mmctl_catalogue_lock(mmctl_ctx_t *ctx)
{
    int    got;
    char  *s;

    s = mmctl_catalogue_value(ctx, "cannot take the catalogue lock",
                              "SELECT GET_LOCK('mana_catalogue', 30)");
    if (s == NULL) {
        return MMCTL_FAILED;
    }

    got = (strcmp(s, "1") == 0);
    free(s);

    if (!got) {
        return mmctl_error(ctx, MMCTL_FAILED, "lock_timeout", "another "
                           "change to the catalogue held its lock for 30 "
                           "seconds: try again");
    }

    return MMCTL_OK;
}


void
mmctl_catalogue_unlock(mmctl_ctx_t *ctx)
{
    (void) mmctl_exec(ctx, "cannot release the catalogue lock",
                      "DO RELEASE_LOCK('mana_catalogue')");
}


int
mmctl_catalogue_begin(mmctl_ctx_t *ctx)
{
    return mmctl_exec(ctx, "cannot start a transaction", "START TRANSACTION");
}


int
mmctl_catalogue_commit(mmctl_ctx_t *ctx)
{
    return mmctl_exec(ctx, "cannot commit", "COMMIT");
}


void
mmctl_catalogue_rollback(mmctl_ctx_t *ctx)
{
    if (mysql_real_query(ctx->mysql, "ROLLBACK", 8) != 0) {
        mmctl_warn("cannot roll back: %s", mysql_error(ctx->mysql));
    }
}


/* the columns of each kind, in the order mmctl_catalogue_row() reads them */

static const char  mmctl_catalogue_department_sql[] =
    "SELECT d.code, d.enabled, d.sort_order, d.name, d.description, "
    "d.contact FROM department d";

static const char  mmctl_catalogue_office_sql[] =
    "SELECT o.code, d.code, o.district, o.mandal, o.enabled, o.name, "
    "o.address, o.contact FROM office o LEFT JOIN department d "
    "ON d.id = o.department_id";

static const char  mmctl_catalogue_service_sql[] =
    "SELECT s.code, d.code, s.type, s.enabled, s.popular, s.sort_order, "
    "s.fee, s.sla_days, s.name, s.description, s.keywords, s.intents, "
    "s.documents, s.content, s.form FROM service s LEFT JOIN department d "
    "ON d.id = s.department_id";

/* by English name, byte for byte as lib's strcmp() sorts them */
static const char  mmctl_catalogue_district_sql[] =
    "SELECT name_en, name FROM district ORDER BY name_en COLLATE utf8mb4_bin";


/* a kind's query, limited by where, in code order (strcmp's, as lib's) */

static json_t *
mmctl_catalogue_query(mmctl_ctx_t *ctx, const char *kind, const char *where)
{
    char        c;
    json_t     *out;
    mana_buf_t  sql;

    c = kind[0];

    mana_buf_init(&sql);
    mana_buf_adds(&sql, c == 'd' ? mmctl_catalogue_department_sql
                        : c == 'o' ? mmctl_catalogue_office_sql
                        : mmctl_catalogue_service_sql);

    if (where) {
        mana_buf_addf(&sql, " WHERE %s", where);
    }

    mana_buf_addf(&sql, " ORDER BY %c.code COLLATE ascii_bin", c);
    mana_buf_add(&sql, "", 1);

    if (mana_buf_failed(&sql)) {
        mana_buf_free(&sql);
        mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
        return NULL;
    }

    out = mmctl_catalogue_rows(ctx, kind, sql.data);
    mana_buf_free(&sql);

    return out;
}


int
mmctl_catalogue_read(mmctl_ctx_t *ctx, json_t **doc, const char *where)
{
    json_t  *d, *o, *s, *w;

    *doc = NULL;

    d = where ? json_array() : mmctl_catalogue_query(ctx, "department", NULL);
    o = (d == NULL || where) ? json_array()
        : mmctl_catalogue_query(ctx, "office", NULL);
    s = (d == NULL || o == NULL) ? NULL
        : mmctl_catalogue_query(ctx, "service", where);
    w = (s == NULL || where) ? json_array()
        : mmctl_catalogue_rows(ctx, "district", mmctl_catalogue_district_sql);

    if (d == NULL || o == NULL || s == NULL || w == NULL) {
        json_decref(d);
        json_decref(o);
        json_decref(s);
        json_decref(w);
        return MMCTL_FAILED;
    }

    *doc = json_pack("{s:s,s:o,s:o,s:o}", "format", MANA_CAT_FORMAT,
                     "departments", d, "offices", o, "services", s);

    /* as lib's canonical document: no districts, no key */
    if (*doc && json_array_size(w)
        && json_object_set(*doc, "districts", w) != 0)
    {
        json_decref(*doc);
        *doc = NULL;
    }

    json_decref(w);

    if (*doc == NULL) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    return MMCTL_OK;
}


int
mmctl_catalogue_read_one(mmctl_ctx_t *ctx, const char *kind,
    const char *code, json_t **obj)
{
    json_t      *list;
    mana_buf_t   where;

    *obj = NULL;

    mana_buf_init(&where);
    mana_buf_addf(&where, "%c.code = ", kind[0]);
    mana_buf_add_sql_text(&where, code, strlen(code));
    mana_buf_add(&where, "", 1);

    if (mana_buf_failed(&where)) {
        mana_buf_free(&where);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    list = mmctl_catalogue_query(ctx, kind, where.data);
    mana_buf_free(&where);

    if (list == NULL) {
        return MMCTL_FAILED;
    }

    *obj = json_incref(json_array_get(list, 0));
    json_decref(list);

    return MMCTL_OK;
}


int
mmctl_catalogue_department_exists(mmctl_ctx_t *ctx, const char *code)
{
    int          exists;
    char        *s;
    mana_buf_t   sql;

    mana_buf_init(&sql);
    mana_buf_adds(&sql, "SELECT COUNT(*) FROM department WHERE code = ");
    mana_buf_add_sql_text(&sql, code, strlen(code));
    mana_buf_add(&sql, "", 1);

    if (mana_buf_failed(&sql)) {
        mana_buf_free(&sql);
        mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
        return -1;
    }

    s = mmctl_catalogue_value(ctx, "cannot look the department up",
                              sql.data);
    mana_buf_free(&sql);

    if (s == NULL) {
        return -1;
    }

    exists = (strcmp(s, "0") != 0);
    free(s);

    return exists;
}


/* every row of sql as a canonical object of kind */

static json_t *
mmctl_catalogue_rows(mmctl_ctx_t *ctx, const char *kind, const char *sql)
{
    json_t         *out, *obj;
    MYSQL_RES      *res;
    MYSQL_ROW       row;
    unsigned long  *len;

    if (mysql_real_query(ctx->mysql, sql, strlen(sql)) != 0
        || (res = mysql_store_result(ctx->mysql)) == NULL)
    {
        mmctl_query_error(ctx, "cannot read the catalogue");
        return NULL;
    }

    out = json_array();

    while (out && (row = mysql_fetch_row(res)) != NULL) {
        len = mysql_fetch_lengths(res);
        obj = mmctl_catalogue_row(ctx, kind, row, len);

        if (obj == NULL) {
            json_decref(out);
            out = NULL;
            break;
        }

        json_array_append_new(out, obj);
    }

    mysql_free_result(res);

    return out;
}


#define mmctl_cat_str(i)                                                      \
    (row[i] ? json_stringn(row[i], len[i]) : json_null())
#define mmctl_cat_bool(i)  json_boolean(row[i] && strcmp(row[i], "0") != 0)
#define mmctl_cat_int(i)                                                      \
    (row[i] ? json_integer(strtoll(row[i], NULL, 10)) : json_null())
#define mmctl_cat_json(i, col)                                                \
    mmctl_catalogue_cell_json(ctx, kind, row[0], col, row[i], len[i])


static json_t *
mmctl_catalogue_row(mmctl_ctx_t *ctx, const char *kind, MYSQL_ROW row,
    unsigned long *len)
{
    json_t  *v, *c;

    if (strcmp(kind, "department") == 0) {
        v = json_pack("{s:o,s:o,s:o,s:o*,s:o*,s:o*}",
                      "code", mmctl_cat_str(0),
                      "enabled", mmctl_cat_bool(1),
                      "sort", mmctl_cat_int(2),
                      "name", mmctl_cat_json(3, "name"),
                      "description", mmctl_cat_json(4, "description"),
                      "contact", mmctl_cat_json(5, "contact"));
        c = v ? mana_cat_canonical_department(v) : NULL;

    } else if (strcmp(kind, "district") == 0) {
        v = json_pack("{s:o*}", "name", mmctl_cat_json(1, "name"));
        c = v ? mana_cat_canonical_district(v) : NULL;

    } else if (strcmp(kind, "office") == 0) {
        v = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o*,s:o*,s:o*}",
                      "code", mmctl_cat_str(0),
                      "department", mmctl_cat_str(1),
                      "district", mmctl_cat_str(2),
                      "mandal", mmctl_cat_str(3),
                      "enabled", mmctl_cat_bool(4),
                      "name", mmctl_cat_json(5, "name"),
                      "address", mmctl_cat_json(6, "address"),
                      "contact", mmctl_cat_json(7, "contact"));
        c = v ? mana_cat_canonical_office(v) : NULL;

    } else {
        v = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o*,s:o*,s:o*,"
                      "s:o*,s:o*,s:o*,s:o*}",
                      "code", mmctl_cat_str(0),
                      "department", mmctl_cat_str(1),
                      "type", mmctl_cat_str(2),
                      "enabled", mmctl_cat_bool(3),
                      "popular", mmctl_cat_bool(4),
                      "sort", mmctl_cat_int(5),
                      "fee", mmctl_catalogue_fee(row[6]),
                      "sla_days", mmctl_cat_int(7),
                      "name", mmctl_cat_json(8, "name"),
                      "description", mmctl_cat_json(9, "description"),
                      "keywords", mmctl_cat_json(10, "keywords"),
                      "intents", mmctl_cat_json(11, "intents"),
                      "documents", mmctl_cat_json(12, "documents"),
                      "content", mmctl_cat_json(13, "content"),
                      "form", mmctl_cat_json(14, "form"));
        c = v ? mana_cat_canonical_service(v) : NULL;
    }

    json_decref(v);

    if (c == NULL) {
        mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot read %s %s: a JSON "
                    "column is not valid JSON, or out of memory", kind,
                    row[0]);
    }

    return c;
}


/* a JSON column; NULL (leaving the key out) when it is not JSON */

static json_t *
mmctl_catalogue_cell_json(mmctl_ctx_t *ctx, const char *kind,
    const char *code, const char *col, const char *s, unsigned long n)
{
    json_t        *v;
    json_error_t   err;

    (void) ctx;

    if (s == NULL) {
        return NULL;
    }

    v = json_loadb(s, n, JSON_DECODE_ANY, &err);
    if (v == NULL) {
        mmctl_warn("%s %s: column %s is not JSON: %s", kind, code, col,
                   err.text);
    }

    return v;
}


/* DECIMAL(10,2) as the document has it: 20 and 12.5, not "20.00" */

static json_t *
mmctl_catalogue_fee(const char *s)
{
    const char  *dot;

    if (s == NULL) {
        return json_null();
    }

    dot = strchr(s, '.');

    if (dot == NULL || strspn(dot + 1, "0") == strlen(dot + 1)) {
        return json_integer(strtoll(s, NULL, 10));
    }

    return json_real(strtod(s, NULL));
}


static void
mmctl_catalogue_sql_json(mana_buf_t *b, json_t *v)
{
    char  *s;

    s = mana_cat_dump_compact(v);

    if (s == NULL) {
        b->failed = 1;
        return;
    }

    mana_buf_add_sql_text(b, s, strlen(s));
    free(s);
}


/* a string, a number (as JSON writes it) or NULL */

static void
mmctl_catalogue_sql_str(mana_buf_t *b, json_t *v)
{
    if (json_is_string(v)) {
        mana_buf_add_sql_text(b, json_string_value(v), json_string_length(v));

    } else if (json_is_boolean(v)) {
        mana_buf_adds(b, json_is_true(v) ? "1" : "0");

    } else if (json_is_number(v)) {
        mmctl_catalogue_sql_json(b, v);
        /* a number's JSON is a valid SQL literal too, quoted is fine */

    } else {
        mana_buf_adds(b, "NULL");
    }
}


int
mmctl_catalogue_store(mmctl_ctx_t *ctx, const char *kind, json_t *obj,
    int *added, int *changed)
{
    int      rc, result;
    json_t  *old;

    *added = 0;
    *changed = 0;

    rc = mmctl_catalogue_read_one(ctx, kind,
                                  json_string_value(json_object_get(obj,
                                                                    "code")),
                                  &old);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_catalogue_write(ctx, kind, obj, old, &result);
    json_decref(old);

    *added = (result == 1);
    *changed = (result != 0);

    return rc;
}


int
mmctl_catalogue_write(mmctl_ctx_t *ctx, const char *kind, json_t *obj,
    json_t *old, int *result)
{
    int          rc;
    char        *a, *b;
    size_t       i;
    mana_buf_t   sql;
    const char  *key;
    json_t      *v;

    static const char  *dept_cols[] = {
        "code", "enabled", "sort_order", "name", "description", "contact",
        NULL
    };
    static const char  *office_cols[] = {
        "code", "department_id", "district", "mandal", "enabled", "name",
        "address", "contact", NULL
    };
    static const char  *service_cols[] = {
        "code", "department_id", "type", "enabled", "popular", "sort_order",
        "fee", "sla_days", "name", "description", "keywords", "intents",
        "documents", "content", "form", NULL
    };
    const char         **cols;

    *result = 0;

    if (old) {
        a = mana_cat_dump_compact(obj);
        b = mana_cat_dump_compact(old);
        rc = (a && b && strcmp(a, b) == 0);
        free(a);
        free(b);

        if (rc) {
            return MMCTL_OK;
        }
    }

    if (strcmp(kind, "district") == 0) {
        return mmctl_catalogue_write_district(ctx, obj, old, result);
    }

    cols = strcmp(kind, "department") == 0 ? dept_cols
           : strcmp(kind, "office") == 0 ? office_cols : service_cols;

    mana_buf_init(&sql);
    mana_buf_addf(&sql, "INSERT INTO %s (", kind);

    for (i = 0; cols[i]; i++) {
        mana_buf_addf(&sql, "%s%s", i ? ", " : "", cols[i]);
    }

    mana_buf_adds(&sql, ") VALUES (");

    /* the canonical object's keys come in the columns' order */
    i = 0;

    json_object_foreach(obj, key, v) {
        if (cols[i] == NULL) {
            break;
        }

        mana_buf_adds(&sql, i ? ", " : "");

        if (strcmp(key, "department") == 0) {
            mana_buf_adds(&sql, "(SELECT id FROM department WHERE code = ");
            mmctl_catalogue_sql_str(&sql, v);
            mana_buf_adds(&sql, ")");

        } else if (json_is_object(v) || json_is_array(v)) {
            mmctl_catalogue_sql_json(&sql, v);

        } else {
            mmctl_catalogue_sql_str(&sql, v);
        }

        i++;
    }

    mana_buf_adds(&sql, ") ON DUPLICATE KEY UPDATE ");

    for (i = 1; cols[i]; i++) {
        mana_buf_addf(&sql, "%s%s = VALUES(%s)", i > 1 ? ", " : "", cols[i],
                      cols[i]);
    }

    mana_buf_add(&sql, "", 1);

    if (mana_buf_failed(&sql)) {
        mana_buf_free(&sql);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    a = NULL;

    if (mysql_real_query(ctx->mysql, sql.data, strlen(sql.data)) != 0) {
        a = "cannot write";
    }

    mana_buf_free(&sql);

    if (a) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot write %s "
                           "%s: ERROR %u (%s): %s", kind,
                           json_string_value(json_object_get(obj, "code")),
                           mysql_errno(ctx->mysql), mysql_sqlstate(ctx->mysql),
                           mysql_error(ctx->mysql));
    }

    *result = old ? 2 : 1;

    return MMCTL_OK;
}


/*
 * A district's row is found by its English name: the one name offices
 * and requests keep, so a district is renamed in the other languages only
 * (or its English spelling in another case).
 */

static int
mmctl_catalogue_write_district(mmctl_ctx_t *ctx, json_t *obj, json_t *old,
    int *result)
{
    int          rc;
    json_t      *en;
    mana_buf_t   sql;

    en = json_object_get(json_object_get(obj, "name"), "en");

    mana_buf_init(&sql);
    mana_buf_adds(&sql, "INSERT INTO district (name_en, name) VALUES (");
    mmctl_catalogue_sql_str(&sql, en);
    mana_buf_adds(&sql, ", ");
    mmctl_catalogue_sql_json(&sql, json_object_get(obj, "name"));
    mana_buf_adds(&sql, ") ON DUPLICATE KEY UPDATE name_en = VALUES(name_en), "
                        "name = VALUES(name)");
    mana_buf_add(&sql, "", 1);

    if (mana_buf_failed(&sql)) {
        mana_buf_free(&sql);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    rc = mysql_real_query(ctx->mysql, sql.data, strlen(sql.data));
    mana_buf_free(&sql);

    if (rc != 0) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot write "
                           "district %s: ERROR %u (%s): %s",
                           json_string_value(en), mysql_errno(ctx->mysql),
                           mysql_sqlstate(ctx->mysql),
                           mysql_error(ctx->mysql));
    }

    *result = old ? 2 : 1;

    return MMCTL_OK;
}


int
mmctl_catalogue_edit(mmctl_ctx_t *ctx, const mmctl_catalogue_kind_t *k,
    const char *code, mmctl_args_t *args, json_t *obj, int enabled)
{
    int          rc, adding, begun, added, changed;
    char         sql[256], what[64];
    json_t      *old, *canon;
    long long    version;

    adding = (obj != NULL);
    begun = 0;
    changed = 0;
    old = NULL;
    canon = NULL;
    rc = MMCTL_OK;

    if (!adding) {
        rc = mmctl_catalogue_connect(ctx);
        if (rc != MMCTL_OK) {
            return rc;
        }

        if (!mana_cat_code_valid(k->rule, code)) {
            return mmctl_error(ctx, MMCTL_FAILED, "failed", "no %s %s",
                               k->kind, code);
        }

        rc = mmctl_catalogue_begin(ctx);
        if (rc != MMCTL_OK) {
            return rc;
        }

        begun = 1;

        /*
         * A concurrent update must not be lost between the read and the
         * write.  The code was checked against its rule: it needs no
         * escaping.
         */
        snprintf(sql, sizeof(sql),
                 "SELECT id FROM %s WHERE code = '%s' FOR UPDATE", k->kind,
                 code);
        snprintf(what, sizeof(what), "cannot lock the %s", k->kind);

        rc = mmctl_exec(ctx, what, sql);

        if (rc == MMCTL_OK) {
            rc = mmctl_catalogue_read_one(ctx, k->kind, code, &obj);
        }

        if (rc == MMCTL_OK && obj == NULL) {
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "no %s %s",
                             k->kind, code);
        }

        if (rc != MMCTL_OK) {
            goto done;
        }
    }

    if (args) {
        rc = mmctl_catalogue_apply(ctx, k, args, obj);

    } else {
        json_object_set_new(obj, "enabled", json_boolean(enabled));
    }

    if (rc == MMCTL_OK && adding
        && mmctl_text_get(json_object_get(obj, "name"), "en") == NULL)
    {
        rc = mmctl_usage_error(ctx, "--name-en TEXT is required");
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_catalogue_validate(ctx, k, obj,
                                      adding
                                      || (args && (args->opt[k->name_en]
                                                   || args->opt[k->name_te]
                                                   || args->opt[k->name])));
    }

    if (rc == MMCTL_OK && !adding && k->verify) {
        rc = k->verify(ctx, args, obj);
    }

    if (rc == MMCTL_OK) {
        canon = k->canonical(obj);
        if (canon == NULL) {
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
        }
    }

    if (rc == MMCTL_OK && adding) {
        rc = mmctl_catalogue_connect(ctx);

        if (rc == MMCTL_OK) {
            rc = mmctl_catalogue_begin(ctx);
            begun = (rc == MMCTL_OK);
        }

        if (rc == MMCTL_OK && k->verify) {
            rc = k->verify(ctx, args, canon);
        }

        if (rc == MMCTL_OK) {
            rc = mmctl_catalogue_read_one(ctx, k->kind, code, &old);
        }

        if (rc == MMCTL_OK && old) {
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed",
                             "%s %s already exists: use \"mmctl %s update "
                             "%s\"", k->kind, code, ctx->noun->name, code);
        }
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_catalogue_store(ctx, k->kind, canon, &added, &changed);
    }

    if (rc == MMCTL_OK && (adding || changed)) {
        rc = mmctl_catalogue_bump(ctx);
    }

    version = -1;

    if (rc == MMCTL_OK) {
        version = mmctl_catalogue_version(ctx);
        rc = (version < 0) ? MMCTL_FAILED : mmctl_catalogue_commit(ctx);
    }

    if (rc != MMCTL_OK) {
        if (begun) {
            mmctl_catalogue_rollback(ctx);
        }

        goto done;
    }

    rc = mmctl_text_print_result(ctx, k->kind, canon,
                                 adding ? "added"
                                 : changed ? "changed" : "unchanged",
                                 version);

done:

    json_decref(old);
    json_decref(canon);
    json_decref(obj);

    return rc;
}


/* sets on obj every field the options of add and update give */

static int
mmctl_catalogue_apply(mmctl_ctx_t *ctx, const mmctl_catalogue_kind_t *k,
    mmctl_args_t *args, json_t *obj)
{
    int                             rc;
    json_t                         *name, *texts, *v;
    const char                     *s;
    const mmctl_catalogue_field_t  *f;

    name = json_object_get(obj, "name");
    texts = json_object_get(obj, k->texts_key);

    if (k->enabled_first) {
        rc = mmctl_catalogue_enabled(ctx, k, args, NULL);
        if (rc != MMCTL_OK) {
            return rc;
        }
    }

    rc = mmctl_text_apply_all(ctx, args, k->name, name);

    if (rc == MMCTL_OK && args->opt[k->name_en]) {
        rc = mmctl_text_set(ctx, name, "--name-en", "en",
                            args->opt[k->name_en]);
    }

    if (rc == MMCTL_OK && args->opt[k->name_te]) {
        rc = mmctl_text_set(ctx, name, "--name-te", "te",
                            args->opt[k->name_te]);
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_text_apply_all(ctx, args, k->texts, texts);
    }

    for (f = k->fields; rc == MMCTL_OK && f->key; f++) {
        s = args->opt[f->id];

        if (s == NULL) {
            continue;
        }

        rc = mmctl_text_check_arg(ctx, ctx->verb->options[f->id].name, s);
        if (rc != MMCTL_OK) {
            break;
        }

        /* e.g. no mandal is null, not "": the route matches it as "any" */
        v = (f->nullable && *s == '\0') ? json_null() : json_string(s);

        if (json_object_set_new(f->contact ? json_object_get(obj, "contact")
                                           : obj,
                                f->key, v)
            != 0)
        {
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
        }
    }

    if (rc == MMCTL_OK && k->apply) {
        rc = k->apply(ctx, args, obj);
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_catalogue_enabled(ctx, k, args, obj);
    }

    if (rc != MMCTL_OK) {
        return rc;
    }

    if (mmctl_text_order(name) != 0 || mmctl_text_order(texts) != 0) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    return MMCTL_OK;
}


/* refuses --enabled with --disabled; sets obj's "enabled" as they say */

static int
mmctl_catalogue_enabled(mmctl_ctx_t *ctx, const mmctl_catalogue_kind_t *k,
    mmctl_args_t *args, json_t *obj)
{
    const char  *on, *off;

    on = args->opt[k->enabled];
    off = args->opt[k->disabled];

    if (on && off) {
        return mmctl_usage_error(ctx, "--enabled and --disabled exclude "
                                 "each other");
    }

    if (obj && (on || off)) {
        json_object_set_new(obj, "enabled", json_boolean(on != NULL));
    }

    return MMCTL_OK;
}


/* warnings (a name without Telugu) only when the names were given */

static int
mmctl_catalogue_validate(mmctl_ctx_t *ctx, const mmctl_catalogue_kind_t *k,
    json_t *obj, int warnings)
{
    int                  rc;
    char                 place[64];
    mana_cat_problems_t  p;

    snprintf(place, sizeof(place), "%s %s", k->kind,
             json_string_value(json_object_get(obj, "code")));

    mana_cat_problems_init(&p);
    (void) k->check(obj, place, &p);
    rc = mmctl_catalogue_report(ctx, NULL, &p, warnings);
    mana_cat_problems_free(&p);

    return rc;
}


/* "file.json: services[2] (X-Y): name.en" or "file.csv:12: column fee" */

const char *
mmctl_catalogue_place(char *buf, size_t size, const char *prefix,
    const char *place)
{
    const char  *sep;

    sep = (prefix == NULL || *place == '\0') ? ""
          : (*place >= '0' && *place <= '9') ? ":" : ": ";

    snprintf(buf, size, "%s%s%s", prefix ? prefix : "", sep, place);

    return buf;
}


/* the problems of one severity as JSON objects, comma-separated */
void
mmctl_catalogue_json_problems(const char *prefix, mana_cat_problems_t *p,
    int severity)
{
    int     first;
    char    place[1024];
    size_t  i;

    first = 1;

    for (i = 0; i < p->n; i++) {
        if (p->v[i].severity != severity) {
            continue;
        }

        fputs(first ? "{\"place\":" : ",{\"place\":", stdout);
        first = 0;

        mmctl_json_str(stdout, mmctl_catalogue_place(place, sizeof(place),
                                                     prefix, p->v[i].place));
        fputs(",\"message\":", stdout);
        mmctl_json_str(stdout, p->v[i].message);
        fputs("}", stdout);
    }
}


int
mmctl_catalogue_report(mmctl_ctx_t *ctx, const char *prefix,
    mana_cat_problems_t *p, int warnings)
{
    int                  sev;
    char                 place[1024];
    size_t               i;
    mana_cat_problem_t  *pr;

    for (sev = MANA_CAT_ERROR; sev <= MANA_CAT_WARNING; sev++) {
        if (sev == MANA_CAT_WARNING && !warnings) {
            break;
        }

        for (i = 0; i < p->n; i++) {
            pr = &p->v[i];

            if (pr->severity == sev) {
                fprintf(stderr, "mmctl: %s%s: %s\n",
                        sev == MANA_CAT_WARNING ? "warning: " : "",
                        mmctl_catalogue_place(place, sizeof(place), prefix,
                                              pr->place),
                        pr->message);
            }
        }
    }

    if (p->failed) {
        fputs("mmctl: out of memory: some problems are not shown\n", stderr);
    }

    if (p->errors == 0) {
        return MMCTL_OK;
    }

    if (ctx->json && !ctx->json_done) {
        printf("{\"error\":{\"code\":\"invalid\",\"message\":\"%zu error%s\","
               "\"problems\":[", p->errors, p->errors == 1 ? "" : "s");

        mmctl_catalogue_json_problems(prefix, p, MANA_CAT_ERROR);
        fputs("]}}\n", stdout);
        ctx->json_done = 1;
    }

    return MMCTL_FAILED;
}
