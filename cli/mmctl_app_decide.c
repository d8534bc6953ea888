
/*
 * Deciding an application: "mmctl app approve" and "mmctl app reject".
 * Each is one transaction that locks the application's row first, so two
 * officers deciding at once are serialised and the second finds it no
 * longer pending: an application gets at most one certificate.  The
 * citizen's notification is an outbox row written in that transaction
 * (mmctl_notify.c); the module's sender delivers it, and replaces it with
 * the window template when the citizen's last message is more than 24
 * hours old (the sender reads that from the row's citizen_id).
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include <jansson.h>

#include "mmctl_app.h"
#include "mmctl_notify.h"
#include "mmctl_cert.h"
#include "mmctl_catalogue.h"
#include "mana_doclink.h"
#include "mana_hex.h"
#include "mana_time.h"
#include "mana_utf8.h"


/* the answers never printed on a certificate (reference: "never in the QR") */
static const char  *mmctl_app_private_kinds[] = {
    "aadhaar", "phone", "email", "pincode", "ifsc", "photo", "location",
    "reference", NULL
};

static const char  *mmctl_app_approved[] = { "approved", "issued", NULL };
static const char  *mmctl_app_rejected[] = { "rejected", NULL };

/* the answers that are the holder's name and the relation's */
#define MMCTL_APP_HOLDER    "name"
#define MMCTL_APP_RELATION  "father_name"

typedef struct {
    unsigned long long      id;
    unsigned long long      citizen;
    char                    ref[49];
    char                    service[33];
    char                    office[33];         /* "": routed to none */
    char                    status[16];
    json_t                 *fields;
} mmctl_app_t;


static void
mmctl_app_copy(char *dst, size_t size, const char *src)
{
    size_t  n;

    n = src ? strlen(src) : 0;
    n = n < size - 1 ? n : size - 1;

    memcpy(dst, src ? src : "", n);
    dst[n] = '\0';
}


/*
 * Locks the application's row for the rest of the transaction and reads
 * it.  Unknown, or not pending: MMCTL_FAILED, and the caller rolls back.
 */
static int
mmctl_app_lock(mmctl_ctx_t *ctx, const char *ref, mmctl_app_t *app)
{
    MYSQL_RES     *res;
    MYSQL_ROW      row;
    mana_buf_t     sql;
    json_error_t   err;

    mana_buf_init(&sql);
    mana_buf_adds(&sql, "SELECT a.id, a.ref, a.service_code, "
                  "COALESCE((SELECT o.code FROM office o "
                  "WHERE o.id = a.office_id), ''), a.status, a.citizen_id, "
                  "a.fields FROM application a WHERE a.ref = ");
    mana_buf_add_sql_text(&sql, ref, strlen(ref));
    mana_buf_adds(&sql, " FOR UPDATE");

    res = mmctl_app_query(ctx, "cannot read the application", &sql);
    mana_buf_free(&sql);

    if (res == NULL) {
        return MMCTL_FAILED;
    }

    row = mysql_fetch_row(res);

    if (row == NULL) {
        mysql_free_result(res);
        return mmctl_error(ctx, MMCTL_FAILED, "not_found",
                           "no application %s: nothing changed", ref);
    }

    app->id = strtoull(row[0], NULL, 10);
    mmctl_app_copy(app->ref, sizeof(app->ref), row[1]);
    mmctl_app_copy(app->service, sizeof(app->service), row[2]);
    mmctl_app_copy(app->office, sizeof(app->office), row[3]);
    mmctl_app_copy(app->status, sizeof(app->status), row[4]);
    app->citizen = strtoull(row[5], NULL, 10);
    app->fields = json_loads(row[6], 0, &err);

    mysql_free_result(res);

    if (strcmp(app->status, "submitted") != 0
        && strcmp(app->status, "in_review") != 0)
    {
        return mmctl_error(ctx, MMCTL_FAILED, "not_pending",
                           "application %s is %s, not pending: nothing "
                           "changed", app->ref, app->status);
    }

    if (!json_is_object(app->fields)) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "application %s: "
                           "its answers are not a JSON object", app->ref);
    }

    return MMCTL_OK;
}


/* one string answer, or NULL */
static const char *
mmctl_app_answer(mmctl_app_t *app, const char *name)
{
    const char  *s;

    s = json_string_value(json_object_get(app->fields, name));

    return s && *s ? s : NULL;
}


