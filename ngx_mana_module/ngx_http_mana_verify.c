/*
 * /C/<BASE32>: the page a phone camera opens from a certificate's QR code,
 * in Telugu and English, and the same verdict as JSON for
 * "Accept: application/json".
 *
 * The verifier's steps (docs/certificates.md): decode and parse, bounded;
 * find the kid among the worker's keys; the signature, the key's status
 * and window, the expiry; then one query for the certificate's own status
 * and its leaf in the issuance log.  A certificate is genuine only when
 * its signature holds and the log holds it: a stolen key cannot mint
 * certificates silently.
 *
 * The path carries the holder's name: it leaves the request line, the URI
 * and the arguments before anything can write them to a log, and the page
 * tells browsers to send no Referer and store nothing.
 */

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_mana_module.h"
#include "ngx_http_mana_keys.h"
#include "mana_base32.h"
#include "mana_buf.h"
#include "mana_hex.h"
#include "mana_mm1.h"
#include "mana_tlog.h"


/* the Base32 text of the largest certificate */
#define NGX_HTTP_MANA_VERIFY_MAX_B32  ((MANA_MM1_MAX_LEN * 8 + 4) / 5)

/* the paper prints its dates in IST (India: one zone, no daylight saving) */
#define NGX_HTTP_MANA_VERIFY_IST      (5 * 3600 + 30 * 60)


typedef enum {
    NGX_HTTP_MANA_V_GENUINE = 0,
    NGX_HTTP_MANA_V_REVOKED,
    NGX_HTTP_MANA_V_EXPIRED,
    NGX_HTTP_MANA_V_TAMPERED,
    NGX_HTTP_MANA_V_UNKNOWN_KEY,
    NGX_HTTP_MANA_V_KEY_REVOKED,
    NGX_HTTP_MANA_V_KEY_WINDOW,
    NGX_HTTP_MANA_V_NOT_LOGGED,
    NGX_HTTP_MANA_V_MALFORMED,
    NGX_HTTP_MANA_V_UNAVAILABLE
} ngx_http_mana_verdict_e;


typedef struct {
    const char  *name;      /* in the JSON */
    const char  *en;
    const char  *te;
} ngx_http_mana_verdict_text_t;


