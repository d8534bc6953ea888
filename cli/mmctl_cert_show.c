
/*
 * "mmctl cert show" and "mmctl cert list": certificates as their rows and
 * their own signed claims say.  What the certificate says (office,
 * holder, facts) is read from its COSE bytes, the very bytes the QR
 * carries, never from a copy that could disagree with them.
 */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mmctl_cert.h"
#include "mmctl_key.h"
#include "mmctl_text.h"
#include "mmctl_catalogue.h"
#include "mana_time.h"


enum {
    MMCTL_CERT_LIST_SERVICE = 0,
    MMCTL_CERT_LIST_CITIZEN,
    MMCTL_CERT_LIST_STATUS,
    MMCTL_CERT_LIST_SINCE
};


static json_t *
mmctl_cert_json_time(int64_t t)
{
    char  text[MANA_TIME_LEN + 1];

    if (mana_time_format(text, t) != 0) {
        return json_null();
    }

    return json_string(text);
}


static json_t *
mmctl_cert_json_strn(const mana_mm1_str_t *s)
{
    if (s->len == 0) {
        return json_null();
    }

    return json_stringn(s->data, s->len);
}


/* the row's facts and the claims' as one object, in show's order */

static json_t *
mmctl_cert_json(const mmctl_cert_t *c, const mana_mm1_parsed_t *p,
    const char *key_status, const char *qr, int64_t now)
{
    size_t        i;
    json_t       *obj, *fields;
    const char   *reason;

    obj = json_object();
    fields = json_object();

    if (obj == NULL || fields == NULL) {
        json_decref(obj);
        json_decref(fields);
        return NULL;
    }

    for (i = 0; p && i < p->claims.nfacts; i++) {
        json_object_setn_new(fields, p->claims.facts[i].key.data,
                             p->claims.facts[i].key.len,
                             json_stringn(p->claims.facts[i].value.data,
                                          p->claims.facts[i].value.len));
    }

    reason = c->reason >= 0 ? mana_tlog_reason_name((unsigned) c->reason)
                            : NULL;

    json_object_set_new(obj, "id", json_string(c->cti_hex));
    json_object_set_new(obj, "number", json_string(c->number));
    json_object_set_new(obj, "service", json_string(c->service));
    json_object_set_new(obj, "doctype", json_integer(c->doctype));
    json_object_set_new(obj, "office",
                        p ? mmctl_cert_json_strn(&p->claims.iss)
                          : json_null());
    json_object_set_new(obj, "holder",
                        p ? mmctl_cert_json_strn(&p->claims.holder)
                          : json_null());
    json_object_set_new(obj, "relation",
                        p ? mmctl_cert_json_strn(&p->claims.relation)
                          : json_null());
    json_object_set_new(obj, "fields", fields);
    json_object_set_new(obj, "citizen",
                        c->phone[0] ? json_string(c->phone)
                        : c->citizen ? json_integer((json_int_t) c->citizen)
                        : json_null());
    json_object_set_new(obj, "issued_at", mmctl_cert_json_time(c->issued_at));
    json_object_set_new(obj, "expires_at",
                        c->expires_at ? mmctl_cert_json_time(c->expires_at)
                                      : json_null());
    json_object_set_new(obj, "status",
                        json_string(mmctl_cert_status(c, now)));
    json_object_set_new(obj, "revoked_at",
                        c->revoked_at >= 0
                        ? mmctl_cert_json_time(c->revoked_at) : json_null());
    json_object_set_new(obj, "revoke_reason",
                        reason ? json_string(reason) : json_null());
    json_object_set_new(obj, "kid", json_string(c->kid_hex));
    json_object_set_new(obj, "key_status",
                        key_status ? json_string(key_status) : json_null());
    json_object_set_new(obj, "log_index",
                        json_integer((json_int_t) c->log_index));
    json_object_set_new(obj, "qr", qr ? json_string(qr) : json_null());

    return obj;
}