static int
mmctl_app_private(const char *kind)
{
    int  i;

    for (i = 0; mmctl_app_private_kinds[i]; i++) {
        if (kind && strcmp(kind, mmctl_app_private_kinds[i]) == 0) {
            return 1;
        }
    }

    return 0;
}


/*
 * The certificate's claims from the application: its ref as the number,
 * the holder and relation answers, and the other printable answers in the
 * form's order as facts (pointing into app->fields).
 */
static int
mmctl_app_claims(mmctl_ctx_t *ctx, mmctl_app_t *app, mana_mm1_claims_t *c,
    mana_mm1_fact_t *facts)
{
    size_t         i, n;
    json_t        *form, *f;
    MYSQL_RES     *res;
    MYSQL_ROW      row;
    mana_buf_t     sql;
    const char    *name, *value;
    json_error_t   err;

    c->number.data = app->ref;
    c->number.len = strlen(app->ref);

    value = mmctl_app_answer(app, MMCTL_APP_HOLDER);

    if (value == NULL || strlen(value) > MMCTL_CERT_TEXT_MAX) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "application %s: "
                           "no answer \"%s\" of 1 to %d bytes to print as "
                           "the holder's name", app->ref, MMCTL_APP_HOLDER,
                           MMCTL_CERT_TEXT_MAX);
    }

    c->holder.data = value;
    c->holder.len = strlen(value);

    value = mmctl_app_answer(app, MMCTL_APP_RELATION);

    if (value && strlen(value) <= MMCTL_CERT_TEXT_MAX) {
        c->relation.data = value;
        c->relation.len = strlen(value);
    }

    mana_buf_init(&sql);
    mana_buf_adds(&sql, "SELECT form FROM service WHERE code = ");
    mana_buf_add_sql_text(&sql, app->service, strlen(app->service));

    res = mmctl_app_query(ctx, "cannot read the service", &sql);
    mana_buf_free(&sql);

    if (res == NULL) {
        return MMCTL_FAILED;
    }

    row = mysql_fetch_row(res);
    form = row ? json_loads(row[0], 0, &err) : NULL;
    mysql_free_result(res);

    if (!json_is_array(form)) {
        json_decref(form);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "application %s: "
                           "no service %s with a form", app->ref,
                           app->service);
    }

    n = 0;

    json_array_foreach(form, i, f) {
        name = json_string_value(json_object_get(f, "name"));

        if (name == NULL
            || strcmp(name, MMCTL_APP_HOLDER) == 0
            || strcmp(name, MMCTL_APP_RELATION) == 0
            || mmctl_app_private(json_string_value(json_object_get(f,
                                                                  "kind")))
            || n == MANA_MM1_MAX_FACTS)
        {
            continue;
        }

        /* the key lives as long as app->fields does, unlike the form's */
        if (json_object_get(app->fields, name) == NULL) {
            continue;
        }

        name = json_object_iter_key(json_object_iter_at(app->fields, name));
        value = mmctl_app_answer(app, name);

        if (value == NULL || strlen(value) > MMCTL_CERT_TEXT_MAX
            || strlen(name) > MMCTL_CERT_TEXT_MAX)
        {
            continue;
        }

        facts[n].key.data = name;
        facts[n].key.len = strlen(name);
        facts[n].value.data = value;
        facts[n].value.len = strlen(value);
        n++;
    }

    json_decref(form);

    c->facts = facts;
    c->nfacts = n;
    c->doctype = 1;

    return MMCTL_OK;
}


/*
 * The application's new status, and its history entries (NULL-terminated,
 * in order: an approval is "approved" then "issued"), by the database user
 * mmctl connected as.
 */
static int
mmctl_app_record(mmctl_ctx_t *ctx, mmctl_app_t *app, const char *status,
    const char **history, const char *note)
{
    size_t       i;
    const char  *actor;
    mana_buf_t   sql;

    actor = ctx->db.user ? ctx->db.user : "mmctl";

    mana_buf_init(&sql);
    mana_buf_addf(&sql, "UPDATE application SET status = '%s' WHERE id = "
                  "%llu", status, app->id);

    if (mana_buf_failed(&sql)
        || mysql_real_query(ctx->mysql, sql.data, sql.len) != 0)
    {
        mana_buf_free(&sql);
        return mmctl_query_error(ctx, "cannot update the application");
    }

    sql.len = 0;
    mana_buf_adds(&sql, "INSERT INTO request_history (ref, status, note, "
                  "actor) VALUES ");

    for (i = 0; history[i]; i++) {
        mana_buf_adds(&sql, i ? ", (" : "(");
        mana_buf_add_sql_text(&sql, app->ref, strlen(app->ref));
        mana_buf_addf(&sql, ", '%s', ", history[i]);

        if (note) {
            mana_buf_add_sql_text(&sql, note, strlen(note));
        } else {
            mana_buf_adds(&sql, "NULL");
        }

        mana_buf_adds(&sql, ", ");
        mana_buf_add_sql_text(&sql, actor,
                              mana_utf8_prefix(actor, strlen(actor), 64));
        mana_buf_adds(&sql, ")");
    }

    if (mana_buf_failed(&sql)
        || mysql_real_query(ctx->mysql, sql.data, sql.len) != 0)
    {
        mana_buf_free(&sql);
        return mmctl_query_error(ctx, "cannot record the history");
    }

    mana_buf_free(&sql);

    return MMCTL_OK;
}