static ngx_http_mana_verdict_text_t  ngx_http_mana_verdicts[] = {
    { "genuine",
      "Genuine certificate",
      "\xe0\xb0\xa8\xe0\xb0\xbf\xe0\xb0\x9c\xe0\xb0\xae\xe0\xb1\x88\xe0\xb0"
      "\xa8 \xe0\xb0\xa7\xe0\xb1\x8d\xe0\xb0\xb0\xe0\xb1\x81\xe0\xb0\xb5"
      "\xe0\xb0\xaa\xe0\xb0\xa4\xe0\xb1\x8d\xe0\xb0\xb0\xe0\xb0\x82" },
    { "revoked",
      "Revoked: the issuing office has withdrawn this certificate",
      "\xe0\xb0\xb0\xe0\xb0\xa6\xe0\xb1\x8d\xe0\xb0\xa6\xe0\xb1\x81 "
      "\xe0\xb0\x9a\xe0\xb1\x87\xe0\xb0\xaf\xe0\xb0\xac\xe0\xb0\xa1\xe0\xb0"
      "\xbf\xe0\xb0\x82\xe0\xb0\xa6\xe0\xb0\xbf" },
    { "expired",
      "Expired: this certificate is no longer valid",
      "\xe0\xb0\x97\xe0\xb0\xa1\xe0\xb1\x81\xe0\xb0\xb5\xe0\xb1\x81 "
      "\xe0\xb0\xae\xe0\xb1\x81\xe0\xb0\x97\xe0\xb0\xbf\xe0\xb0\xb8\xe0\xb0"
      "\xbf\xe0\xb0\x82\xe0\xb0\xa6\xe0\xb0\xbf" },
    { "tampered",
      "Not genuine: this certificate has been altered",
      "\xe0\xb0\xa8\xe0\xb0\xbf\xe0\xb0\x9c\xe0\xb0\xae\xe0\xb1\x88\xe0\xb0"
      "\xa8\xe0\xb0\xa6\xe0\xb0\xbf \xe0\xb0\x95\xe0\xb0\xbe\xe0\xb0\xa6"
      "\xe0\xb1\x81: \xe0\xb0\xae\xe0\xb0\xbe\xe0\xb0\xb0\xe0\xb1\x8d\xe0"
      "\xb0\x9a\xe0\xb0\xac\xe0\xb0\xa1\xe0\xb0\xbf\xe0\xb0\x82\xe0\xb0\xa6"
      "\xe0\xb0\xbf" },
    { "unknown_key",
      "Not genuine: signed by a key no Mana office holds",
      "\xe0\xb0\xa8\xe0\xb0\xbf\xe0\xb0\x9c\xe0\xb0\xae\xe0\xb1\x88\xe0\xb0"
      "\xa8\xe0\xb0\xa6\xe0\xb0\xbf \xe0\xb0\x95\xe0\xb0\xbe\xe0\xb0\xa6"
      "\xe0\xb1\x81: \xe0\xb0\xa4\xe0\xb1\x86\xe0\xb0\xb2\xe0\xb0\xbf\xe0"
      "\xb0\xaf\xe0\xb0\xa8\xe0\xb0\xbf \xe0\xb0\x95\xe0\xb1\x80" },
    { "key_revoked",
      "Not genuine: the signing key had been revoked when this was issued",
      "\xe0\xb0\xa8\xe0\xb0\xbf\xe0\xb0\x9c\xe0\xb0\xae\xe0\xb1\x88\xe0\xb0"
      "\xa8\xe0\xb0\xa6\xe0\xb0\xbf \xe0\xb0\x95\xe0\xb0\xbe\xe0\xb0\xa6"
      "\xe0\xb1\x81: \xe0\xb0\xb8\xe0\xb0\x82\xe0\xb0\xa4\xe0\xb0\x95\xe0"
      "\xb0\x82 \xe0\xb0\x95\xe0\xb1\x80 \xe0\xb0\xb0\xe0\xb0\xa6\xe0\xb1"
      "\x8d\xe0\xb0\xa6\xe0\xb1\x81" },
    { "key_not_valid",
      "Not genuine: issued outside the signing key's validity",
      "\xe0\xb0\xa8\xe0\xb0\xbf\xe0\xb0\x9c\xe0\xb0\xae\xe0\xb1\x88\xe0\xb0"
      "\xa8\xe0\xb0\xa6\xe0\xb0\xbf \xe0\xb0\x95\xe0\xb0\xbe\xe0\xb0\xa6"
      "\xe0\xb1\x81: \xe0\xb0\x95\xe0\xb1\x80 \xe0\xb0\x9a\xe0\xb1\x86\xe0"
      "\xb0\xb2\xe0\xb1\x8d\xe0\xb0\xb2\xe0\xb1\x81\xe0\xb0\xac\xe0\xb0\xbe"
      "\xe0\xb0\x9f\xe0\xb1\x81 \xe0\xb0\x95\xe0\xb0\xbe\xe0\xb0\xb2\xe0"
      "\xb0\x82 \xe0\xb0\xb5\xe0\xb1\x86\xe0\xb0\xb2\xe0\xb1\x81\xe0\xb0"
      "\xaa\xe0\xb0\xb2" },
    { "not_in_log",
      "Not genuine: this certificate is not in the public issuance log",
      "\xe0\xb0\xa8\xe0\xb0\xbf\xe0\xb0\x9c\xe0\xb0\xae\xe0\xb1\x88\xe0\xb0"
      "\xa8\xe0\xb0\xa6\xe0\xb0\xbf \xe0\xb0\x95\xe0\xb0\xbe\xe0\xb0\xa6"
      "\xe0\xb1\x81: \xe0\xb0\x9c\xe0\xb0\xbe\xe0\xb0\xb0\xe0\xb1\x80 "
      "\xe0\xb0\xb2\xe0\xb0\xbe\xe0\xb0\x97\xe0\xb1\x8d\xe2\x80\x8c\xe0\xb0"
      "\xb2\xe0\xb1\x8b \xe0\xb0\xb2\xe0\xb1\x87\xe0\xb0\xa6\xe0\xb1\x81" },
    { "malformed",
      "This is not a readable Mana certificate code",
      "\xe0\xb0\x87\xe0\xb0\xa6\xe0\xb0\xbf \xe0\xb0\x9a\xe0\xb0\xa6\xe0"
      "\xb0\xb5\xe0\xb0\x97\xe0\xb0\xb2\xe0\xb0\xbf\xe0\xb0\x97\xe0\xb1\x87 "
      "\xe0\xb0\xa7\xe0\xb1\x8d\xe0\xb0\xb0\xe0\xb1\x81\xe0\xb0\xb5\xe0\xb0"
      "\xaa\xe0\xb0\xa4\xe0\xb1\x8d\xe0\xb0\xb0\xe0\xb0\x82 \xe0\xb0\x95"
      "\xe0\xb1\x8b\xe0\xb0\xa1\xe0\xb1\x8d \xe0\xb0\x95\xe0\xb0\xbe\xe0"
      "\xb0\xa6\xe0\xb1\x81" },
    { "unavailable",
      "Verification is unavailable right now: try again in a minute",
      "\xe0\xb0\xaa\xe0\xb1\x8d\xe0\xb0\xb0\xe0\xb0\xb8\xe0\xb1\x8d\xe0\xb0"
      "\xa4\xe0\xb1\x81\xe0\xb0\xa4\xe0\xb0\x82 \xe0\xb0\xa7\xe0\xb1\x83"
      "\xe0\xb0\xb5\xe0\xb1\x80\xe0\xb0\x95\xe0\xb0\xb0\xe0\xb0\xa3 \xe0"
      "\xb0\x85\xe0\xb0\x82\xe0\xb0\xa6\xe0\xb1\x81\xe0\xb0\xac\xe0\xb0\xbe"
      "\xe0\xb0\x9f\xe0\xb1\x81\xe0\xb0\xb2\xe0\xb1\x8b \xe0\xb0\xb2\xe0"
      "\xb1\x87\xe0\xb0\xa6\xe0\xb1\x81" }
};


