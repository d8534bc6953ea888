/*
 * The Cloud API webhook: the GET verification handshake, and POSTs that
 * are verified, parsed and stored in one transaction before Meta is
 * answered 200.  Anything short of a commit is a 503, so Meta retries and
 * nothing is lost; the unique wamid makes the retry harmless.
 */

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <openssl/crypto.h>

#include "ngx_http_mana_module.h"
#include "ngx_http_mana_conversation.h"
#include "mana_buf.h"
#include "mana_hmac.h"
#include "mana_ingest_sql.h"
#include "mana_webhook.h"


#define NGX_HTTP_MANA_CHALLENGE_MAX  512
#define NGX_HTTP_MANA_JSON           "application/json"


typedef struct {
    ngx_http_request_t      *request;
    ngx_http_mana_db_job_t  *job;
    ngx_http_mana_conv_t    *conv;
    ngx_uint_t               messages;
    ngx_uint_t               statuses;
    ngx_uint_t               skipped;
} ngx_http_mana_webhook_ctx_t;


static ngx_int_t ngx_http_mana_handshake(ngx_http_request_t *r);
static void ngx_http_mana_webhook_body(ngx_http_request_t *r);
static void ngx_http_mana_webhook_done(ngx_http_mana_db_job_t *job);
static void ngx_http_mana_webhook_cleanup(void *data);
static void ngx_http_mana_webhook_answered(void *data, ngx_int_t rc,
    ngx_uint_t stored, ngx_uint_t duplicate, ngx_uint_t statuses,
    ngx_uint_t skipped);


ngx_int_t
ngx_http_mana_webhook_handler(ngx_http_request_t *r)
{
    ngx_int_t  rc;

    if (r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD)) {
        return ngx_http_mana_handshake(r);
    }

    if (!(r->method & NGX_HTTP_POST)) {
        return NGX_HTTP_NOT_ALLOWED;
    }

    r->request_body_in_single_buf = 1;

    rc = ngx_http_read_client_request_body(r, ngx_http_mana_webhook_body);

    if (rc >= NGX_HTTP_SPECIAL_RESPONSE) {
        return rc;
    }

    return NGX_DONE;
}


static ngx_int_t
ngx_http_mana_arg(ngx_http_request_t *r, char *name, ngx_str_t *value)
{
    u_char     *dst, *src;
    ngx_str_t   raw;

    if (ngx_http_arg(r, (u_char *) name, ngx_strlen(name), &raw) != NGX_OK) {
        return NGX_DECLINED;
    }

    value->data = ngx_pnalloc(r->pool, raw.len + 1);
    if (value->data == NULL) {
        return NGX_ERROR;
    }

    dst = value->data;
    src = raw.data;
    ngx_unescape_uri(&dst, &src, raw.len, 0);
    value->len = dst - value->data;

    return NGX_OK;
}


/* Meta's "hub.challenge" handshake, when the callback URL is set */
static ngx_int_t
ngx_http_mana_handshake(ngx_http_request_t *r)
{
    ngx_int_t                  rc;
    ngx_str_t                  mode, token, challenge;
    ngx_http_mana_loc_conf_t  *mlcf;

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    mlcf = ngx_http_get_module_loc_conf(r, ngx_http_mana_module);

    if (ngx_http_mana_arg(r, "hub.mode", &mode) != NGX_OK
        || ngx_http_mana_arg(r, "hub.verify_token", &token) != NGX_OK
        || ngx_http_mana_arg(r, "hub.challenge", &challenge) != NGX_OK)
    {
        return NGX_HTTP_FORBIDDEN;
    }

    if (mode.len != 9 || ngx_strncmp(mode.data, "subscribe", 9) != 0
        || token.len != mlcf->verify_token.len
        || CRYPTO_memcmp(token.data, mlcf->verify_token.data, token.len) != 0)
    {
        ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                      "mana webhook: verification with a wrong token "
                      "or mode refused");
        return NGX_HTTP_FORBIDDEN;
    }

    if (challenge.len == 0 || challenge.len > NGX_HTTP_MANA_CHALLENGE_MAX) {
        return NGX_HTTP_FORBIDDEN;
    }

    return ngx_http_mana_send(r, NGX_HTTP_OK, "text/plain", challenge.data,
                              challenge.len);
}