int
mmctl_app_approve(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int                 rc, began;
    char                source[512], exp_text[MANA_TIME_LEN + 1];
    char                cti_hex[2 * MANA_MM1_CTI_LEN + 1];
    const char         *host, *v;
    int64_t             exp;
    EVP_PKEY           *pkey;
    size_t              doc_key_len;
    mana_buf_t          qr, doc_url, doc_name;
    mmctl_app_t         app;
    mmctl_var_t     vars[3];
    unsigned char       doc_key[256];
    mmctl_cert_req_t    req;
    mana_mm1_fact_t     facts[MANA_MM1_MAX_FACTS];
    unsigned char       kid[MANA_MM1_KID_LEN];

    exp = 0;

    if ((v = args->opt[MMCTL_APP_APPROVE_EXPIRES]) != NULL) {
        if (strlen(v) != 10) {
            return mmctl_usage_error(ctx, "--expires \"%s\": expected "
                                     "YYYY-MM-DD", v);
        }

        memcpy(exp_text, v, 10);
        memcpy(exp_text + 10, "T00:00:00Z", 10);

        if (mana_time_parse(exp_text, MANA_TIME_LEN, &exp) != 0) {
            return mmctl_usage_error(ctx, "--expires \"%s\": expected "
                                     "YYYY-MM-DD", v);
        }
    }

    rc = mmctl_cert_verify_host(ctx, &host, source, sizeof(source));
    if (rc != MMCTL_OK) {
        return rc;
    }

    /* with a document key the citizen gets the PDF, not only the link */
    rc = mmctl_cert_doc_key(ctx, doc_key, sizeof(doc_key), &doc_key_len);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        OPENSSL_cleanse(doc_key, sizeof(doc_key));
        return rc;
    }

    memset(&app, 0, sizeof(app));
    memset(&req, 0, sizeof(req));
    mana_buf_init(&qr);
    mana_buf_init(&doc_url);
    mana_buf_init(&doc_name);
    pkey = NULL;
    began = 0;

    rc = mmctl_exec(ctx, "cannot start a transaction", "START TRANSACTION");
    if (rc != MMCTL_OK) {
        goto done;
    }

    began = 1;

    rc = mmctl_app_lock(ctx, args->argv[0], &app);
    if (rc != MMCTL_OK) {
        goto done;
    }

    if (app.office[0] == '\0') {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "application %s was "
                         "routed to no office, so no key signs for it",
                         app.ref);
        goto done;
    }

    rc = mmctl_app_claims(ctx, &app, &req.claims, facts);
    if (rc != MMCTL_OK) {
        goto done;
    }

    req.claims.exp = exp;

    rc = mmctl_cert_issuer(ctx, app.office, kid, &pkey);
    if (rc != MMCTL_OK) {
        goto done;
    }

    req.service = app.service;
    req.office = app.office;
    req.citizen = app.citizen;
    req.application = app.ref;
    req.host = host;
    req.host_source = source;

    rc = mmctl_cert_store(ctx, &req, pkey, kid, &qr);
    if (rc != MMCTL_OK) {
        goto done;
    }

    rc = mmctl_app_record(ctx, &app, "issued", mmctl_app_approved, NULL);
    if (rc != MMCTL_OK) {
        goto done;
    }

    mana_buf_add(&qr, "", 1);

    vars[0].name = "{number}";
    vars[0].value = app.ref;
    vars[1].name = "{link}";
    vars[1].value = qr.data;
    vars[2].name = NULL;

    if (mana_buf_failed(&qr)) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
        goto done;
    }

    if (doc_key_len && !mmctl_cert_renders(qr.data, host, app.service)) {
        /* too full for one page: the text with its link, as without a key */
        doc_key_len = 0;
    }

    if (doc_key_len) {
        rc = mmctl_cert_doc_link(ctx, doc_key, doc_key_len, req.claims.cti,
                                 (int64_t) time(NULL) + MANA_DOCLINK_TTL,
                                 &doc_url);
        if (rc != MMCTL_OK) {
            goto done;
        }

        mana_buf_addf(&doc_name, "%s.pdf", app.ref);
        mana_buf_add(&doc_name, "", 1);

        if (mana_buf_failed(&doc_name)) {
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
            goto done;
        }
    }

    rc = mmctl_notify(ctx, app.citizen, app.service, app.ref, "app.issued",
                      vars,
                          doc_key_len ? doc_url.data : NULL,
                          doc_key_len ? doc_name.data : NULL);
    if (rc != MMCTL_OK) {
        goto done;
    }

    rc = mmctl_exec(ctx, "cannot commit", "COMMIT");
    if (rc != MMCTL_OK) {
        goto done;
    }

    began = 0;

    mana_hex_encode(cti_hex, req.claims.cti, MANA_MM1_CTI_LEN);
    cti_hex[2 * MANA_MM1_CTI_LEN] = '\0';

    if (ctx->json) {
        printf("{\"ref\":");
        mmctl_json_str(stdout, app.ref);
        printf(",\"status\":\"issued\",\"certificate\":\"%s\",\"number\":",
               cti_hex);
        mmctl_json_str(stdout, app.ref);
        printf(",\"log_index\":%lld,\"qr\":",
               (long long) req.claims.log_index);
        mmctl_json_str(stdout, qr.data);
        printf("}\n");
        ctx->json_done = 1;

    } else {
        printf("REF\t%s\nSTATUS\tissued\nCERTIFICATE\t%s\nNUMBER\t%s\n"
               "LOG_INDEX\t%lld\nQR\t%s\n", app.ref, cti_hex, app.ref,
               (long long) req.claims.log_index, qr.data);
    }