int
mmctl_cert_show(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int                  rc;
    json_t              *obj;
    const char          *err, *key_status;
    mana_buf_t           qr;
    mmctl_key_t         *k;
    mmctl_keys_t         keys;
    mmctl_cert_t        *c;
    mmctl_certs_t        certs;
    mana_mm1_parsed_t   *p;

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_cert_find(ctx, args->argv[0], 0, &certs, &c);
    if (rc != MMCTL_OK) {
        return rc;
    }

    mana_buf_init(&qr);
    keys.v = NULL;
    keys.n = 0;
    obj = NULL;

    p = malloc(sizeof(mana_mm1_parsed_t));
    if (p == NULL) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
        goto done;
    }

    if (mana_mm1_parse(p, c->cose, c->cose_len, &err) != 0) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "certificate %s: its "
                         "stored bytes do not parse: %s", c->cti_hex, err);
        goto done;
    }

    rc = mmctl_cert_qr(ctx, c, &qr);
    if (rc != MMCTL_OK) {
        goto done;
    }

    rc = mmctl_key_read_kid(ctx, c->kid, 0, &keys, &k);
    if (rc != MMCTL_OK) {
        goto done;
    }

    key_status = k ? mana_trust_status_name(k->status) : NULL;

    mana_buf_add(&qr, "", 1);

    obj = mmctl_cert_json(c, p, key_status, qr.data, mmctl_key_now());
    if (obj == NULL || mana_buf_failed(&qr)) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
        goto done;
    }

    if (ctx->json) {
        rc = mmctl_text_print_json(ctx, json_pack("{s:O}", "certificate",
                                                  obj));

    } else if (mmctl_text_print_fields(obj) != 0) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

done:

    json_decref(obj);
    mmctl_keys_free(&keys);
    mana_buf_free(&qr);
    free(p);
    mmctl_certs_free(&certs);

    return rc;
}


/* a --since: a date or an RFC 3339 time in UTC, as DATETIME text */

static int
mmctl_cert_since(mmctl_ctx_t *ctx, const char *s, char out[20])
{
    char     text[MANA_TIME_LEN + 1];
    size_t   n;
    int64_t  t;

    n = strlen(s);

    if (n == 10) {
        memcpy(text, s, 10);
        memcpy(text + 10, "T00:00:00Z", 10);

    } else if (n == MANA_TIME_LEN) {
        memcpy(text, s, MANA_TIME_LEN);

    } else {
        return mmctl_usage_error(ctx, "--since \"%s\": expected YYYY-MM-DD "
                                 "or YYYY-MM-DDTHH:MM:SSZ", s);
    }

    if (mana_time_parse(text, MANA_TIME_LEN, &t) != 0
        || mana_time_format(text, t) != 0)
    {
        return mmctl_usage_error(ctx, "--since \"%s\": expected YYYY-MM-DD "
                                 "or YYYY-MM-DDTHH:MM:SSZ", s);
    }

    memcpy(out, text, 19);
    out[10] = ' ';
    out[19] = '\0';

    return MMCTL_OK;
}


/* the filters as an SQL condition on certificate c and citizen z */