/* what was taken: Meta ignores it, people and tests read it */
static ngx_int_t
ngx_http_mana_webhook_reply(ngx_http_request_t *r, ngx_uint_t stored,
    ngx_uint_t duplicate, ngx_uint_t statuses, ngx_uint_t skipped)
{
    u_char  *p;
    size_t   len;

    len = sizeof("{\"stored\":,\"duplicate\":,\"statuses\":,\"skipped\":}")
          + 4 * NGX_INT_T_LEN;

    p = ngx_pnalloc(r->pool, len);
    if (p == NULL) {
        return NGX_ERROR;
    }

    len = ngx_snprintf(p, len,
                       "{\"stored\":%ui,\"duplicate\":%ui,\"statuses\":%ui,"
                       "\"skipped\":%ui}",
                       stored, duplicate, statuses, skipped)
          - p;

    return ngx_http_mana_send(r, NGX_HTTP_OK, NGX_HTTP_MANA_JSON, p, len);
}


static ngx_int_t
ngx_http_mana_json_reply(ngx_http_request_t *r, ngx_uint_t status,
    const char *json)
{
    return ngx_http_mana_send(r, status, NGX_HTTP_MANA_JSON, (u_char *) json,
                              ngx_strlen(json));
}


/* the raw body as one piece of memory: the signature is over these bytes */
static ngx_int_t
ngx_http_mana_body(ngx_http_request_t *r, ngx_str_t *body)
{
    u_char       *p;
    size_t        len;
    ngx_chain_t  *cl;

    body->len = 0;
    body->data = (u_char *) "";

    if (r->request_body == NULL || r->request_body->bufs == NULL) {
        return NGX_OK;
    }

    len = 0;

    for (cl = r->request_body->bufs; cl; cl = cl->next) {
        if (ngx_buf_size(cl->buf) == 0) {
            continue;
        }

        if (cl->buf->in_file || !ngx_buf_in_memory(cl->buf)) {
            ngx_log_error(NGX_LOG_ALERT, r->connection->log, 0,
                          "mana webhook: request body is not in memory");
            return NGX_ERROR;
        }

        len += cl->buf->last - cl->buf->pos;
    }

    cl = r->request_body->bufs;

    if (len == 0) {
        return NGX_OK;
    }

    if (cl->next == NULL) {
        body->data = cl->buf->pos;
        body->len = len;
        return NGX_OK;
    }

    body->data = ngx_pnalloc(r->pool, len);
    if (body->data == NULL) {
        return NGX_ERROR;
    }

    for (p = body->data; cl; cl = cl->next) {
        if (ngx_buf_in_memory(cl->buf)) {
            p = ngx_cpymem(p, cl->buf->pos, cl->buf->last - cl->buf->pos);
        }
    }

    body->len = len;

    return NGX_OK;
}


static ngx_table_elt_t *
ngx_http_mana_header(ngx_http_request_t *r, const char *name)
{
    size_t            len;
    ngx_uint_t        i;
    ngx_list_part_t  *part;
    ngx_table_elt_t  *h;

    len = ngx_strlen(name);
    part = &r->headers_in.headers.part;
    h = part->elts;

    for (i = 0; /* void */; i++) {

        if (i >= part->nelts) {
            if (part->next == NULL) {
                return NULL;
            }

            part = part->next;
            h = part->elts;
            i = 0;
        }

        if (h[i].key.len == len
            && ngx_strncasecmp(h[i].key.data, (u_char *) name, len) == 0)
        {
            return &h[i];
        }
    }
}


/* 0 when the signature is good, else the status to answer */
static ngx_uint_t
ngx_http_mana_check_signature(ngx_http_request_t *r, ngx_str_t *body)
{
    ngx_table_elt_t           *h;
    ngx_http_mana_loc_conf_t  *mlcf;

    mlcf = ngx_http_get_module_loc_conf(r, ngx_http_mana_module);

    h = ngx_http_mana_header(r, "X-Hub-Signature-256");

    if (h == NULL) {
        ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                      "mana webhook: no X-Hub-Signature-256 header");
        return NGX_HTTP_UNAUTHORIZED;
    }

    switch (mana_hub_signature_check(mlcf->app_secret.data,
                                     mlcf->app_secret.len, body->data,
                                     body->len, (char *) h->value.data,
                                     h->value.len))
    {
    case MANA_SIG_OK:
        return 0;

    case MANA_SIG_MALFORMED:
        ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                      "mana webhook: malformed X-Hub-Signature-256");
        return NGX_HTTP_UNAUTHORIZED;

    default:
        ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                      "mana webhook: X-Hub-Signature-256 does not match");
        return NGX_HTTP_FORBIDDEN;
    }
}


