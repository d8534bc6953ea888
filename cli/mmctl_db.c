
/*
 * The "db" noun: the schema (migrate, status) and the nginx module's
 * account (grant).
 */

#include <stdlib.h>
#include <string.h>

#include "mmctl_schema.h"


static int mmctl_db_migrate(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_db_status(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_db_grant(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_db_grant_account(mmctl_ctx_t *ctx, const char *user,
    const char *host, const char *password, size_t len, int *created);
static void mmctl_db_print_migrated(mmctl_ctx_t *ctx, const char **applied,
    size_t n, size_t already);


static const mmctl_option_t  mmctl_db_no_options[] = {
    { NULL, NULL, 0 }
};


enum {
    MMCTL_GRANT_PASSWORD_FILE = 0,
    MMCTL_GRANT_HOST_PATTERN
};

static const mmctl_option_t  mmctl_db_grant_options[] = {
    { "--password-file", NULL, 1 },
    { "--host-pattern", NULL, 1 },
    { NULL, NULL, 0 }
};


static const mmctl_verb_t  mmctl_db_verbs[] = {

    { "migrate", "",
      "apply the migrations this mmctl carries that are not yet applied",
      "Creates the database if it is missing, then applies, in order, every\n"
      "migration embedded in this mmctl that schema_migrations does not\n"
      "record, each file as one multi-statement query, recording each after\n"
      "it succeeded.  A lock (GET_LOCK('mana_migrate')) serialises concurrent\n"
      "runs; running it again applies nothing.  The first failure stops it\n"
      "(exit 1) with the file, the statement and the server's error; the\n"
      "migrations before it stay applied.  A recorded migration whose\n"
      "SHA-256 differs from the embedded file is reported on stderr.\n"
      "\n"
      "Output: the migrations applied; with --json\n"
      "  {\"applied\":[\"001_core\",...],\"already\":N}\n",
      mmctl_db_no_options, 0, 0, mmctl_db_migrate },

    { "status", "",
      "list the migrations: applied, pending, or unknown to this mmctl",
      "Lists every migration embedded in this mmctl as applied (with its\n"
      "time, UTC) or pending, and every migration the database records that\n"
      "this mmctl does not know (\"unknown\": a newer mmctl applied it).\n"
      "Changes nothing.\n"
      "\n"
      "Output: VERSION STATE APPLIED_AT; with --json\n"
      "  {\"migrations\":[{\"version\":\"001_core\",\"state\":\"applied\",\n"
      "                  \"applied_at\":\"2026-01-01 00:00:00.000\"},...]}\n"
      "state is \"applied\", \"pending\" or \"unknown\"; applied_at is null\n"
      "when pending.\n",
      mmctl_db_no_options, 0, 0, mmctl_db_status },

    { "grant", "USER --password-file FILE [--host-pattern PATTERN]",
      "create or update the nginx module's least-privileged account",
      "Creates the account USER@PATTERN with the password in FILE, or sets\n"
      "that password if the account exists, and leaves it with exactly\n"
      "SELECT, INSERT, UPDATE and DELETE on the database's tables: any other\n"
      "privilege the account held is revoked (no DDL, no FILE, no GRANT).\n"
      "Running it again changes nothing.\n"
      "\n"
      "  USER                     [A-Za-z0-9_], 1 to 32 characters; not the\n"
      "                           account mmctl connects as\n"
      "  --password-file FILE     the account's password (one trailing\n"
      "                           newline is dropped)\n"
      "  --host-pattern PATTERN   where it may connect from (default\n"
      "                           localhost; e.g. 10.0.0.% or %)\n"
      "\n"
      "The global --password-file is mmctl's own password, not this one.\n"
      "\n"
      "Output: the account and its privileges; with --json\n"
      "  {\"user\":..,\"host\":..,\"database\":..,\"created\":true|false,\n"
      "   \"privileges\":[\"SELECT\",\"INSERT\",\"UPDATE\",\"DELETE\"]}\n",
      mmctl_db_grant_options, 1, 1, mmctl_db_grant },

    { NULL, NULL, NULL, NULL, NULL, 0, 0, NULL }
};


const mmctl_noun_t  mmctl_noun_db = {
    "db",
    "database schema migrations and the module's account",
    "Manages the MariaDB schema (the migrations in sql/, embedded in this\n"
    "mmctl and recorded in the table schema_migrations) and the account the\n"
    "nginx module connects with.\n",
    mmctl_db_verbs
};


static int
mmctl_db_migrate(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int                    rc, exists;
    size_t                 i, n, already;
    const char           **applied;
    mmctl_applied_list_t   list;

    (void) args;

    rc = mmctl_connect(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_use_database(ctx, 1, &exists);
    if (rc != MMCTL_OK) {
        return rc;
    }

    if (mmctl_schema_lock(ctx) != MMCTL_OK) {
        return MMCTL_FAILED;
    }

    /* read after the lock: a concurrent run may just have applied some */
    if (mmctl_schema_create(ctx) != MMCTL_OK
        || mmctl_schema_load(ctx, &list) != MMCTL_OK)
    {
        return MMCTL_FAILED;
    }

    mmctl_schema_check(&list);

    for (i = 0; i < list.n; i++) {
        if (!mmctl_schema_known(list.v[i].version)) {
            mmctl_warn("the database records migration %s, unknown to this "
                       "mmctl: is it older than the one that applied it?",
                       list.v[i].version);
        }
    }

    applied = calloc(mmctl_migrations_n + 1, sizeof(char *));
    if (applied == NULL) {
        mmctl_schema_free(&list);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    n = 0;
    already = 0;
    rc = MMCTL_OK;

    for (i = 0; i < mmctl_migrations_n; i++) {
        if (mmctl_schema_find(&list, mmctl_migrations[i].name)) {
            already++;
            continue;
        }

        rc = mmctl_schema_apply(ctx, &mmctl_migrations[i]);
        if (rc != MMCTL_OK) {
            break;
        }

        applied[n++] = mmctl_migrations[i].name;
    }

    if (rc == MMCTL_OK) {
        mmctl_schema_unlock(ctx);
        mmctl_db_print_migrated(ctx, applied, n, already);

    } else if (n) {
        mmctl_note("applied before the failure: %zu migration%s, the last "
                   "%s", n, n == 1 ? "" : "s", applied[n - 1]);
    }

    free(applied);
    mmctl_schema_free(&list);

    return rc;
}


static void
mmctl_db_print_migrated(mmctl_ctx_t *ctx, const char **applied, size_t n,
    size_t already)
{
    size_t         i;
    const char    *row[2];
    mmctl_table_t  t;

    if (ctx->json) {
        fputs("{\"applied\":[", stdout);

        for (i = 0; i < n; i++) {
            fputs(i ? "," : "", stdout);
            mmctl_json_str(stdout, applied[i]);
        }

        printf("],\"already\":%zu}\n", already);
        ctx->json_done = 1;
        return;
    }

    if (n == 0) {
        printf("nothing to apply (%zu migration%s already applied)\n",
               already, already == 1 ? "" : "s");
        return;
    }

    row[0] = "VERSION";
    row[1] = "STATE";

    if (mmctl_table_init(&t, 2, row) == 0) {
        row[1] = "applied";

        for (i = 0; i < n; i++) {
            row[0] = applied[i];
            (void) mmctl_table_add(&t, row);
        }

        mmctl_table_print(&t, stdout);
    }

    mmctl_table_free(&t);
}


static int
mmctl_db_status(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int                     rc, exists;
    size_t                  i, n;
    const char             *row[3];
    mmctl_table_t           t;
    mmctl_applied_list_t    list;
    const mmctl_applied_t  *a;

    (void) args;

    rc = mmctl_connect(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_use_database(ctx, 0, &exists);
    if (rc != MMCTL_OK) {
        return rc;
    }

    list.v = NULL;
    list.n = 0;

    if (!exists) {
        mmctl_note("database %s does not exist yet: \"mmctl db migrate\" "
                   "creates it", ctx->db.database);

    } else if (mmctl_schema_load(ctx, &list) != MMCTL_OK) {
        return MMCTL_FAILED;
    }

    mmctl_schema_check(&list);

    row[0] = "VERSION";
    row[1] = "STATE";
    row[2] = "APPLIED_AT";

    if (mmctl_table_init(&t, 3, row) != 0) {
        mmctl_schema_free(&list);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    /* the embedded ones in order, then those only the database knows */
    for (i = 0; i < mmctl_migrations_n + list.n; i++) {
        if (i < mmctl_migrations_n) {
            a = mmctl_schema_find(&list, mmctl_migrations[i].name);
            row[0] = mmctl_migrations[i].name;
            row[1] = a ? "applied" : "pending";

        } else {
            a = &list.v[i - mmctl_migrations_n];
            if (mmctl_schema_known(a->version)) {
                continue;
            }

            row[0] = a->version;
            row[1] = "unknown";
        }

        row[2] = a ? a->applied_at : NULL;

        if (mmctl_table_add(&t, row) != 0) {
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
            goto done;
        }
    }

    if (!ctx->json) {
        mmctl_table_print(&t, stdout);
        goto done;
    }

    fputs("{\"migrations\":[", stdout);

    for (n = 1; n < t.nrows; n++) {
        fputs(n > 1 ? ",{\"version\":" : "{\"version\":", stdout);
        mmctl_json_str(stdout, t.cells[n * 3]);
        fputs(",\"state\":", stdout);
        mmctl_json_str(stdout, t.cells[n * 3 + 1]);
        fputs(",\"applied_at\":", stdout);
        mmctl_json_str(stdout, strcmp(t.cells[n * 3 + 1], "pending") == 0
                               ? NULL : t.cells[n * 3 + 2]);
        fputs("}", stdout);
    }

    fputs("]}\n", stdout);
    ctx->json_done = 1;

done:

    mmctl_table_free(&t);
    mmctl_schema_free(&list);

    return rc;
}


static int
mmctl_db_grant(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int          rc, exists, created;
    char        *password;
    size_t       len;
    const char  *user, *host, *row[5];
    mmctl_table_t  t;

    exists = 1;
    created = 0;

    user = args->argv[0];
    host = args->opt[MMCTL_GRANT_HOST_PATTERN];
    host = host ? host : "localhost";

    if (strlen(user) > 32
        || strspn(user, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                        "abcdefghijklmnopqrstuvwxyz0123456789_")
           != strlen(user))
    {
        return mmctl_usage_error(ctx, "invalid user name \"%s\": use 1 to 32 "
                                 "of A-Z a-z 0-9 _", user);
    }

    /* host patterns are names, addresses, netmasks and the % _ wildcards */
    if (*host == '\0' || strlen(host) > 255
        || strspn(host, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                        "abcdefghijklmnopqrstuvwxyz0123456789_.%:/-")
           != strlen(host))
    {
        return mmctl_usage_error(ctx, "invalid host pattern \"%s\"", host);
    }

    if (args->opt[MMCTL_GRANT_PASSWORD_FILE] == NULL) {
        return mmctl_usage_error(ctx, "--password-file FILE is required");
    }

    rc = mmctl_read_secret(ctx, args->opt[MMCTL_GRANT_PASSWORD_FILE],
                           &password, &len);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_connect(ctx);

    if (rc == MMCTL_OK) {
        rc = mmctl_use_database(ctx, 0, &exists);
    }

    if (rc == MMCTL_OK) {
        /* the revoke below would lock mmctl's own account out */
        if (strcmp(user, ctx->db.user) == 0) {
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed",
                             "refusing to change the account mmctl "
                             "connects as (%s)", user);

        } else {
            rc = mmctl_db_grant_account(ctx, user, host, password, len,
                                        &created);
        }
    }

    mmctl_free_secret(password, len);

    if (rc != MMCTL_OK) {
        return rc;
    }

    if (!exists) {
        mmctl_warn("database %s does not exist yet: run \"mmctl db "
                   "migrate\"", ctx->db.database);
    }

    if (ctx->json) {
        fputs("{\"user\":", stdout);
        mmctl_json_str(stdout, user);
        fputs(",\"host\":", stdout);
        mmctl_json_str(stdout, host);
        fputs(",\"database\":", stdout);
        mmctl_json_str(stdout, ctx->db.database);
        printf(",\"created\":%s,\"privileges\":[\"SELECT\",\"INSERT\","
               "\"UPDATE\",\"DELETE\"]}\n", created ? "true" : "false");
        ctx->json_done = 1;
        return MMCTL_OK;
    }

    row[0] = "USER";
    row[1] = "HOST";
    row[2] = "DATABASE";
    row[3] = "PRIVILEGES";
    row[4] = "ACCOUNT";

    if (mmctl_table_init(&t, 5, row) == 0) {
        row[0] = user;
        row[1] = host;
        row[2] = ctx->db.database;
        row[3] = "SELECT, INSERT, UPDATE, DELETE";
        row[4] = created ? "created" : "updated";

        if (mmctl_table_add(&t, row) == 0) {
            mmctl_table_print(&t, stdout);
        }
    }

    mmctl_table_free(&t);

    return MMCTL_OK;
}


static int
mmctl_db_grant_account(mmctl_ctx_t *ctx, const char *user, const char *host,
    const char *password, size_t len, int *created)
{
    int     rc;
    char   *pw, *sql, account[512];
    size_t  size;

    /* user and host were checked to hold no quote */
    snprintf(account, sizeof(account), "'%s'@'%s'", user, host);

    pw = malloc(2 * len + 1);
    size = 2 * len + sizeof(account) + 128;
    sql = malloc(size);

    if (pw == NULL || sql == NULL) {
        free(pw);
        free(sql);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    mysql_real_escape_string(ctx->mysql, pw, password, len);

    snprintf(sql, size, "CREATE USER IF NOT EXISTS %s IDENTIFIED BY '%s'",
             account, pw);
    rc = mmctl_exec(ctx, "cannot create the account", sql);

    /* an existing account makes CREATE USER IF NOT EXISTS warn, not fail */
    *created = (mysql_warning_count(ctx->mysql) == 0);

    if (rc == MMCTL_OK && !*created) {
        snprintf(sql, size, "ALTER USER %s IDENTIFIED BY '%s'", account, pw);
        rc = mmctl_exec(ctx, "cannot set the account's password", sql);
    }

    if (rc == MMCTL_OK) {
        snprintf(sql, size, "REVOKE ALL PRIVILEGES, GRANT OPTION FROM %s",
                 account);
        rc = mmctl_exec(ctx, "cannot revoke the account's privileges", sql);
    }

    if (rc == MMCTL_OK) {
        /* the database name was checked to hold only [A-Za-z0-9_$] */
        snprintf(sql, size, "GRANT SELECT, INSERT, UPDATE, DELETE ON `%s`.* "
                 "TO %s", ctx->db.database, account);
        rc = mmctl_exec(ctx, "cannot grant the privileges", sql);
    }

    explicit_bzero(pw, 2 * len + 1);
    explicit_bzero(sql, size);
    free(pw);
    free(sql);

    return rc;
}