static int
mmctl_cert_list_where(mmctl_ctx_t *ctx, mmctl_args_t *args, int64_t now,
    mana_buf_t *w)
{
    int          rc;
    char         since[20], now_text[MANA_TIME_LEN + 1];
    const char  *v;

    mana_time_format(now_text, now);
    now_text[19] = '\0';
    now_text[10] = ' ';

    mana_buf_adds(w, "1 = 1");

    if ((v = args->opt[MMCTL_CERT_LIST_SERVICE]) != NULL) {
        mana_buf_adds(w, " AND c.service_code = ");
        mana_buf_add_sql_text(w, v, strlen(v));
    }

    if ((v = args->opt[MMCTL_CERT_LIST_CITIZEN]) != NULL) {
        mana_buf_adds(w, " AND (z.phone = ");
        mana_buf_add_sql_text(w, v, strlen(v));

        if (*v && strspn(v, "0123456789") == strlen(v) && strlen(v) < 20) {
            mana_buf_addf(w, " OR c.citizen_id = %s", v);
        }

        mana_buf_adds(w, ")");
    }

    if ((v = args->opt[MMCTL_CERT_LIST_STATUS]) != NULL) {
        if (strcmp(v, "valid") == 0) {
            mana_buf_addf(w, " AND c.status = 'valid' AND (c.expires_at IS "
                          "NULL OR c.expires_at > '%s')", now_text);

        } else if (strcmp(v, "expired") == 0) {
            mana_buf_addf(w, " AND c.status = 'valid' AND c.expires_at <= "
                          "'%s'", now_text);

        } else if (strcmp(v, "revoked") == 0
                   || strcmp(v, "superseded") == 0)
        {
            mana_buf_addf(w, " AND c.status = '%s'", v);

        } else {
            return mmctl_usage_error(ctx, "--status \"%s\": expected valid, "
                                     "expired, revoked or superseded", v);
        }
    }

    if ((v = args->opt[MMCTL_CERT_LIST_SINCE]) != NULL) {
        rc = mmctl_cert_since(ctx, v, since);
        if (rc != MMCTL_OK) {
            return rc;
        }

        mana_buf_addf(w, " AND c.issued_at >= '%s'", since);
    }

    if (mana_buf_failed(w)) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    return MMCTL_OK;
}


int
mmctl_cert_list(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int              rc;
    char             issued[MANA_TIME_LEN + 1], expires[MANA_TIME_LEN + 1];
    char             index[24];
    size_t           i;
    json_t          *arr, *obj;
    int64_t          now;
    mana_buf_t       where;
    const char      *row[7];
    mmctl_cert_t    *c;
    mmctl_certs_t    certs;
    mmctl_table_t    t;

    now = mmctl_key_now();
    mana_buf_init(&where);

    rc = mmctl_cert_list_where(ctx, args, now, &where);
    if (rc != MMCTL_OK) {
        mana_buf_free(&where);
        return rc;
    }

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        mana_buf_free(&where);
        return rc;
    }

    rc = mmctl_cert_read(ctx, where.data, 0, &certs);
    mana_buf_free(&where);

    if (rc != MMCTL_OK) {
        return rc;
    }

    arr = json_array();
    row[0] = "ID";
    row[1] = "NUMBER";
    row[2] = "SERVICE";
    row[3] = "STATUS";
    row[4] = "ISSUED_AT";
    row[5] = "EXPIRES_AT";
    row[6] = "LOG_INDEX";

    if (arr == NULL || mmctl_table_init(&t, 7, row) != 0) {
        json_decref(arr);
        mmctl_certs_free(&certs);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    for (i = 0; i < certs.n; i++) {
        c = &certs.v[i];

        mana_time_format(issued, c->issued_at);

        if (c->expires_at) {
            mana_time_format(expires, c->expires_at);
        }

        snprintf(index, sizeof(index), "%lld", (long long) c->log_index);

        row[0] = c->cti_hex;
        row[1] = c->number;
        row[2] = c->service;
        row[3] = mmctl_cert_status(c, now);
        row[4] = issued;
        row[5] = c->expires_at ? expires : NULL;
        row[6] = index;

        obj = json_pack("{s:s,s:s,s:s,s:i,s:s,s:s,s:o,s:o,s:I}",
                        "id", c->cti_hex, "number", c->number,
                        "service", c->service, "doctype", (int) c->doctype,
                        "status", row[3], "issued_at", issued,
                        "expires_at", c->expires_at ? json_string(expires)
                                                    : json_null(),
                        "revoked_at", c->revoked_at >= 0
                                      ? mmctl_cert_json_time(c->revoked_at)
                                      : json_null(),
                        "log_index", (json_int_t) c->log_index);

        if (obj == NULL || json_array_append_new(arr, obj) != 0
            || mmctl_table_add(&t, row) != 0)
        {
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
            goto done;
        }
    }

    if (ctx->json) {
        rc = mmctl_text_print_json(ctx, json_pack("{s:O}", "certificates",
                                                  arr));

    } else {
        mmctl_table_print(&t, stdout);
    }

done:

    mmctl_table_free(&t);
    json_decref(arr);
    mmctl_certs_free(&certs);

    return rc;
}