static ngx_int_t
ngx_http_mana_webhook_store(ngx_http_request_t *r, mana_webhook_t *wh)
{
    ngx_int_t                     rc;
    mana_buf_t                    sql;
    ngx_pool_cleanup_t           *cln;
    ngx_http_mana_db_job_t       *job;
    ngx_http_mana_main_conf_t    *mmcf;
    ngx_http_mana_webhook_ctx_t  *ctx;

    ctx = ngx_pcalloc(r->pool, sizeof(ngx_http_mana_webhook_ctx_t));
    cln = ngx_pool_cleanup_add(r->pool, 0);

    if (ctx == NULL || cln == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->request = r;
    ctx->messages = wh->nmessages;
    ctx->statuses = wh->nstatuses;
    ctx->skipped = wh->skipped;

    mmcf = ngx_http_get_module_main_conf(r, ngx_http_mana_module);

    rc = NGX_DECLINED;

    if (mmcf->catalogue.bot) {
        /* the bot answers in the same transaction that stores */
        rc = ngx_http_mana_conv_start(r->connection->log, wh,
                                      ngx_http_mana_webhook_answered, ctx,
                                      &ctx->conv);
    }

    if (rc != NGX_DECLINED) {
        if (rc == NGX_ERROR) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        if (rc == NGX_BUSY) {
            ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                          "mana webhook: database queue full, answering 503");
            ngx_http_mana_count(r, NGX_HTTP_MANA_DB_UNAVAILABLE, 1);
            return NGX_HTTP_SERVICE_UNAVAILABLE;
        }

        cln->handler = ngx_http_mana_webhook_cleanup;
        cln->data = ctx;
        r->read_event_handler = ngx_http_test_reading;

        return NGX_DONE;
    }

    mana_buf_init(&sql);
    (void) mana_ingest_sql(&sql, wh);

    if (mana_buf_failed(&sql)) {
        mana_buf_free(&sql);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    job = ngx_http_mana_db_job_create(ngx_http_mana_db_pool, sql.len);
    if (job == NULL) {
        mana_buf_free(&sql);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_memcpy(job->sql.data, sql.data, sql.len);
    mana_buf_free(&sql);

    job->handler = ngx_http_mana_webhook_done;
    job->data = ctx;

    if (ngx_http_mana_db_post(job) != NGX_OK) {
        ngx_http_mana_db_cancel(job);
        ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                      "mana webhook: database queue full, answering 503");
        ngx_http_mana_count(r, NGX_HTTP_MANA_DB_UNAVAILABLE, 1);
        return NGX_HTTP_SERVICE_UNAVAILABLE;
    }

    ctx->job = job;
    cln->handler = ngx_http_mana_webhook_cleanup;
    cln->data = ctx;

    /* notice a client that goes away while the batch runs */
    r->read_event_handler = ngx_http_test_reading;

    return NGX_DONE;
}


static void
ngx_http_mana_webhook_body(ngx_http_request_t *r)
{
    ngx_str_t   body;
    ngx_uint_t  status;

    ngx_http_mana_count(r, NGX_HTTP_MANA_WEBHOOKS, 1);

    if (ngx_http_mana_body(r, &body) != NGX_OK) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    status = ngx_http_mana_check_signature(r, &body);

    if (status) {
        ngx_http_mana_count(r, NGX_HTTP_MANA_SIGNATURE_REJECTED, 1);
        ngx_http_finalize_request(r, ngx_http_mana_json_reply(r, status,
            status == NGX_HTTP_UNAUTHORIZED
            ? "{\"error\":\"missing or malformed X-Hub-Signature-256\"}"
            : "{\"error\":\"signature does not match\"}"));
        return;
    }

    ngx_http_mana_webhook_process(r, &body);
}


/*
 * A verified payload: parse, store (with the bot when it is on), answer.
 * The sandbox enters here too, with payloads it built itself.  Finalizes
 * the request, now or when the transaction ends.
 */
void
ngx_http_mana_webhook_process(ngx_http_request_t *r, ngx_str_t *body)
{
    ngx_int_t       rc;
    mana_wh_rc_e    prc;
    mana_webhook_t  wh;

    ngx_http_mana_loc_conf_t  *mlcf;

    mlcf = ngx_http_get_module_loc_conf(r, ngx_http_mana_module);

    prc = mana_webhook_parse(&wh, (const char *) body->data, body->len,
                             mlcf->max_depth ? mlcf->max_depth : 32);

    if (prc == MANA_WH_NO_MEMORY) {
        mana_webhook_free(&wh);
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    if (prc != MANA_WH_OK) {
        /* signed by Meta but unusable: a retry would not be any better */
        ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                      "mana webhook: unusable payload: %s", wh.reason);
        ngx_http_mana_count(r, NGX_HTTP_MANA_UNUSABLE_PAYLOADS, 1);
        mana_webhook_free(&wh);
        ngx_http_finalize_request(r, ngx_http_mana_json_reply(r, NGX_HTTP_OK,
                                  "{\"stored\":0,\"unusable\":true}"));
        return;
    }

    if (wh.skipped) {
        ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                      "mana webhook: %ud item(s) skipped, last: %s",
                      wh.skipped, wh.reason);
        ngx_http_mana_count(r, NGX_HTTP_MANA_ITEMS_SKIPPED, wh.skipped);
    }

    ngx_http_mana_count(r, NGX_HTTP_MANA_MESSAGES_RECEIVED, wh.nmessages);
    ngx_http_mana_count(r, NGX_HTTP_MANA_STATUSES_RECEIVED, wh.nstatuses);

    if (wh.nmessages == 0 && wh.nstatuses == 0) {
        rc = ngx_http_mana_webhook_reply(r, 0, 0, 0, wh.skipped);
        mana_webhook_free(&wh);
        ngx_http_finalize_request(r, rc);
        return;
    }

    rc = ngx_http_mana_webhook_store(r, &wh);
    mana_webhook_free(&wh);

    if (rc == NGX_HTTP_SERVICE_UNAVAILABLE) {
        rc = ngx_http_mana_json_reply(r, rc,
                                      "{\"error\":\"database busy\"}");
    }

    if (rc != NGX_DONE) {
        ngx_http_finalize_request(r, rc);
    }
}


