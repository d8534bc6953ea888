
/*
 * The "app" noun's table and its readers: the officer's queue (list, with
 * filters) and one application with its answers, its status history and
 * its certificate.  Approving and rejecting live in mmctl_app_decide.c.
 */

#include <stdlib.h>
#include <string.h>

#include "mmctl_app.h"
#include "mmctl_text.h"
#include "mmctl_catalogue.h"


static int mmctl_app_list(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_app_show(mmctl_ctx_t *ctx, mmctl_args_t *args);


enum {
    MMCTL_APP_LIST_DEPARTMENT = 0,
    MMCTL_APP_LIST_OFFICE,
    MMCTL_APP_LIST_STATUS,
    MMCTL_APP_LIST_OLDER_THAN,
    MMCTL_APP_LIST_SERVICE
};

static const mmctl_option_t  mmctl_app_list_options[] = {
    { "--department", NULL, 1 },
    { "--office", NULL, 1 },
    { "--status", NULL, 1 },
    { "--older-than", NULL, 1 },
    { "--service", NULL, 1 },
    { NULL, NULL, 0 }
};

static const mmctl_option_t  mmctl_app_no_options[] = {
    { NULL, NULL, 0 }
};

static const mmctl_option_t  mmctl_app_approve_options[] = {
    { "--expires", NULL, 1 },
    { NULL, NULL, 0 }
};

static const mmctl_option_t  mmctl_app_reject_options[] = {
    { "--reason", NULL, 1 },
    { NULL, NULL, 0 }
};


static const mmctl_verb_t  mmctl_app_verbs[] = {

    { "list", "[--department D] [--office CODE] [--status S] "
      "[--older-than AGE] [--service CODE]",
      "list applications, oldest first",
      "Lists the applications that match every filter given, oldest\n"
      "first.\n"
      "\n"
      "  --department D     of the department D (e.g. REV)\n"
      "  --office CODE      routed to the office CODE\n"
      "  --status S         submitted, in_review, approved, rejected, issued,\n"
      "                     or pending (submitted or in_review)\n"
      "  --older-than AGE   made more than AGE ago: a number and s, m, h, d\n"
      "                     or w (e.g. 3d, 12h)\n"
      "  --service CODE     for the service CODE (e.g. REV-INC)\n"
      "\n"
      "Output: REF SERVICE DEPARTMENT OFFICE STATUS CREATED DUE; with --json\n"
      "  {\"applications\":[{\"ref\":..,\"service\":..,\"department\":..,\n"
      "    \"office\":..,\"district\":..,\"status\":..,\"created_at\":..,\n"
      "    \"due_date\":..},...]}\n",
      mmctl_app_list_options, 0, 0, mmctl_app_list },

    { "show", "REF",
      "show an application, its answers and its history",
      "Shows the application REF: where it was routed, its status, the\n"
      "citizen's answers to the form, every status it went through, and\n"
      "its certificate once issued.  An unknown REF is an error (exit 1).\n"
      "\n"
      "Output: FIELD VALUE rows (answers.<field> for each answer), then\n"
      "AT STATUS ACTOR NOTE rows; with --json\n"
      "  {\"application\":{\"ref\":..,...,\"answers\":{..},\n"
      "    \"history\":[{\"status\":..,\"at\":..,\"actor\":..,\"note\":..}],\n"
      "    \"certificate\":{\"id\":..,\"number\":..,\"log_index\":N,\n"
      "    \"status\":..}|null}}\n",
      mmctl_app_no_options, 1, 1, mmctl_app_show },

    { "approve", "REF [--expires DATE]",
      "approve: issue the certificate and notify the citizen",
      "Approves the pending application REF (submitted or in_review).  In\n"
      "one transaction it issues the certificate as \"mmctl cert issue\"\n"
      "does (signed with the active issuer key of the application's office,\n"
      "stored, appended to the issuance log), numbered with REF, held by the\n"
      "answer \"name\", with the relation \"father_name\" and the other\n"
      "answers as its facts (never Aadhaar, phone, e-mail, PIN code, bank,\n"
      "photo or location answers); records \"approved\" and \"issued\" in\n"
      "the status history; and queues a message to the citizen, in their\n"
      "language (i18n key app.issued), with the certificate number and its\n"
      "verification link.  The module's sender delivers it, as the\n"
      "configured window template when the citizen's last message is more\n"
      "than 24 hours old.  --expires DATE (YYYY-MM-DD, UTC) gives the\n"
      "certificate an expiry.  Needs the master key and the verify host.\n"
      "\n"
      "An application that is not pending (already approved, issued or\n"
      "rejected) or unknown is an error (exit 1) that changes nothing, so\n"
      "approving twice never issues two certificates.\n"
      "\n"
      "Output: REF STATUS CERTIFICATE NUMBER LOG_INDEX QR; with --json\n"
      "  {\"ref\":..,\"status\":\"issued\",\"certificate\":..,\n"
      "   \"number\":..,\"log_index\":N,\"qr\":..}\n",
      mmctl_app_approve_options, 1, 1, mmctl_app_approve },

    { "reject", "REF --reason TEXT",
      "reject, telling the citizen why",
      "Rejects the pending application REF (submitted or in_review): in one\n"
      "transaction, its status, a history entry with the reason, and a\n"
      "message to the citizen in their language (i18n key app.rejected)\n"
      "with the reason.  --reason TEXT is required (1 to 512 characters,\n"
      "one line).  An application that is not pending or unknown is an\n"
      "error (exit 1) that changes nothing.\n"
      "\n"
      "Output: REF STATUS; with --json {\"ref\":..,\"status\":\"rejected\"}\n",
      mmctl_app_reject_options, 1, 1, mmctl_app_reject },

    { NULL, NULL, NULL, NULL, NULL, 0, 0, NULL }
};


const mmctl_noun_t  mmctl_noun_app = {
    "app",
    "applications: list, show, approve, reject",
    "The applications citizens made through the bot (the table\n"
    "application): the officer's queue, one application in full, and the\n"
    "decision, which issues the certificate or tells the citizen why not.\n",
    mmctl_app_verbs
};


static const char  *mmctl_app_statuses[] = {
    "submitted", "in_review", "approved", "rejected", "issued", NULL
};


MYSQL_RES *
mmctl_app_query(mmctl_ctx_t *ctx, const char *what, const mana_buf_t *sql)
{
    MYSQL_RES  *res;

    if (mana_buf_failed(sql)) {
        mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
        return NULL;
    }

    if (mysql_real_query(ctx->mysql, sql->data, sql->len) != 0
        || (res = mysql_store_result(ctx->mysql)) == NULL)
    {
        mmctl_query_error(ctx, what);
        return NULL;
    }

    return res;
}


/* "3d" and the like, in seconds; -1 when it is not an age */
static long long
mmctl_app_age(const char *s)
{
    char       *end;
    long long   n;

    if (*s < '0' || *s > '9' || strlen(s) > 10) {
        return -1;
    }

    n = strtoll(s, &end, 10);

    if (end[0] == '\0' || end[1] != '\0') {
        return -1;
    }

    switch (*end) {
    case 's':
        return n;
    case 'm':
        return n * 60;
    case 'h':
        return n * 3600;
    case 'd':
        return n * 86400;
    case 'w':
        return n * 7 * 86400;
    }

    return -1;
}


static void
mmctl_app_where(mana_buf_t *sql, int *first, const char *column,
    const char *value)
{
    mana_buf_adds(sql, *first ? " WHERE " : " AND ");
    mana_buf_adds(sql, column);
    mana_buf_adds(sql, " = ");
    mana_buf_add_sql_text(sql, value, strlen(value));
    *first = 0;
}


/* a column that may be NULL, as JSON */
static json_t *
mmctl_app_json(const char *s)
{
    return s ? json_string(s) : json_null();
}


static int
mmctl_app_list(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int             rc, first, i;
    json_t         *arr, *o;
    MYSQL_RES      *res;
    MYSQL_ROW       row;
    long long       age;
    const char     *status, *cells[7];
    mana_buf_t      sql;
    mmctl_table_t   t;

    status = args->opt[MMCTL_APP_LIST_STATUS];

    if (status && strcmp(status, "pending") != 0) {
        for (i = 0; mmctl_app_statuses[i]; i++) {
            if (strcmp(status, mmctl_app_statuses[i]) == 0) {
                break;
            }
        }

        if (mmctl_app_statuses[i] == NULL) {
            return mmctl_usage_error(ctx, "--status \"%s\": expected "
                                     "submitted, in_review, approved, "
                                     "rejected, issued or pending", status);
        }
    }

    age = -1;

    if (args->opt[MMCTL_APP_LIST_OLDER_THAN]) {
        age = mmctl_app_age(args->opt[MMCTL_APP_LIST_OLDER_THAN]);

        if (age < 0) {
            return mmctl_usage_error(ctx, "--older-than \"%s\": expected a "
                                     "number and s, m, h, d or w (e.g. 3d)",
                                     args->opt[MMCTL_APP_LIST_OLDER_THAN]);
        }
    }

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    mana_buf_init(&sql);
    mana_buf_adds(&sql, "SELECT a.ref, a.service_code, a.department_code, "
                  "o.code, a.district, a.status, "
                  "DATE_FORMAT(a.created_at, '%Y-%m-%dT%H:%i:%sZ'), "
                  "DATE_FORMAT(a.due_date, '%Y-%m-%d') "
                  "FROM application a LEFT JOIN office o "
                  "ON o.id = a.office_id");
    first = 1;

    if (args->opt[MMCTL_APP_LIST_DEPARTMENT]) {
        mmctl_app_where(&sql, &first, "a.department_code",
                        args->opt[MMCTL_APP_LIST_DEPARTMENT]);
    }

    if (args->opt[MMCTL_APP_LIST_OFFICE]) {
        mmctl_app_where(&sql, &first, "o.code",
                        args->opt[MMCTL_APP_LIST_OFFICE]);
    }

    if (args->opt[MMCTL_APP_LIST_SERVICE]) {
        mmctl_app_where(&sql, &first, "a.service_code",
                        args->opt[MMCTL_APP_LIST_SERVICE]);
    }

    if (status && strcmp(status, "pending") == 0) {
        mana_buf_adds(&sql, first ? " WHERE " : " AND ");
        mana_buf_adds(&sql, "a.status IN ('submitted', 'in_review')");
        first = 0;

    } else if (status) {
        mmctl_app_where(&sql, &first, "a.status", status);
    }

    if (age >= 0) {
        mana_buf_adds(&sql, first ? " WHERE " : " AND ");
        mana_buf_addf(&sql, "a.created_at < UTC_TIMESTAMP(3) - INTERVAL %lld "
                      "SECOND", age);
    }

    mana_buf_adds(&sql, " ORDER BY a.created_at, a.id");

    res = mmctl_app_query(ctx, "cannot read the applications", &sql);
    mana_buf_free(&sql);

    if (res == NULL) {
        return MMCTL_FAILED;
    }

    arr = json_array();
    cells[0] = "REF";
    cells[1] = "SERVICE";
    cells[2] = "DEPARTMENT";
    cells[3] = "OFFICE";
    cells[4] = "STATUS";
    cells[5] = "CREATED";
    cells[6] = "DUE";

    if (arr == NULL || mmctl_table_init(&t, 7, cells) != 0) {
        json_decref(arr);
        mysql_free_result(res);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    rc = MMCTL_OK;

    while ((row = mysql_fetch_row(res)) != NULL) {
        o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:o}",
                      "ref", row[0], "service", row[1], "department", row[2],
                      "office", mmctl_app_json(row[3]),
                      "district", mmctl_app_json(row[4]),
                      "status", row[5], "created_at", row[6],
                      "due_date", mmctl_app_json(row[7]));

        cells[0] = row[0];
        cells[1] = row[1];
        cells[2] = row[2];
        cells[3] = row[3];
        cells[4] = row[5];
        cells[5] = row[6];
        cells[6] = row[7];

        if (o == NULL || json_array_append_new(arr, o) != 0
            || mmctl_table_add(&t, cells) != 0)
        {
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
            goto done;
        }
    }

    if (ctx->json) {
        rc = mmctl_text_print_json(ctx, json_pack("{s:O}", "applications",
                                                  arr));
    } else {
        mmctl_table_print(&t, stdout);
    }

done:

    mmctl_table_free(&t);
    json_decref(arr);
    mysql_free_result(res);

    return rc;
}