typedef struct {
    ngx_http_request_t          *request;
    ngx_http_mana_db_job_t      *job;
    u_char                      *cose;
    size_t                       len;
    mana_mm1_parsed_t           *parsed;    /* NULL when it did not parse */
    ngx_http_mana_verdict_e      verdict;
    const ngx_http_mana_key_t   *key;
    int64_t                      log_index;
    /* from the catalogue, as the paper prints them; empty when unknown */
    ngx_str_t                    service;
    ngx_str_t                    service_en;
    ngx_str_t                    service_te;
    ngx_str_t                    office_en;
    ngx_str_t                    office_te;
    unsigned                     in_log:1;
    unsigned                     json:1;
} ngx_http_mana_verify_ctx_t;


static void ngx_http_mana_verify_row(ngx_http_mana_db_job_t *job,
    ngx_uint_t stmt, MYSQL_RES *res);
static void ngx_http_mana_verify_text(ngx_http_mana_verify_ctx_t *ctx,
    ngx_str_t *to, const char *v, unsigned long n);
static void ngx_http_mana_verify_looked_up(ngx_http_mana_db_job_t *job);
static void ngx_http_mana_verify_cleanup(void *data);
static ngx_int_t ngx_http_mana_verify_reply(ngx_http_request_t *r,
    ngx_http_mana_verify_ctx_t *ctx);


