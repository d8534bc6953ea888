
/*
 * Signing keys in MariaDB: reading rows into mmctl_key_t, and the writes
 * of the key commands, each in a transaction that first locks key_version
 * (so that writers follow one another) and bumps it before COMMIT (so that
 * the module's workers reload exactly what was committed).
 *
 * Times are DATETIME columns in UTC (the session's time zone is +00:00),
 * read and written as text: UNIX_TIMESTAMP() and FROM_UNIXTIME() stop in
 * 2038, and a root key may well outlive that.
 */

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "mmctl_key.h"
#include "mmctl_catalogue.h"
#include "mana_hex.h"
#include "mana_time.h"


static const char  *mmctl_key_purposes[] = { "root", "issuer", "log" };


static const char  mmctl_key_select[] =
    "SELECT id, HEX(kid), purpose, name, department_code, HEX(public_key), "
    "HEX(private_sealed), status, "
    "DATE_FORMAT(valid_from, '%Y-%m-%dT%H:%i:%SZ'), "
    "DATE_FORMAT(valid_until, '%Y-%m-%dT%H:%i:%SZ'), "
    "DATE_FORMAT(revoked_at, '%Y-%m-%dT%H:%i:%SZ'), revoke_reason, "
    "DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%SZ') "
    "FROM signing_key";


static const char  mmctl_key_version_sql[] =
    "SELECT version FROM key_version WHERE id = 1";

static const char  mmctl_key_lock_sql[] =
    "SELECT version FROM key_version WHERE id = 1 FOR UPDATE";


static int mmctl_key_row(mmctl_ctx_t *ctx, MYSQL_ROW row,
    unsigned long *len, mmctl_key_t *k);
static int mmctl_key_hex(const char *s, unsigned long n, unsigned char *dst,
    size_t size, size_t *out);
static void mmctl_key_sql_time(mana_buf_t *b, int64_t t);


const char *
mmctl_key_purpose_name(mmctl_key_purpose_e p)
{
    return mmctl_key_purposes[p];
}


int
mmctl_key_purpose_parse(const char *s)
{
    int  i;

    for (i = 0; i < 3; i++) {
        if (strcmp(mmctl_key_purposes[i], s) == 0) {
            return i;
        }
    }

    return -1;
}