/* the status history of ref, oldest first, into *history */
static int
mmctl_app_history(mmctl_ctx_t *ctx, const char *ref, json_t **history)
{
    json_t      *arr, *o;
    MYSQL_RES   *res;
    MYSQL_ROW    row;
    mana_buf_t   sql;

    mana_buf_init(&sql);
    mana_buf_adds(&sql, "SELECT status, DATE_FORMAT(at, "
                  "'%Y-%m-%dT%H:%i:%sZ'), actor, note FROM request_history "
                  "WHERE ref = ");
    mana_buf_add_sql_text(&sql, ref, strlen(ref));
    mana_buf_adds(&sql, " ORDER BY id");

    res = mmctl_app_query(ctx, "cannot read the history", &sql);
    mana_buf_free(&sql);

    if (res == NULL) {
        return MMCTL_FAILED;
    }

    arr = json_array();

    while (arr && (row = mysql_fetch_row(res)) != NULL) {
        o = json_pack("{s:s, s:s, s:o, s:o}", "status", row[0], "at", row[1],
                      "actor", mmctl_app_json(row[2]),
                      "note", mmctl_app_json(row[3]));

        if (o == NULL || json_array_append_new(arr, o) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }

    mysql_free_result(res);

    if (arr == NULL) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    *history = arr;

    return MMCTL_OK;
}


/* the application's certificate, or JSON null before it is issued */
static int
mmctl_app_certificate(mmctl_ctx_t *ctx, const char *ref, json_t **cert)
{
    MYSQL_RES   *res;
    MYSQL_ROW    row;
    mana_buf_t   sql;

    mana_buf_init(&sql);
    mana_buf_adds(&sql, "SELECT LOWER(HEX(cti)), number, log_index, status "
                  "FROM certificate WHERE application_ref = ");
    mana_buf_add_sql_text(&sql, ref, strlen(ref));
    mana_buf_adds(&sql, " ORDER BY id DESC LIMIT 1");

    res = mmctl_app_query(ctx, "cannot read the certificate", &sql);
    mana_buf_free(&sql);

    if (res == NULL) {
        return MMCTL_FAILED;
    }

    row = mysql_fetch_row(res);

    *cert = row ? json_pack("{s:s, s:s, s:I, s:s}", "id", row[0],
                            "number", row[1], "log_index",
                            (json_int_t) strtoll(row[2], NULL, 10),
                            "status", row[3])
                : json_null();

    mysql_free_result(res);

    if (*cert == NULL) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    return MMCTL_OK;
}


static void
mmctl_app_print_history(json_t *history)
{
    size_t          i;
    json_t         *h;
    const char     *cells[4];
    mmctl_table_t   t;

    cells[0] = "AT";
    cells[1] = "STATUS";
    cells[2] = "ACTOR";
    cells[3] = "NOTE";

    if (mmctl_table_init(&t, 4, cells) != 0) {
        return;
    }

    json_array_foreach(history, i, h) {
        cells[0] = json_string_value(json_object_get(h, "at"));
        cells[1] = json_string_value(json_object_get(h, "status"));
        cells[2] = json_string_value(json_object_get(h, "actor"));
        cells[3] = json_string_value(json_object_get(h, "note"));
        mmctl_table_add(&t, cells);
    }

    mmctl_table_print(&t, stdout);
    mmctl_table_free(&t);
}


static int
mmctl_app_show(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int           rc;
    json_t       *app, *answers, *history, *cert;
    MYSQL_RES    *res;
    MYSQL_ROW     row;
    mana_buf_t    sql;
    const char   *ref;
    json_error_t  err;

    ref = args->argv[0];

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    mana_buf_init(&sql);
    mana_buf_adds(&sql, "SELECT a.ref, a.service_code, a.department_code, "
                  "o.code, a.district, a.mandal, a.status, a.citizen_id, "
                  "c.language, "
                  "DATE_FORMAT(a.created_at, '%Y-%m-%dT%H:%i:%sZ'), "
                  "DATE_FORMAT(a.updated_at, '%Y-%m-%dT%H:%i:%sZ'), "
                  "DATE_FORMAT(a.due_date, '%Y-%m-%d'), a.fields "
                  "FROM application a LEFT JOIN office o "
                  "ON o.id = a.office_id JOIN citizen c ON c.id = a.citizen_id "
                  "WHERE a.ref = ");
    mana_buf_add_sql_text(&sql, ref, strlen(ref));

    res = mmctl_app_query(ctx, "cannot read the application", &sql);
    mana_buf_free(&sql);

    if (res == NULL) {
        return MMCTL_FAILED;
    }

    row = mysql_fetch_row(res);

    if (row == NULL) {
        mysql_free_result(res);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "no application %s",
                           ref);
    }

    answers = json_loads(row[12], 0, &err);
    if (!json_is_object(answers)) {
        json_decref(answers);
        answers = json_object();
    }

    app = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:I, s:o, s:s, s:s,"
                    " s:o, s:o}",
                    "ref", row[0], "service", row[1], "department", row[2],
                    "office", mmctl_app_json(row[3]),
                    "district", mmctl_app_json(row[4]),
                    "mandal", mmctl_app_json(row[5]),
                    "status", row[6],
                    "citizen", (json_int_t) strtoll(row[7], NULL, 10),
                    "language", mmctl_app_json(row[8]),
                    "created_at", row[9], "updated_at", row[10],
                    "due_date", mmctl_app_json(row[11]),
                    "answers", answers);

    mysql_free_result(res);

    if (app == NULL) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    history = NULL;
    cert = NULL;

    rc = mmctl_app_history(ctx, ref, &history);

    if (rc == MMCTL_OK) {
        rc = mmctl_app_certificate(ctx, ref, &cert);
    }

    if (rc != MMCTL_OK) {
        json_decref(history);
        json_decref(app);
        return rc;
    }

    if (ctx->json) {
        json_object_set_new(app, "history", history);
        json_object_set_new(app, "certificate", cert);
        return mmctl_text_print_json(ctx, json_pack("{s:o}", "application",
                                                    app));
    }

    /* the table shows the certificate's fields as certificate.<key> */
    json_object_set_new(app, "certificate", cert);

    if (mmctl_text_print_fields(app) != 0) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");

    } else {
        putchar('\n');
        mmctl_app_print_history(history);
    }

    json_decref(history);
    json_decref(app);

    return rc;
}
