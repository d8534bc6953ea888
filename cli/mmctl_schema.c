
/*
 * The migration engine behind "db migrate" and "db status".
 *
 * A migration is a whole file sent as one multi-statement query; every
 * result is walked, because the server reports an error in a later
 * statement only when its result is asked for.  A migration is recorded in
 * schema_migrations only after all its statements succeeded.  DDL commits
 * implicitly in MariaDB, so a file that fails halfway stays half applied:
 * the message names the statement so that an operator can repair it.
 */

#include <stdlib.h>
#include <string.h>
#include <mysqld_error.h>
#include <openssl/evp.h>

#include "mmctl_schema.h"


/* one lock for every database on the server: migrations are rare */
#define MMCTL_LOCK_WAIT  30


static int mmctl_schema_get_lock(mmctl_ctx_t *ctx, int wait, int *got);


int
mmctl_schema_lock(mmctl_ctx_t *ctx)
{
    int  got;

    if (mmctl_schema_get_lock(ctx, 0, &got) != MMCTL_OK) {
        return MMCTL_FAILED;
    }

    if (got) {
        return MMCTL_OK;
    }

    mmctl_note("waiting up to %d s for another \"mmctl db migrate\" to "
               "finish", MMCTL_LOCK_WAIT);

    if (mmctl_schema_get_lock(ctx, MMCTL_LOCK_WAIT, &got) != MMCTL_OK) {
        return MMCTL_FAILED;
    }

    if (!got) {
        return mmctl_error(ctx, MMCTL_FAILED, "lock_timeout",
                           "another \"mmctl db migrate\" held the lock "
                           "mana_migrate for more than %d s",
                           MMCTL_LOCK_WAIT);
    }

    return MMCTL_OK;
}


static int
mmctl_schema_get_lock(mmctl_ctx_t *ctx, int wait, int *got)
{
    char        sql[64];
    MYSQL_ROW   row;
    MYSQL_RES  *res;

    snprintf(sql, sizeof(sql), "SELECT GET_LOCK('mana_migrate', %d)", wait);

    if (mysql_query(ctx->mysql, sql) != 0
        || (res = mysql_store_result(ctx->mysql)) == NULL)
    {
        return mmctl_query_error(ctx, "cannot take the migration lock");
    }

    row = mysql_fetch_row(res);

    if (row == NULL || row[0] == NULL) {
        mysql_free_result(res);
        return mmctl_error(ctx, MMCTL_FAILED, "failed",
                           "cannot take the migration lock: GET_LOCK() "
                           "returned NULL");
    }

    *got = (strcmp(row[0], "1") == 0);

    mysql_free_result(res);

    return MMCTL_OK;
}


void
mmctl_schema_unlock(mmctl_ctx_t *ctx)
{
    /* closing the connection would release it too; this is only tidier */
    (void) mmctl_exec(ctx, "cannot release the migration lock",
                      "DO RELEASE_LOCK('mana_migrate')");
}