int
mmctl_key_read(mmctl_ctx_t *ctx, const char *where, int for_update,
    mmctl_keys_t *keys)
{
    int             rc;
    size_t          n;
    MYSQL_RES      *res;
    MYSQL_ROW       row;
    mana_buf_t      sql;
    mmctl_key_t    *v;
    unsigned long  *len;

    keys->v = NULL;
    keys->n = 0;

    mana_buf_init(&sql);
    mana_buf_adds(&sql, mmctl_key_select);

    if (where) {
        mana_buf_addf(&sql, " WHERE %s", where);
    }

    /* the order of the purpose ENUM: root, issuer, log */
    mana_buf_adds(&sql, " ORDER BY purpose, name, valid_from, id");

    if (for_update) {
        mana_buf_adds(&sql, " FOR UPDATE");
    }

    rc = mmctl_select(ctx, &sql, "cannot read the signing keys", &res);
    if (rc != MMCTL_OK) {
        return rc;
    }

    n = (size_t) mysql_num_rows(res);
    keys->v = calloc(n ? n : 1, sizeof(mmctl_key_t));

    if (keys->v == NULL) {
        mysql_free_result(res);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    rc = MMCTL_OK;

    while (rc == MMCTL_OK && (row = mysql_fetch_row(res)) != NULL) {
        len = mysql_fetch_lengths(res);
        v = &keys->v[keys->n];

        rc = mmctl_key_row(ctx, row, len, v);

        if (rc == MMCTL_OK) {
            keys->n++;
        }
    }

    mysql_free_result(res);

    if (rc != MMCTL_OK) {
        mmctl_keys_free(keys);
    }

    return rc;
}


void
mmctl_keys_free(mmctl_keys_t *keys)
{
    if (keys->v) {
        OPENSSL_cleanse(keys->v, keys->n * sizeof(mmctl_key_t));
        free(keys->v);
    }

    keys->v = NULL;
    keys->n = 0;
}


/*
 * One row.  The schema promises most of it; what it cannot promise (the
 * kid is the public key's, times in range) is checked, since a key that
 * is not what its row says must never sign or be published.
 */

static int
mmctl_key_row(mmctl_ctx_t *ctx, MYSQL_ROW row, unsigned long *len,
    mmctl_key_t *k)
{
    int            p, st;
    size_t         n;
    const char    *what;
    unsigned char  kid[MANA_MM1_KID_LEN];

    memset(k, 0, sizeof(mmctl_key_t));

    k->id = strtoull(row[0], NULL, 10);
    what = NULL;

    if (mmctl_key_hex(row[1], len[1], k->kid, sizeof(k->kid), &n) != 0
        || n != sizeof(k->kid))
    {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "signing_key row %llu:"
                           " its kid is not 8 bytes", k->id);
    }

    mana_hex_encode(k->kid_hex, k->kid, sizeof(k->kid));
    k->kid_hex[2 * MANA_MM1_KID_LEN] = '\0';

    p = mmctl_key_purpose_parse(row[2]);
    st = mana_trust_status_parse(row[7], len[7]);

    if (p < 0 || st < 0) {
        what = "an unknown purpose or status";

    } else if (len[3] == 0 || len[3] > MANA_TRUST_NAME_MAX) {
        what = "a name of a length it cannot have";

    } else if (row[4] && (len[4] == 0 || len[4] > MANA_TRUST_DEPT_MAX)) {
        what = "a department code of a length it cannot have";

    } else if (mmctl_key_hex(row[5], len[5], k->pub, sizeof(k->pub), &n) != 0
               || n != sizeof(k->pub))
    {
        what = "a public key that is not 32 bytes";

    } else if (mmctl_key_hex(row[6], len[6], k->sealed, sizeof(k->sealed),
                             &k->sealed_len) != 0)
    {
        what = "a sealed private key longer than one can be";

    } else if (mana_mm1_kid(kid, k->pub) != 0
               || memcmp(kid, k->kid, sizeof(kid)) != 0)
    {
        what = "a kid that is not the kid of its public key";

    } else if (row[8] == NULL || row[9] == NULL || row[12] == NULL
               || mana_time_parse(row[8], len[8], &k->valid_from) != 0
               || mana_time_parse(row[9], len[9], &k->valid_until) != 0
               || mana_time_parse(row[12], len[12], &k->created_at) != 0)
    {
        what = "a time before 1970";

    } else if (row[10] && mana_time_parse(row[10], len[10], &k->revoked_at)
                          != 0)
    {
        what = "a revoked_at before 1970";

    } else if (row[11] && len[11] > MMCTL_KEY_REASON_MAX) {
        what = "a revocation reason longer than one can be";
    }

    if (what) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "signing_key %s (row "
                           "%llu) has %s", k->kid_hex, k->id, what);
    }

    k->purpose = (mmctl_key_purpose_e) p;
    k->status = (mana_mm1_key_status_e) st;

    memcpy(k->name, row[3], len[3]);
    k->name[len[3]] = '\0';

    if (row[4]) {
        memcpy(k->department, row[4], len[4]);
        k->department[len[4]] = '\0';
    }

    if (row[10] == NULL) {
        k->revoked_at = -1;
    }

    if (row[11]) {
        memcpy(k->reason, row[11], len[11]);
        k->reason[len[11]] = '\0';
        k->has_reason = 1;
    }

    return MMCTL_OK;
}


static int
mmctl_key_hex(const char *s, unsigned long n, unsigned char *dst, size_t size,
    size_t *out)
{
    *out = 0;

    if (s == NULL || n % 2 != 0 || n / 2 > size) {
        return -1;
    }

    if (mana_hex_decode(dst, s, n / 2) != 0) {
        return -1;
    }

    *out = n / 2;

    return 0;
}