static void
ngx_http_mana_webhook_done(ngx_http_mana_db_job_t *job)
{
    ngx_int_t                     rc;
    ngx_uint_t                    stored;
    ngx_connection_t             *c;
    ngx_http_request_t           *r;
    ngx_http_mana_webhook_ctx_t  *ctx;

    ctx = job->data;
    ctx->job = NULL;
    r = ctx->request;
    c = r->connection;

    if (job->rc != NGX_OK) {
        ngx_log_error(NGX_LOG_ERR, c->log, 0,
                      "mana webhook: not stored (%s), answering 503",
                      job->rc == NGX_BUSY ? "no database connection in time"
                                          : "database error");
        ngx_http_mana_count(r, NGX_HTTP_MANA_DB_UNAVAILABLE, 1);
        rc = ngx_http_mana_json_reply(r, NGX_HTTP_SERVICE_UNAVAILABLE,
                                      "{\"error\":\"database unavailable\"}");
        goto done;
    }

    /* statement 0 starts the transaction, 1 inserts the messages */
    stored = ctx->messages ? (ngx_uint_t) job->affected[1] : 0;

    ngx_http_mana_count(r, NGX_HTTP_MANA_MESSAGES_STORED, stored);
    ngx_http_mana_count(r, NGX_HTTP_MANA_MESSAGES_DUPLICATE,
                        ctx->messages - stored);

    rc = ngx_http_mana_webhook_reply(r, stored, ctx->messages - stored,
                                     ctx->statuses, ctx->skipped);

done:

    ngx_http_finalize_request(r, rc);
    ngx_http_run_posted_requests(c);
}


/* the request is gone before its batch finished: drop the answer */
static void
ngx_http_mana_webhook_cleanup(void *data)
{
    ngx_http_mana_webhook_ctx_t  *ctx = data;

    if (ctx->job) {
        ngx_http_mana_db_cancel(ctx->job);
        ctx->job = NULL;
    }

    if (ctx->conv) {
        /* the transaction finishes; Meta's retry finds it stored */
        ngx_http_mana_conv_detach(ctx->conv);
        ctx->conv = NULL;
    }
}


static void
ngx_http_mana_webhook_answered(void *data, ngx_int_t rc, ngx_uint_t stored,
    ngx_uint_t duplicate, ngx_uint_t statuses, ngx_uint_t skipped)
{
    ngx_http_mana_webhook_ctx_t  *ctx = data;

    ngx_connection_t    *c;
    ngx_http_request_t  *r;

    ctx->conv = NULL;
    r = ctx->request;
    c = r->connection;

    if (rc != NGX_OK) {
        ngx_http_mana_count(r, NGX_HTTP_MANA_DB_UNAVAILABLE, 1);
        rc = ngx_http_mana_json_reply(r, NGX_HTTP_SERVICE_UNAVAILABLE,
                                      "{\"error\":\"database unavailable\"}");

    } else {
        ngx_http_mana_count(r, NGX_HTTP_MANA_MESSAGES_STORED, stored);
        ngx_http_mana_count(r, NGX_HTTP_MANA_MESSAGES_DUPLICATE, duplicate);
        rc = ngx_http_mana_webhook_reply(r, stored, duplicate, statuses,
                                         skipped);
    }

    ngx_http_finalize_request(r, rc);
    ngx_http_run_posted_requests(c);
}