ngx_int_t
ngx_http_mana_verify_handler(ngx_http_request_t *r)
{
    u_char                      *p, *seg, *last;
    size_t                       n;
    mana_buf_t                   sql;
    const char                  *err;
    ngx_int_t                    rc;
    ngx_pool_cleanup_t          *cln;
    mana_mm1_verdict_e           v;
    ngx_http_mana_db_job_t      *job;
    ngx_http_mana_verify_ctx_t  *ctx;

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        ngx_http_mana_redact(r, "/C/-");
        return NGX_HTTP_NOT_ALLOWED;
    }

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        ngx_http_mana_redact(r, "/C/-");
        return rc;
    }

    ctx = ngx_pcalloc(r->pool, sizeof(ngx_http_mana_verify_ctx_t));
    if (ctx == NULL) {
        ngx_http_mana_redact(r, "/C/-");
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->request = r;
    ctx->log_index = -1;

    if (r->headers_in.accept
        && ngx_strlcasestrn(r->headers_in.accept->value.data,
                            r->headers_in.accept->value.data
                            + r->headers_in.accept->value.len,
                            (u_char *) "application/json", 16 - 1)
           != NULL)
    {
        ctx->json = 1;
    }

    /* the certificate is the last segment of the path */
    last = r->uri.data + r->uri.len;
    for (p = last; p > r->uri.data && p[-1] != '/'; p--) { /* void */ }
    n = last - p;

    seg = NULL;
    if (n > 0 && n <= NGX_HTTP_MANA_VERIFY_MAX_B32) {
        seg = ngx_pnalloc(r->pool, n);
        if (seg) {
            ngx_memcpy(seg, p, n);
        }
    }

    ngx_http_mana_redact(r, "/C/-");

    ctx->verdict = NGX_HTTP_MANA_V_MALFORMED;

    if (seg == NULL) {
        return ngx_http_mana_verify_reply(r, ctx);
    }

    ctx->cose = ngx_pnalloc(r->pool, MANA_MM1_MAX_LEN);
    ctx->parsed = ngx_palloc(r->pool, sizeof(mana_mm1_parsed_t));
    if (ctx->cose == NULL || ctx->parsed == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (mana_base32_decode(ctx->cose, MANA_MM1_MAX_LEN, &ctx->len,
                           (const char *) seg, n)
        != MANA_BASE32_OK
        || mana_mm1_parse(ctx->parsed, ctx->cose, ctx->len, &err) != 0)
    {
        ctx->parsed = NULL;
        return ngx_http_mana_verify_reply(r, ctx);
    }

    if (!ngx_http_mana_keys_loaded()) {
        ctx->verdict = NGX_HTTP_MANA_V_UNAVAILABLE;
        return ngx_http_mana_verify_reply(r, ctx);
    }

    ctx->key = ngx_http_mana_key_find(ctx->parsed->kid);

    v = mana_mm1_verdict(ctx->parsed, ctx->key ? &ctx->key->key : NULL,
                         (int64_t) ngx_time());

    switch (v) {

    case MANA_MM1_VALID:
        ctx->verdict = NGX_HTTP_MANA_V_GENUINE;
        break;

    case MANA_MM1_EXPIRED:
        ctx->verdict = NGX_HTTP_MANA_V_EXPIRED;
        break;

    case MANA_MM1_TAMPERED:
        ctx->verdict = NGX_HTTP_MANA_V_TAMPERED;
        return ngx_http_mana_verify_reply(r, ctx);

    case MANA_MM1_UNKNOWN_KEY:
        ctx->verdict = NGX_HTTP_MANA_V_UNKNOWN_KEY;
        return ngx_http_mana_verify_reply(r, ctx);

    case MANA_MM1_KEY_REVOKED:
        ctx->verdict = NGX_HTTP_MANA_V_KEY_REVOKED;
        return ngx_http_mana_verify_reply(r, ctx);

    default:
        ctx->verdict = NGX_HTTP_MANA_V_KEY_WINDOW;
        return ngx_http_mana_verify_reply(r, ctx);
    }

    /* the signature holds: what do the certificate table and the log say */

    mana_buf_init(&sql);
    mana_buf_adds(&sql, "SELECT c.status, c.log_index, c.cose = ");
    mana_buf_add_sql_bytes(&sql, ctx->cose, ctx->len);
    mana_buf_adds(&sql, ", l.leaf, c.service_code, "
                        "JSON_VALUE(s.name, '$.en'), "
                        "JSON_VALUE(s.name, '$.te'), "
                        "JSON_VALUE(o.name, '$.en'), "
                        "JSON_VALUE(o.name, '$.te') "
                        "FROM certificate c LEFT JOIN tlog_leaf l "
                        "ON l.idx = c.log_index "
                        "LEFT JOIN service s ON s.code = c.service_code "
                        "LEFT JOIN office o ON o.code = ");
    mana_buf_add_sql_text(&sql, ctx->parsed->claims.iss.data,
                          ctx->parsed->claims.iss.len);
    mana_buf_adds(&sql, " WHERE c.cti = ");
    mana_buf_add_sql_bytes(&sql, ctx->parsed->claims.cti, MANA_MM1_CTI_LEN);

    cln = ngx_pool_cleanup_add(r->pool, 0);
    job = mana_buf_failed(&sql) ? NULL
          : ngx_http_mana_db_job_create(ngx_http_mana_db_pool, sql.len);

    if (cln == NULL || job == NULL) {
        mana_buf_free(&sql);
        if (job) {
            ngx_http_mana_db_cancel(job);
        }
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_memcpy(job->sql.data, sql.data, sql.len);
    mana_buf_free(&sql);

    job->handler = ngx_http_mana_verify_looked_up;
    job->result = ngx_http_mana_verify_row;
    job->data = ctx;

    if (ngx_http_mana_db_post(job) != NGX_OK) {
        ngx_http_mana_db_cancel(job);
        ctx->verdict = NGX_HTTP_MANA_V_UNAVAILABLE;
        return ngx_http_mana_verify_reply(r, ctx);
    }

    ctx->job = job;
    cln->handler = ngx_http_mana_verify_cleanup;
    cln->data = ctx;

    r->main->count++;

    return NGX_DONE;
}


static void
ngx_http_mana_verify_row(ngx_http_mana_db_job_t *job, ngx_uint_t stmt,
    MYSQL_RES *res)
{
    MYSQL_ROW                    row;
    unsigned long               *len;
    u_char                       leaf[MANA_TLOG_ISSUANCE_LEAF_LEN];
    ngx_http_mana_verify_ctx_t  *ctx = job->data;

    row = mysql_fetch_row(res);

    if (row == NULL) {
        /* signed by a known key, yet never issued: a stolen key */
        ctx->verdict = NGX_HTTP_MANA_V_NOT_LOGGED;
        return;
    }

    len = mysql_fetch_lengths(res);

    if (row[2] == NULL || row[2][0] != '1') {
        /* another certificate holds this cti */
        ctx->verdict = NGX_HTTP_MANA_V_NOT_LOGGED;
        return;
    }

    /* the log's leaf for it: kid, SHA-256 of the bytes, iat, doctype */
    if (mana_tlog_issuance_leaf(leaf, ctx->parsed->kid, ctx->cose, ctx->len,
                                (uint64_t) ctx->parsed->claims.iat,
                                (unsigned) ctx->parsed->claims.doctype)
        != 0
        || row[3] == NULL || len[3] != MANA_TLOG_ISSUANCE_LEAF_LEN
        || ngx_memcmp(row[3], leaf, MANA_TLOG_ISSUANCE_LEAF_LEN) != 0)
    {
        ctx->verdict = NGX_HTTP_MANA_V_NOT_LOGGED;
        return;
    }

    ctx->in_log = 1;
    ctx->log_index = row[1] ? (int64_t) strtoll(row[1], NULL, 10) : -1;

    /* what the paper's title and header say: a failed copy shows less */
    ngx_http_mana_verify_text(ctx, &ctx->service, row[4], len[4]);
    ngx_http_mana_verify_text(ctx, &ctx->service_en, row[5], len[5]);
    ngx_http_mana_verify_text(ctx, &ctx->service_te, row[6], len[6]);
    ngx_http_mana_verify_text(ctx, &ctx->office_en, row[7], len[7]);
    ngx_http_mana_verify_text(ctx, &ctx->office_te, row[8], len[8]);

    if (row[0] && ngx_strcmp(row[0], "valid") != 0) {
        ctx->verdict = NGX_HTTP_MANA_V_REVOKED;
    }
}


static void
ngx_http_mana_verify_text(ngx_http_mana_verify_ctx_t *ctx, ngx_str_t *to,
    const char *v, unsigned long n)
{
    if (v == NULL || n == 0) {
        return;
    }

    to->data = ngx_pnalloc(ctx->request->pool, n);
    if (to->data == NULL) {
        return;
    }

    ngx_memcpy(to->data, v, n);
    to->len = n;
}


static void
ngx_http_mana_verify_looked_up(ngx_http_mana_db_job_t *job)
{
    ngx_int_t                    rc;
    ngx_http_request_t          *r;
    ngx_http_mana_verify_ctx_t  *ctx = job->data;

    ctx->job = NULL;
    r = ctx->request;

    if (job->rc != NGX_OK) {
        ctx->verdict = NGX_HTTP_MANA_V_UNAVAILABLE;
    }

    rc = ngx_http_mana_verify_reply(r, ctx);

    ngx_http_finalize_request(r, rc);
}


static void
ngx_http_mana_verify_cleanup(void *data)
{
    ngx_http_mana_verify_ctx_t  *ctx = data;

    if (ctx->job) {
        ngx_http_mana_db_cancel(ctx->job);
        ctx->job = NULL;
    }
}


/* the day in India: JSON as YYYY-MM-DD, the page as the paper, DD-MM-YYYY */
static void
ngx_http_mana_verify_date(mana_buf_t *b, int64_t t, ngx_uint_t paper)
{
    ngx_tm_t  tm;

    ngx_gmtime((time_t) (t + NGX_HTTP_MANA_VERIFY_IST), &tm);

    if (paper) {
        mana_buf_addf(b, "%02d-%02d-%04d", tm.ngx_tm_mday, tm.ngx_tm_mon,
                      tm.ngx_tm_year);

    } else {
        mana_buf_addf(b, "%04d-%02d-%02d", tm.ngx_tm_year, tm.ngx_tm_mon,
                      tm.ngx_tm_mday);
    }
}


static void
ngx_http_mana_verify_json(mana_buf_t *b, ngx_http_mana_verify_ctx_t *ctx)
{
    size_t              i;
    mana_mm1_claims_t  *c;

    mana_buf_addf(b, "{\"verdict\":\"%s\",\"genuine\":%s",
                  ngx_http_mana_verdicts[ctx->verdict].name,
                  ctx->verdict == NGX_HTTP_MANA_V_GENUINE ? "true" : "false");

    mana_buf_adds(b, ",\"message\":{\"en\":");
    mana_buf_add_json_str(b, ngx_http_mana_verdicts[ctx->verdict].en,
                          ngx_strlen(ngx_http_mana_verdicts[ctx->verdict].en));
    mana_buf_adds(b, ",\"te\":");
    mana_buf_add_json_str(b, ngx_http_mana_verdicts[ctx->verdict].te,
                          ngx_strlen(ngx_http_mana_verdicts[ctx->verdict].te));
    mana_buf_adds(b, "}");

    /* what it says, only when the signature holds */
    if (ctx->parsed && ctx->verdict <= NGX_HTTP_MANA_V_EXPIRED) {
        c = &ctx->parsed->claims;

        mana_buf_adds(b, ",\"certificate\":{\"issuer\":");
        mana_buf_add_json_str(b, c->iss.data, c->iss.len);
        mana_buf_adds(b, ",\"number\":");
        mana_buf_add_json_str(b, c->number.data, c->number.len);
        mana_buf_adds(b, ",\"holder\":");
        mana_buf_add_json_str(b, c->holder.data, c->holder.len);

        if (c->relation.len) {
            mana_buf_adds(b, ",\"relation\":");
            mana_buf_add_json_str(b, c->relation.data, c->relation.len);
        }

        mana_buf_addf(b, ",\"document_type\":%llu,\"issued_at\":\"",
                      (unsigned long long) c->doctype);
        ngx_http_mana_verify_date(b, c->iat, 0);
        mana_buf_adds(b, "\"");

        if (c->exp) {
            mana_buf_adds(b, ",\"expires_at\":\"");
            ngx_http_mana_verify_date(b, c->exp, 0);
            mana_buf_adds(b, "\"");
        }

        mana_buf_adds(b, ",\"facts\":{");

        for (i = 0; i < c->nfacts; i++) {
            if (i) {
                mana_buf_adds(b, ",");
            }

            mana_buf_add_json_str(b, c->facts[i].key.data,
                                  c->facts[i].key.len);
            mana_buf_adds(b, ":");
            mana_buf_add_json_str(b, c->facts[i].value.data,
                                  c->facts[i].value.len);
        }

        mana_buf_adds(b, "}}");

        mana_buf_addf(b, ",\"log\":{\"included\":%s",
                      ctx->in_log ? "true" : "false");

        if (ctx->in_log) {
            mana_buf_addf(b, ",\"index\":%lld", (long long) ctx->log_index);
        }

        mana_buf_adds(b, "}");
    }

    mana_buf_adds(b, "}\n");
}


static void
ngx_http_mana_verify_row_html(mana_buf_t *b, const char *en, const char *te,
    const char *v, size_t n)
{
    mana_buf_addf(b, "<tr><th>%s<br><span lang=\"te\">%s</span></th><td>",
                  en, te);
    mana_buf_add_html(b, v, n);
    mana_buf_adds(b, "</td></tr>\n");
}


/* a name in English over the same in Telugu, then a code when given */
static void
ngx_http_mana_verify_row_names(mana_buf_t *b, const char *en, const char *te,
    ngx_str_t *name_en, ngx_str_t *name_te, ngx_str_t *code)
{
    const char  *br;

    mana_buf_addf(b, "<tr><th>%s<br><span lang=\"te\">%s</span></th><td>",
                  en, te);

    br = "";

    if (name_en->len) {
        mana_buf_add_html(b, (char *) name_en->data, name_en->len);
        br = "<br>";
    }

    if (name_te->len) {
        mana_buf_addf(b, "%s<span lang=\"te\">", br);
        mana_buf_add_html(b, (char *) name_te->data, name_te->len);
        mana_buf_adds(b, "</span>");
        br = "<br>";
    }

    if (code && code->len) {
        mana_buf_adds(b, br);
        mana_buf_add_html(b, (char *) code->data, code->len);
    }

    mana_buf_adds(b, "</td></tr>\n");
}


static void
ngx_http_mana_verify_html(mana_buf_t *b, ngx_http_mana_verify_ctx_t *ctx)
{
    size_t                         i;
    ngx_str_t                      iss;
    mana_buf_t                     d;
    mana_mm1_claims_t             *c;
    ngx_http_mana_verdict_text_t  *t;

    t = &ngx_http_mana_verdicts[ctx->verdict];

    mana_buf_adds(b,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, "
        "initial-scale=1\">\n<title>Mana certificate check</title>\n<style>"
        "body{font-family:sans-serif;margin:0;background:#f4f4f4;color:#222}"
        "main{max-width:40em;margin:0 auto;padding:1em}"
        ".verdict{padding:1em;border-radius:.5em;color:#fff;font-size:1.2em}"
        ".ok{background:#1b7f3b}.warn{background:#a66a00}"
        ".bad{background:#b00020}"
        "table{border-collapse:collapse;width:100%;margin-top:1em;"
        "background:#fff}th,td{text-align:left;padding:.5em;"
        "border-bottom:1px solid #ddd;vertical-align:top}"
        "th{width:40%;font-weight:normal;color:#555}"
        "p.note{color:#555;font-size:.9em}</style></head>\n<body><main>\n");

    mana_buf_addf(b, "<div class=\"verdict %s\" id=\"verdict\" "
                     "data-verdict=\"%s\"><p>%s</p><p lang=\"te\">%s</p>"
                     "</div>\n",
                  ctx->verdict == NGX_HTTP_MANA_V_GENUINE ? "ok"
                  : ctx->verdict == NGX_HTTP_MANA_V_EXPIRED
                    || ctx->verdict == NGX_HTTP_MANA_V_UNAVAILABLE ? "warn"
                  : "bad",
                  t->name, t->en, t->te);

    if (ctx->parsed && ctx->verdict <= NGX_HTTP_MANA_V_EXPIRED) {
        c = &ctx->parsed->claims;

        mana_buf_adds(b, "<table>\n");

        /* the paper's title: the service's name, or its code */
        if (ctx->service.len) {
            ngx_http_mana_verify_row_names(b, "Certificate",
                "\xe0\xb0\xa7\xe0\xb1\x8d\xe0\xb0\xb0\xe0\xb1\x81\xe0\xb0\xb5"
                "\xe0\xb0\xaa\xe0\xb0\xa4\xe0\xb1\x8d\xe0\xb0\xb0\xe0\xb0\x82",
                &ctx->service_en, &ctx->service_te,
                ctx->service_en.len || ctx->service_te.len
                ? NULL : &ctx->service);
        }

        ngx_http_mana_verify_row_html(b, "Name", "\xe0\xb0\xaa\xe0\xb1\x87"
                                      "\xe0\xb0\xb0\xe0\xb1\x81",
                                      c->holder.data, c->holder.len);

        if (c->relation.len) {
            ngx_http_mana_verify_row_html(b, "Relation",
                "\xe0\xb0\xb8\xe0\xb0\x82\xe0\xb0\xac\xe0\xb0\x82\xe0\xb0"
                "\xa7\xe0\xb0\x82", c->relation.data, c->relation.len);
        }

        ngx_http_mana_verify_row_html(b, "Certificate number",
            "\xe0\xb0\xa7\xe0\xb1\x8d\xe0\xb0\xb0\xe0\xb1\x81\xe0\xb0\xb5"
            "\xe0\xb0\xaa\xe0\xb0\xa4\xe0\xb1\x8d\xe0\xb0\xb0\xe0\xb0\x82 "
            "\xe0\xb0\xb8\xe0\xb0\x82\xe0\xb0\x96\xe0\xb1\x8d\xe0\xb0\xaf",
            c->number.data, c->number.len);
        /* the office by the name on the paper, and the signed code */
        iss.data = (u_char *) c->iss.data;
        iss.len = c->iss.len;
        ngx_http_mana_verify_row_names(b, "Issued by",
            "\xe0\xb0\x9c\xe0\xb0\xbe\xe0\xb0\xb0\xe0\xb1\x80 \xe0\xb0\x9a"
            "\xe0\xb1\x87\xe0\xb0\xb8\xe0\xb0\xbf\xe0\xb0\xa8 \xe0\xb0\x95"
            "\xe0\xb0\xbe\xe0\xb0\xb0\xe0\xb1\x8d\xe0\xb0\xaf\xe0\xb0\xbe"
            "\xe0\xb0\xb2\xe0\xb0\xaf\xe0\xb0\x82", &ctx->office_en,
            &ctx->office_te, &iss);

        mana_buf_init(&d);
        ngx_http_mana_verify_date(&d, c->iat, 1);
        ngx_http_mana_verify_row_html(b, "Issued on",
            "\xe0\xb0\x9c\xe0\xb0\xbe\xe0\xb0\xb0\xe0\xb1\x80 \xe0\xb0\xa4"
            "\xe0\xb1\x87\xe0\xb0\xa6\xe0\xb1\x80", d.data ? d.data : "",
            d.len);
        mana_buf_free(&d);

        if (c->exp) {
            mana_buf_init(&d);
            ngx_http_mana_verify_date(&d, c->exp, 1);
            ngx_http_mana_verify_row_html(b, "Valid until",
                "\xe0\xb0\x9a\xe0\xb1\x86\xe0\xb0\xb2\xe0\xb1\x8d\xe0\xb0"
                "\xb2\xe0\xb1\x81\xe0\xb0\xac\xe0\xb0\xbe\xe0\xb0\x9f\xe0"
                "\xb1\x81", d.data ? d.data : "", d.len);
            mana_buf_free(&d);
        }

        for (i = 0; i < c->nfacts; i++) {
            mana_buf_adds(b, "<tr><th>");
            mana_buf_add_html(b, c->facts[i].key.data, c->facts[i].key.len);
            mana_buf_adds(b, "</th><td>");
            mana_buf_add_html(b, c->facts[i].value.data,
                              c->facts[i].value.len);
            mana_buf_adds(b, "</td></tr>\n");
        }

        mana_buf_init(&d);

        if (ctx->in_log) {
            mana_buf_addf(&d, "#%lld", (long long) ctx->log_index);

        } else {
            mana_buf_adds(&d, "-");
        }

        ngx_http_mana_verify_row_html(b, "Public log entry",
            "\xe0\xb0\xaa\xe0\xb0\xac\xe0\xb1\x8d\xe0\xb0\xb2\xe0\xb0\xbf"
            "\xe0\xb0\x95\xe0\xb1\x8d \xe0\xb0\xb2\xe0\xb0\xbe\xe0\xb0\x97"
            "\xe0\xb1\x8d", d.data ? d.data : "-", d.len ? d.len : 1);
        mana_buf_free(&d);

        mana_buf_adds(b, "</table>\n<p class=\"note\">Compare these facts "
                         "with the paper: a genuine code on a changed paper "
                         "is still a forgery.</p>\n<p class=\"note\" "
                         "lang=\"te\">"
                         "\xe0\xb0\x88 \xe0\xb0\xb5\xe0\xb0\xbf\xe0\xb0\xb5"
                         "\xe0\xb0\xb0\xe0\xb0\xbe\xe0\xb0\xb2\xe0\xb0\xa8"
                         "\xe0\xb1\x81 \xe0\xb0\x95\xe0\xb0\xbe\xe0\xb0\x97"
                         "\xe0\xb0\xbf\xe0\xb0\xa4\xe0\xb0\x82\xe0\xb0\xaa"
                         "\xe0\xb1\x88 \xe0\xb0\x89\xe0\xb0\xa8\xe0\xb1\x8d"
                         "\xe0\xb0\xa8\xe0\xb0\xb5\xe0\xb0\xbe\xe0\xb0\x9f"
                         "\xe0\xb0\xbf\xe0\xb0\xa4\xe0\xb1\x8b \xe0\xb0\xb8"
                         "\xe0\xb0\xb0\xe0\xb0\xbf\xe0\xb0\xaa\xe0\xb1\x8b"
                         "\xe0\xb0\xb2\xe0\xb1\x8d\xe0\xb0\x9a\xe0\xb0\x82"
                         "\xe0\xb0\xa1\xe0\xb0\xbf: \xe0\xb0\xae\xe0\xb0\xbe"
                         "\xe0\xb0\xb0\xe0\xb1\x8d\xe0\xb0\x9a\xe0\xb0\xbf"
                         "\xe0\xb0\xa8 \xe0\xb0\x95\xe0\xb0\xbe\xe0\xb0\x97"
                         "\xe0\xb0\xbf\xe0\xb0\xa4\xe0\xb0\x82\xe0\xb0\xaa"
                         "\xe0\xb1\x88 \xe0\xb0\xa8\xe0\xb0\xbf\xe0\xb0\x9c"
                         "\xe0\xb0\xae\xe0\xb1\x88\xe0\xb0\xa8 \xe0\xb0\x95"
                         "\xe0\xb1\x8b\xe0\xb0\xa1\xe0\xb1\x8d \xe0\xb0\x89"
                         "\xe0\xb0\xa8\xe0\xb1\x8d\xe0\xb0\xa8\xe0\xb0\xbe "
                         "\xe0\xb0\x85\xe0\xb0\xa6\xe0\xb0\xbf \xe0\xb0\xa8"
                         "\xe0\xb0\x95\xe0\xb0\xbf\xe0\xb0\xb2\xe0\xb1\x80"
                         "\xe0\xb0\xaf\xe0\xb1\x87."
                         "</p>\n");
    }

    mana_buf_adds(b, "</main></body></html>\n");
}


static ngx_int_t
ngx_http_mana_verify_reply(ngx_http_request_t *r,
    ngx_http_mana_verify_ctx_t *ctx)
{
    u_char           *p;
    ngx_int_t         rc;
    mana_buf_t        b;
    ngx_uint_t        status;
    ngx_table_elt_t  *h;

    static struct {
        ngx_str_t  key;
        ngx_str_t  value;
    } headers[] = {
        { ngx_string("Cache-Control"), ngx_string("no-store") },
        /* the URL carries the holder's name: never pass it on */
        { ngx_string("Referrer-Policy"), ngx_string("no-referrer") },
        { ngx_string("X-Content-Type-Options"), ngx_string("nosniff") },
        { ngx_string("Content-Security-Policy"),
          ngx_string("default-src 'none'; style-src 'unsafe-inline'") }
    };

    mana_buf_init(&b);

    if (ctx->json) {
        ngx_http_mana_verify_json(&b, ctx);

    } else {
        ngx_http_mana_verify_html(&b, ctx);
    }

    if (mana_buf_failed(&b)) {
        mana_buf_free(&b);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = ngx_pnalloc(r->pool, b.len);
    if (p == NULL) {
        mana_buf_free(&b);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_memcpy(p, b.data, b.len);

    for (rc = 0; rc < (ngx_int_t) (sizeof(headers) / sizeof(headers[0]));
         rc++)
    {
        h = ngx_list_push(&r->headers_out.headers);
        if (h == NULL) {
            mana_buf_free(&b);
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        h->hash = 1;
        h->key = headers[rc].key;
        h->value = headers[rc].value;
    }

    status = ctx->verdict == NGX_HTTP_MANA_V_MALFORMED ? NGX_HTTP_BAD_REQUEST
             : ctx->verdict == NGX_HTTP_MANA_V_UNAVAILABLE
               ? NGX_HTTP_SERVICE_UNAVAILABLE
             : NGX_HTTP_OK;

    rc = ngx_http_mana_send(r, status,
                            ctx->json ? "application/json"
                                      : "text/html; charset=utf-8",
                            p, b.len);
    mana_buf_free(&b);

    return rc;
}
