
/*
 * The connection to MariaDB, with Connector/C's blocking API: mmctl does one
 * thing at a time, so there is nothing to gain from the event-driven
 * interface the nginx module needs.
 */

#include <string.h>
#include <mysqld_error.h>

#include "mmctl.h"


#define MMCTL_CONNECT_TIMEOUT  10


int
mmctl_connect(mmctl_ctx_t *ctx)
{
    int           rc;
    MYSQL        *m;
    mmctl_db_t   *db;
    unsigned int  timeout, protocol;
    my_bool       local_infile;

    rc = mmctl_conf_resolve(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    db = &ctx->db;

    m = mysql_init(NULL);
    if (m == NULL) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    timeout = MMCTL_CONNECT_TIMEOUT;

    /* without this, host "localhost" would quietly mean the socket */
    protocol = db->host ? MYSQL_PROTOCOL_TCP : MYSQL_PROTOCOL_SOCKET;

    /* mmctl never loads client files; a hostile server could ask for any */
    local_infile = 0;

    mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    mysql_options(m, MYSQL_OPT_PROTOCOL, &protocol);
    mysql_options(m, MYSQL_OPT_LOCAL_INFILE, &local_infile);

    /* migrations are whole files: one round trip, all results checked */
    if (mysql_real_connect(m, db->host, db->user, db->password, NULL,
                           db->host ? db->port : 0,
                           db->host ? NULL : db->socket,
                           CLIENT_MULTI_STATEMENTS)
        == NULL)
    {
        rc = mmctl_error(ctx, MMCTL_UNAVAILABLE, "unavailable",
                         "cannot connect to MariaDB at %s: %s",
                         db->server, mysql_error(m));
        mysql_close(m);
        return rc;
    }

    mmctl_free_secret(db->password, db->password_len);
    db->password = NULL;

    ctx->mysql = m;

    /* DATETIME columns hold UTC, whatever the server's zone */
    return mmctl_exec(ctx, "cannot set the time zone",
                      "SET time_zone = '+00:00'");
}


/*
 * Selects the configured database.  With create, a missing one is created
 * (a fresh installation needs no manual step); without, *exists says whether
 * it was there.
 */

int
mmctl_use_database(mmctl_ctx_t *ctx, int create, int *exists)
{
    char  sql[256];

    *exists = 1;

    if (mysql_select_db(ctx->mysql, ctx->db.database) == 0) {
        return MMCTL_OK;
    }

    if (mysql_errno(ctx->mysql) != ER_BAD_DB_ERROR) {
        return mmctl_query_error(ctx, "cannot use the database");
    }

    if (!create) {
        *exists = 0;
        return MMCTL_OK;
    }

    /* the name was checked to hold only [A-Za-z0-9_$] */
    snprintf(sql, sizeof(sql),
             "CREATE DATABASE IF NOT EXISTS `%s` "
             "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
             ctx->db.database);

    if (mmctl_exec(ctx, "cannot create the database", sql) != MMCTL_OK) {
        return MMCTL_FAILED;
    }

    mmctl_note("created database %s", ctx->db.database);

    if (mysql_select_db(ctx->mysql, ctx->db.database) != 0) {
        return mmctl_query_error(ctx, "cannot use the database");
    }

    return MMCTL_OK;
}


/* runs one statement and discards any result */

int
mmctl_exec(mmctl_ctx_t *ctx, const char *what, const char *sql)
{
    MYSQL_RES  *res;

    if (mysql_real_query(ctx->mysql, sql, strlen(sql)) != 0) {
        return mmctl_query_error(ctx, what);
    }

    res = mysql_store_result(ctx->mysql);

    if (res) {
        mysql_free_result(res);

    } else if (mysql_field_count(ctx->mysql) != 0) {
        return mmctl_query_error(ctx, what);
    }

    return MMCTL_OK;
}


/*
 * Runs the query built in sql and stores its result; sql is freed whatever
 * happens, and a build that ran out of memory is reported here.
 */

int
mmctl_select(mmctl_ctx_t *ctx, mana_buf_t *sql, const char *what,
    MYSQL_RES **res)
{
    int  rc;

    if (mana_buf_failed(sql)) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");

    } else if (mysql_real_query(ctx->mysql, sql->data, sql->len) != 0
               || (*res = mysql_store_result(ctx->mysql)) == NULL)
    {
        rc = mmctl_query_error(ctx, what);

    } else {
        rc = MMCTL_OK;
    }

    mana_buf_free(sql);

    return rc;
}


int
mmctl_query_error(mmctl_ctx_t *ctx, const char *what)
{
    return mmctl_error(ctx, MMCTL_FAILED, "failed",
                       "%s: ERROR %u (%s): %s", what,
                       mysql_errno(ctx->mysql), mysql_sqlstate(ctx->mysql),
                       mysql_error(ctx->mysql));
}


void
mmctl_disconnect(mmctl_ctx_t *ctx)
{
    if (ctx->mysql) {
        mysql_close(ctx->mysql);
        ctx->mysql = NULL;
    }

    mmctl_free_secret(ctx->db.password, ctx->db.password_len);
    ctx->db.password = NULL;
}