int
mmctl_key_read_kid(mmctl_ctx_t *ctx, const unsigned char *kid, int for_update,
    mmctl_keys_t *keys, mmctl_key_t **key)
{
    int   rc;
    char  where[64], hex[2 * MANA_MM1_KID_LEN + 1];

    mana_hex_encode(hex, kid, MANA_MM1_KID_LEN);
    hex[2 * MANA_MM1_KID_LEN] = '\0';

    snprintf(where, sizeof(where), "kid = X'%s'", hex);

    rc = mmctl_key_read(ctx, where, for_update, keys);

    *key = (rc == MMCTL_OK && keys->n == 1) ? &keys->v[0] : NULL;

    return rc;
}


int
mmctl_key_begin(mmctl_ctx_t *ctx, long long *version)
{
    int         rc;
    MYSQL_RES  *res;
    MYSQL_ROW   row;

    rc = mmctl_catalogue_begin(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    if (mysql_real_query(ctx->mysql, mmctl_key_lock_sql,
                         sizeof(mmctl_key_lock_sql) - 1) != 0
        || (res = mysql_store_result(ctx->mysql)) == NULL)
    {
        return mmctl_query_error(ctx, "cannot lock key_version");
    }

    row = mysql_fetch_row(res);

    if (row == NULL || row[0] == NULL) {
        mysql_free_result(res);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "key_version has no "
                           "row with id 1: is the schema migrated?");
    }

    *version = strtoll(row[0], NULL, 10);
    mysql_free_result(res);

    return MMCTL_OK;
}


int
mmctl_key_bump(mmctl_ctx_t *ctx, long long *version)
{
    int  rc;

    rc = mmctl_exec(ctx, "cannot bump key_version",
                    "UPDATE key_version SET version = version + 1 "
                    "WHERE id = 1");
    if (rc != MMCTL_OK) {
        return rc;
    }

    /* without its row, workers would never see a change: say so */
    if (mysql_affected_rows(ctx->mysql) != 1) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "key_version has no "
                           "row with id 1: is the schema migrated?");
    }

    (*version)++;

    return MMCTL_OK;
}


int
mmctl_key_commit(mmctl_ctx_t *ctx)
{
    return mmctl_catalogue_commit(ctx);
}


void
mmctl_key_rollback(mmctl_ctx_t *ctx)
{
    if (ctx->mysql) {
        mmctl_catalogue_rollback(ctx);
    }
}


int
mmctl_key_version(mmctl_ctx_t *ctx, long long *version)
{
    MYSQL_RES  *res;
    MYSQL_ROW   row;

    if (mysql_real_query(ctx->mysql, mmctl_key_version_sql,
                         sizeof(mmctl_key_version_sql) - 1) != 0
        || (res = mysql_store_result(ctx->mysql)) == NULL)
    {
        return mmctl_query_error(ctx, "cannot read key_version");
    }

    row = mysql_fetch_row(res);
    *version = (row && row[0]) ? strtoll(row[0], NULL, 10) : 0;
    mysql_free_result(res);

    return MMCTL_OK;
}


/* 'YYYY-MM-DD HH:MM:SS', a DATETIME literal in UTC */

static void
mmctl_key_sql_time(mana_buf_t *b, int64_t t)
{
    char  text[MANA_TIME_LEN + 1];

    /* every time was checked to be in range before it got here */
    (void) mana_time_format(text, t);
    text[10] = ' ';

    mana_buf_add(b, "'", 1);
    mana_buf_add(b, text, 19);
    mana_buf_add(b, "'", 1);
}


static void
mmctl_key_sql_hex(mana_buf_t *b, const unsigned char *p, size_t n)
{
    char  hex[2 * MMCTL_KEY_SEALED_MAX];

    mana_hex_encode(hex, p, n);

    mana_buf_add(b, "X'", 2);
    mana_buf_add(b, hex, 2 * n);
    mana_buf_add(b, "'", 1);
}