int
mmctl_schema_create(mmctl_ctx_t *ctx)
{
    return mmctl_exec(ctx, "cannot create table schema_migrations",
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version    VARCHAR(64) CHARACTER SET ascii NOT NULL,"
        " checksum   CHAR(64) CHARACTER SET ascii NOT NULL,"
        " applied_at DATETIME(3) NOT NULL,"
        " PRIMARY KEY (version)"
        ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci");
}


/* what the database recorded, by version; a missing table records nothing */

int
mmctl_schema_load(mmctl_ctx_t *ctx, mmctl_applied_list_t *list)
{
    size_t            i, n;
    MYSQL_ROW         row;
    MYSQL_RES        *res;
    mmctl_applied_t  *a;

    list->v = NULL;
    list->n = 0;

    if (mysql_query(ctx->mysql,
                    "SELECT version, checksum, applied_at"
                    " FROM schema_migrations ORDER BY version")
        != 0)
    {
        if (mysql_errno(ctx->mysql) == ER_NO_SUCH_TABLE) {
            return MMCTL_OK;
        }

        return mmctl_query_error(ctx, "cannot read schema_migrations");
    }

    res = mysql_store_result(ctx->mysql);
    if (res == NULL) {
        return mmctl_query_error(ctx, "cannot read schema_migrations");
    }

    n = mysql_num_rows(res);

    list->v = calloc(n ? n : 1, sizeof(mmctl_applied_t));
    if (list->v == NULL) {
        mysql_free_result(res);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    for (i = 0; i < n && (row = mysql_fetch_row(res)) != NULL; i++) {
        a = &list->v[i];

        snprintf(a->version, sizeof(a->version), "%s", row[0]);
        snprintf(a->checksum, sizeof(a->checksum), "%s", row[1]);
        snprintf(a->applied_at, sizeof(a->applied_at), "%s", row[2]);
    }

    list->n = i;

    mysql_free_result(res);

    return MMCTL_OK;
}


const mmctl_applied_t *
mmctl_schema_find(mmctl_applied_list_t *list, const char *version)
{
    size_t  i;

    for (i = 0; i < list->n; i++) {
        if (strcmp(list->v[i].version, version) == 0) {
            return &list->v[i];
        }
    }

    return NULL;
}


int
mmctl_schema_known(const char *version)
{
    size_t  i;

    for (i = 0; i < mmctl_migrations_n; i++) {
        if (strcmp(mmctl_migrations[i].name, version) == 0) {
            return 1;
        }
    }

    return 0;
}


void
mmctl_schema_checksum(const mmctl_migration_t *m, char hex[65])
{
    unsigned       i, len;
    unsigned char  md[EVP_MAX_MD_SIZE];

    len = 0;

    if (EVP_Digest(m->sql, m->len, md, &len, EVP_sha256(), NULL) != 1
        || len != 32)
    {
        len = 0;
    }

    for (i = 0; i < len; i++) {
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    }

    hex[2 * len] = '\0';
}


/*
 * An edited migration is never applied again; the warning tells the
 * operator that this database and a fresh one would differ.
 */

void
mmctl_schema_check(mmctl_applied_list_t *list)
{
    size_t                  i;
    char                    hex[65];
    const mmctl_applied_t  *a;

    for (i = 0; i < mmctl_migrations_n; i++) {
        a = mmctl_schema_find(list, mmctl_migrations[i].name);
        if (a == NULL) {
            continue;
        }

        mmctl_schema_checksum(&mmctl_migrations[i], hex);

        if (strcmp(a->checksum, hex) != 0) {
            mmctl_warn("%s.sql changed after it was applied (recorded "
                       "sha256 %.12s..., this mmctl has %.12s...); it is "
                       "not applied again", mmctl_migrations[i].name,
                       a->checksum, hex);
        }
    }
}


int
mmctl_schema_apply(mmctl_ctx_t *ctx, const mmctl_migration_t *m)
{
    int         rc;
    char        hex[65], sql[256];
    unsigned    stmt;
    MYSQL      *my;
    MYSQL_RES  *res;

    my = ctx->mysql;
    stmt = 1;

    mmctl_note("applying %s.sql", m->name);

    /* the server calls an empty query an error; an empty file is no error */
    if (strspn(m->sql, " \t\r\n") == m->len) {
        goto record;
    }

    if (mysql_real_query(my, m->sql, m->len) != 0) {
        goto failed;
    }

    for ( ;; ) {
        res = mysql_store_result(my);

        if (res) {
            mysql_free_result(res);

        } else if (mysql_field_count(my) != 0) {
            goto failed;
        }

        rc = mysql_next_result(my);

        if (rc == -1) {
            break;
        }

        stmt++;

        if (rc > 0) {
            goto failed;
        }
    }

record:

    mmctl_schema_checksum(m, hex);

    /* the name was checked by embed-sql.pl to hold only [A-Za-z0-9_.-] */
    snprintf(sql, sizeof(sql),
             "INSERT INTO schema_migrations (version, checksum, applied_at)"
             " VALUES ('%s', '%s', UTC_TIMESTAMP(3))", m->name, hex);

    if (mmctl_exec(ctx, "cannot record the migration", sql) != MMCTL_OK) {
        return MMCTL_FAILED;
    }

    return MMCTL_OK;

failed:

    return mmctl_error(ctx, MMCTL_FAILED, "migration_failed",
                       "migration %s.sql failed at statement %u: "
                       "ERROR %u (%s): %s", m->name, stmt, mysql_errno(my),
                       mysql_sqlstate(my), mysql_error(my));
}


void
mmctl_schema_free(mmctl_applied_list_t *list)
{
    free(list->v);
    list->v = NULL;
    list->n = 0;
}