done:

    if (began) {
        mmctl_exec(ctx, "cannot roll back", "ROLLBACK");
    }

    EVP_PKEY_free(pkey);
    json_decref(app.fields);
    mana_buf_free(&qr);
    mana_buf_free(&doc_url);
    mana_buf_free(&doc_name);
    OPENSSL_cleanse(doc_key, sizeof(doc_key));

    return rc;
}


int
mmctl_app_reject(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int               rc;
    size_t            n, i;
    const char       *reason;
    mmctl_app_t       app;
    mmctl_var_t   vars[2];

    reason = args->opt[MMCTL_APP_REJECT_REASON];

    if (reason == NULL) {
        return mmctl_usage_error(ctx, "--reason TEXT is required");
    }

    n = strlen(reason);

    if (n == 0 || !mana_utf8_valid(reason, n)
        || mana_utf8_len(reason, n) > MMCTL_APP_REASON_MAX)
    {
        return mmctl_usage_error(ctx, "--reason: expected 1 to %d characters "
                                 "of UTF-8", MMCTL_APP_REASON_MAX);
    }

    for (i = 0; i < n; i++) {
        if ((unsigned char) reason[i] < 0x20 || reason[i] == 0x7f) {
            return mmctl_usage_error(ctx, "--reason: one line, no control "
                                     "characters");
        }
    }

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    memset(&app, 0, sizeof(app));

    rc = mmctl_exec(ctx, "cannot start a transaction", "START TRANSACTION");
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_app_lock(ctx, args->argv[0], &app);

    if (rc == MMCTL_OK) {
        rc = mmctl_app_record(ctx, &app, "rejected", mmctl_app_rejected,
                              reason);
    }

    if (rc == MMCTL_OK) {
        vars[0].name = "{reason}";
        vars[0].value = reason;
        vars[1].name = NULL;

        rc = mmctl_notify(ctx, app.citizen, app.service, app.ref,
                          "app.rejected", vars, NULL, NULL);
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_exec(ctx, "cannot commit", "COMMIT");
    }

    if (rc != MMCTL_OK) {
        mmctl_exec(ctx, "cannot roll back", "ROLLBACK");
        json_decref(app.fields);
        return rc;
    }

    json_decref(app.fields);

    if (ctx->json) {
        printf("{\"ref\":");
        mmctl_json_str(stdout, app.ref);
        printf(",\"status\":\"rejected\"}\n");
        ctx->json_done = 1;

    } else {
        printf("REF\t%s\nSTATUS\trejected\n", app.ref);
    }

    return MMCTL_OK;
}