int
mmctl_key_insert(mmctl_ctx_t *ctx, const mmctl_key_t *k)
{
    int         rc;
    mana_buf_t  sql;

    mana_buf_init(&sql);

    mana_buf_adds(&sql, "INSERT INTO signing_key (kid, purpose, name, "
                  "department_code, public_key, private_sealed, status, "
                  "valid_from, valid_until) VALUES (");
    mmctl_key_sql_hex(&sql, k->kid, sizeof(k->kid));
    mana_buf_addf(&sql, ", '%s', ", mmctl_key_purpose_name(k->purpose));
    mana_buf_add_sql_text(&sql, k->name, strlen(k->name));
    mana_buf_adds(&sql, ", ");

    if (k->department[0]) {
        mana_buf_add_sql_text(&sql, k->department, strlen(k->department));

    } else {
        mana_buf_adds(&sql, "NULL");
    }

    mana_buf_adds(&sql, ", ");
    mmctl_key_sql_hex(&sql, k->pub, sizeof(k->pub));
    mana_buf_adds(&sql, ", ");
    mmctl_key_sql_hex(&sql, k->sealed, k->sealed_len);
    mana_buf_adds(&sql, ", 'active', ");
    mmctl_key_sql_time(&sql, k->valid_from);
    mana_buf_adds(&sql, ", ");
    mmctl_key_sql_time(&sql, k->valid_until);
    mana_buf_adds(&sql, ")");

    if (mana_buf_failed(&sql)) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    rc = mmctl_exec(ctx, "cannot store the new key", sql.data);

    OPENSSL_cleanse(sql.data, sql.len);
    mana_buf_free(&sql);

    return rc;
}


int
mmctl_key_update_status(mmctl_ctx_t *ctx, const mmctl_key_t *k)
{
    int         rc;
    mana_buf_t  sql;

    mana_buf_init(&sql);

    mana_buf_addf(&sql, "UPDATE signing_key SET status = '%s', "
                  "revoked_at = ", mana_trust_status_name(k->status));

    if (k->revoked_at >= 0) {
        mmctl_key_sql_time(&sql, k->revoked_at);

    } else {
        mana_buf_adds(&sql, "NULL");
    }

    mana_buf_adds(&sql, ", revoke_reason = ");

    if (k->has_reason) {
        mana_buf_add_sql_text(&sql, k->reason, strlen(k->reason));

    } else {
        mana_buf_adds(&sql, "NULL");
    }

    mana_buf_addf(&sql, " WHERE id = %llu", k->id);

    if (mana_buf_failed(&sql)) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    rc = mmctl_exec(ctx, "cannot change the key", sql.data);
    mana_buf_free(&sql);

    if (rc == MMCTL_OK && mysql_affected_rows(ctx->mysql) != 1) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "key %s: its row "
                           "went away", k->kid_hex);
    }

    return rc;
}


int
mmctl_key_office(mmctl_ctx_t *ctx, const char *office, char *dept,
    size_t size, int *found)
{
    int             rc;
    MYSQL_RES      *res;
    MYSQL_ROW       row;
    mana_buf_t      sql;
    unsigned long  *len;

    *found = 0;
    dept[0] = '\0';

    mana_buf_init(&sql);
    mana_buf_adds(&sql, "SELECT d.code FROM office o JOIN department d "
                  "ON d.id = o.department_id WHERE o.code = ");
    mana_buf_add_sql_text(&sql, office, strlen(office));

    rc = mmctl_select(ctx, &sql, "cannot read the office", &res);
    if (rc != MMCTL_OK) {
        return rc;
    }

    row = mysql_fetch_row(res);

    if (row && row[0]) {
        len = mysql_fetch_lengths(res);

        if (len[0] < size) {
            memcpy(dept, row[0], len[0]);
            dept[len[0]] = '\0';
            *found = 1;
        }
    }

    mysql_free_result(res);

    return MMCTL_OK;
}
