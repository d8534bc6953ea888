/*
 * The sandbox's stand-in for the Graph API, and the page's view of it.
 *
 * POST /mana/sandbox/graph/<version>/<number id>/messages is where the
 * real outbox sender delivers when mana_graph_url points here: the bearer
 * token is checked as Graph would, the message is kept in sandbox_message,
 * and the answer is Graph's, with a new wamid.  GET api/messages reads
 * that table back for the page.  A table rather than memory, because the
 * sender and the page's polls may reach any worker (or another nginx on
 * the same database).
 */

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "ngx_http_mana_module.h"
#include "ngx_http_mana_sandbox.h"
#include "mana_buf.h"
#include "mana_json_depth.h"


#define NGX_HTTP_MANA_SANDBOX_POLL_MAX  50


typedef struct {
    ngx_http_request_t      *request;
    ngx_http_mana_db_job_t  *job;
    ngx_str_t                to;
    u_char                   wamid[64];
    ngx_array_t             *rows;      /* of ngx_str_t pairs: id, json */
} ngx_http_mana_sandbox_ctx_t;


static void ngx_http_mana_sandbox_graph_body(ngx_http_request_t *r);
static void ngx_http_mana_sandbox_stored(ngx_http_mana_db_job_t *job);
static void ngx_http_mana_sandbox_row(ngx_http_mana_db_job_t *job,
    ngx_uint_t stmt, MYSQL_RES *res);
static void ngx_http_mana_sandbox_listed(ngx_http_mana_db_job_t *job);
static void ngx_http_mana_sandbox_cleanup(void *data);


/* what Graph answers when something is wrong, and the sender understands */
static ngx_int_t
ngx_http_mana_sandbox_graph_error(ngx_http_request_t *r, ngx_uint_t status,
    ngx_uint_t code, const char *message)
{
    u_char  *p, *last;
    size_t   len;

    len = 160 + ngx_strlen(message);

    p = ngx_pnalloc(r->pool, len);
    if (p == NULL) {
        return NGX_ERROR;
    }

    last = ngx_snprintf(p, len,
                        "{\"error\":{\"message\":\"%s\","
                        "\"type\":\"OAuthException\",\"code\":%ui,"
                        "\"fbtrace_id\":\"sandbox\"}}",
                        message, code);

    return ngx_http_mana_sandbox_reply(r, status, "application/json", p,
                                       last - p);
}


/* a recipient or BSUID: characters that need no escaping in SQL or JSON */
static ngx_int_t
ngx_http_mana_sandbox_recipient(u_char *s, size_t len)
{
    size_t  i;

    if (len == 0 || len > 64) {
        return NGX_ERROR;
    }

    for (i = 0; i < len; i++) {
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z')
              || (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '.' || s[i] == '+'
              || s[i] == '_' || s[i] == '-'))
        {
            return NGX_ERROR;
        }
    }

    return NGX_OK;
}


/*
 * "Bearer <token>" against mana_graph_token_file's token.  Both sides are
 * hashed first, so that the comparison takes the same time whatever the
 * lengths; with no token configured nothing is accepted.
 */
static ngx_int_t
ngx_http_mana_sandbox_authorized(ngx_http_request_t *r)
{
    u_char                      want[SHA256_DIGEST_LENGTH];
    u_char                      got[SHA256_DIGEST_LENGTH];
    ngx_str_t                  *token, value;
    ngx_table_elt_t            *h;
    ngx_http_mana_main_conf_t  *mmcf;

    mmcf = ngx_http_get_module_main_conf(r, ngx_http_mana_module);
    token = &mmcf->sender.graph.token;
    h = r->headers_in.authorization;

    if (token->len == 0 || h == NULL
        || h->value.len < sizeof("Bearer ") - 1
        || ngx_strncasecmp(h->value.data, (u_char *) "Bearer ",
                           sizeof("Bearer ") - 1) != 0)
    {
        return 0;
    }

    value.data = h->value.data + sizeof("Bearer ") - 1;
    value.len = h->value.len - (sizeof("Bearer ") - 1);

    SHA256(token->data, token->len, want);
    SHA256(value.data, value.len, got);

    return CRYPTO_memcmp(want, got, SHA256_DIGEST_LENGTH) == 0;
}


ngx_int_t
ngx_http_mana_sandbox_graph(ngx_http_request_t *r)
{
    u_char     *p, *last;
    ngx_int_t   rc;
    ngx_uint_t  slashes;

    /* graph/<version>/<number id>/messages, each part non-empty */
    p = r->uri.data + sizeof(NGX_HTTP_MANA_SANDBOX_PREFIX "graph/") - 1;
    last = r->uri.data + r->uri.len;
    slashes = 0;

    if (r->uri.len < sizeof("/messages") - 1
        || ngx_strncmp(last - (sizeof("/messages") - 1), "/messages",
                       sizeof("/messages") - 1) != 0)
    {
        slashes = 99;
    }

    for ( /* void */ ; p < last; p++) {
        if (*p == '/') {
            if (p[-1] == '/') {
                slashes = 99;
            }

            slashes++;
        }
    }

    if (slashes != 2) {
        rc = ngx_http_discard_request_body(r);
        if (rc != NGX_OK) {
            return rc;
        }

        return ngx_http_mana_sandbox_graph_error(r, NGX_HTTP_NOT_FOUND, 100,
                   "Unknown path components");
    }

    if (!(r->method & NGX_HTTP_POST)) {
        return NGX_HTTP_NOT_ALLOWED;
    }

    if (!ngx_http_mana_sandbox_authorized(r)) {
        ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                      "mana sandbox: Graph stand-in refused a request "
                      "without the configured bearer token");

        rc = ngx_http_discard_request_body(r);
        if (rc != NGX_OK) {
            return rc;
        }

        return ngx_http_mana_sandbox_graph_error(r, NGX_HTTP_UNAUTHORIZED,
                   190, "Invalid OAuth access token.");
    }

    rc = ngx_http_mana_sandbox_check_length(r,
                                            NGX_HTTP_MANA_SANDBOX_MAX_BODY);
    if (rc != NGX_OK) {
        r->keepalive = 0;
        return ngx_http_mana_sandbox_graph_error(r, rc, 100,
                                                 "Request body too large");
    }

    r->request_body_in_single_buf = 1;

    rc = ngx_http_read_client_request_body(r,
                                           ngx_http_mana_sandbox_graph_body);

    if (rc >= NGX_HTTP_SPECIAL_RESPONSE) {
        return rc;
    }

    return NGX_DONE;
}


static ngx_int_t
ngx_http_mana_sandbox_post(ngx_http_request_t *r,
    ngx_http_mana_sandbox_ctx_t *ctx, mana_buf_t *sql,
    ngx_http_mana_db_handler_pt handler, ngx_http_mana_db_result_pt result)
{
    ngx_pool_cleanup_t      *cln;
    ngx_http_mana_db_job_t  *job;

    cln = ngx_pool_cleanup_add(r->pool, 0);

    if (mana_buf_failed(sql) || cln == NULL) {
        mana_buf_free(sql);
        return NGX_ERROR;
    }

    job = ngx_http_mana_db_job_create(ngx_http_mana_db_pool, sql->len);
    if (job == NULL) {
        mana_buf_free(sql);
        return NGX_ERROR;
    }

    ngx_memcpy(job->sql.data, sql->data, sql->len);
    mana_buf_free(sql);

    job->handler = handler;
    job->result = result;
    job->data = ctx;

    if (ngx_http_mana_db_post(job) != NGX_OK) {
        ngx_http_mana_db_cancel(job);
        return NGX_BUSY;
    }

    ctx->request = r;
    ctx->job = job;
    cln->handler = ngx_http_mana_sandbox_cleanup;
    cln->data = ctx;

    r->read_event_handler = ngx_http_test_reading;

    return NGX_OK;
}


static void
ngx_http_mana_sandbox_graph_body(ngx_http_request_t *r)
{
    json_t                       *in;
    ngx_int_t                     rc;
    ngx_str_t                     body;
    mana_buf_t                    sql;
    const char                   *to, *product;
    ngx_http_mana_sandbox_ctx_t  *ctx;

    ctx = ngx_pcalloc(r->pool, sizeof(ngx_http_mana_sandbox_ctx_t));

    if (ctx == NULL || ngx_http_mana_sandbox_body(r, &body) != NGX_OK) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    in = NULL;

    if (mana_json_depth_ok((const char *) body.data, body.len, 16)) {
        in = json_loadb((const char *) body.data, body.len, 0, NULL);
    }

    to = json_string_value(json_object_get(in, "to"));
    product = json_string_value(json_object_get(in, "messaging_product"));

    if (to == NULL || product == NULL || ngx_strcmp(product, "whatsapp") != 0
        || ngx_http_mana_sandbox_recipient((u_char *) to, ngx_strlen(to))
           != NGX_OK)
    {
        json_decref(in);
        ngx_http_finalize_request(r, ngx_http_mana_sandbox_graph_error(r,
                                  NGX_HTTP_BAD_REQUEST, 100,
                                  "Invalid parameter"));
        return;
    }

    ctx->to.len = ngx_strlen(to);
    ctx->to.data = ngx_pnalloc(r->pool, ctx->to.len);

    if (ctx->to.data == NULL) {
        json_decref(in);
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    ngx_memcpy(ctx->to.data, to, ctx->to.len);
    json_decref(in);

    ngx_memcpy(ctx->wamid, "wamid.sandbox.out.", 18);

    if (ngx_http_mana_sandbox_random(ctx->wamid + 18, 16) != NGX_OK) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    /*
     * One transaction keeps the recipient's last messages and drops the
     * older ones, so the table cannot grow without bound.  A user variable
     * set from a subquery is NULL when there is nothing to drop.
     */

    mana_buf_init(&sql);
    mana_buf_addf(&sql, "START TRANSACTION;\n"
                  "INSERT INTO sandbox_message (recipient, wamid, payload) "
                  "VALUES ('%.*s', '%s', ",
                  (int) ctx->to.len, ctx->to.data, ctx->wamid);
    mana_buf_add_sql_text(&sql, (const char *) body.data, body.len);
    mana_buf_addf(&sql, ");\n"
                  "SET @mana_sandbox_cut = (SELECT id FROM sandbox_message "
                  "WHERE recipient = '%.*s' ORDER BY id DESC "
                  "LIMIT 1 OFFSET %d);\n"
                  "DELETE FROM sandbox_message WHERE recipient = '%.*s' "
                  "AND id <= @mana_sandbox_cut;\n"
                  "COMMIT",
                  (int) ctx->to.len, ctx->to.data,
                  NGX_HTTP_MANA_SANDBOX_KEEP,
                  (int) ctx->to.len, ctx->to.data);

    rc = ngx_http_mana_sandbox_post(r, ctx, &sql,
                                    ngx_http_mana_sandbox_stored, NULL);

    if (rc == NGX_OK) {
        return;
    }

    /* "temporarily unavailable": the sender tries again later */
    ngx_http_finalize_request(r, ngx_http_mana_sandbox_graph_error(r,
                              NGX_HTTP_SERVICE_UNAVAILABLE, 2,
                              "Service temporarily unavailable"));
}


static void
ngx_http_mana_sandbox_stored(ngx_http_mana_db_job_t *job)
{
    u_char                       *p, *last;
    size_t                        len;
    ngx_int_t                     rc;
    ngx_str_t                    *to;
    ngx_connection_t             *c;
    ngx_http_request_t           *r;
    ngx_http_mana_sandbox_ctx_t  *ctx;

    ctx = job->data;
    ctx->job = NULL;
    r = ctx->request;
    c = r->connection;
    to = &ctx->to;

    if (job->rc != NGX_OK) {
        ngx_log_error(NGX_LOG_ERR, c->log, 0,
                      "mana sandbox: message to %V not kept: %s", to,
                      job->db_error);
        rc = ngx_http_mana_sandbox_graph_error(r,
                 NGX_HTTP_SERVICE_UNAVAILABLE, 2,
                 "Service temporarily unavailable");
        goto done;
    }

    len = 160 + 2 * to->len;

    p = ngx_pnalloc(r->pool, len);
    if (p == NULL) {
        rc = NGX_ERROR;
        goto done;
    }

    /* Graph's wa_id is the number without its "+" */
    last = ngx_snprintf(p, len,
                        "{\"messaging_product\":\"whatsapp\","
                        "\"contacts\":[{\"input\":\"%V\",\"wa_id\":\"%*s\"}],"
                        "\"messages\":[{\"id\":\"%s\"}]}",
                        to, to->len - (to->data[0] == '+'),
                        to->data + (to->data[0] == '+'), ctx->wamid);

    rc = ngx_http_mana_sandbox_reply(r, NGX_HTTP_OK, "application/json", p,
                                     last - p);

done:

    ngx_http_finalize_request(r, rc);
    ngx_http_run_posted_requests(c);
}


static ngx_int_t
ngx_http_mana_sandbox_arg(ngx_http_request_t *r, char *name, ngx_str_t *v)
{
    if (ngx_http_arg(r, (u_char *) name, ngx_strlen(name), v) != NGX_OK) {
        v->len = 0;
        v->data = (u_char *) "";
    }

    return NGX_OK;
}


ngx_int_t
ngx_http_mana_sandbox_messages(ngx_http_request_t *r)
{
    ngx_int_t                     rc;
    ngx_str_t                     to, after;
    mana_buf_t                    sql;
    ngx_http_mana_sandbox_ctx_t  *ctx;

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        return NGX_HTTP_NOT_ALLOWED;
    }

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    ngx_http_mana_sandbox_arg(r, "to", &to);
    ngx_http_mana_sandbox_arg(r, "after", &after);

    if (ngx_http_mana_sandbox_recipient(to.data, to.len) != NGX_OK) {
        return ngx_http_mana_sandbox_error(r, NGX_HTTP_BAD_REQUEST,
                                           "to must be a phone number");
    }

    if (after.len == 0) {
        ngx_str_set(&after, "0");
    }

    if (after.len > 19 || ngx_atoof(after.data, after.len) == NGX_ERROR) {
        return ngx_http_mana_sandbox_error(r, NGX_HTTP_BAD_REQUEST,
                                           "after must be a message id");
    }

    ctx = ngx_pcalloc(r->pool, sizeof(ngx_http_mana_sandbox_ctx_t));
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->rows = ngx_array_create(r->pool, 8, 3 * sizeof(ngx_str_t));
    if (ctx->rows == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    mana_buf_init(&sql);
    mana_buf_addf(&sql, "SELECT id, payload, "
                  "ROUND(UNIX_TIMESTAMP(created_at) * 1000) "
                  "FROM sandbox_message WHERE recipient = '%.*s' "
                  "AND id > %.*s ORDER BY id LIMIT %d",
                  (int) to.len, to.data, (int) after.len, after.data,
                  NGX_HTTP_MANA_SANDBOX_POLL_MAX);

    ctx->request = r;

    rc = ngx_http_mana_sandbox_post(r, ctx, &sql,
                                    ngx_http_mana_sandbox_listed,
                                    ngx_http_mana_sandbox_row);

    if (rc == NGX_ERROR) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (rc == NGX_BUSY) {
        return ngx_http_mana_sandbox_error(r, NGX_HTTP_SERVICE_UNAVAILABLE,
                                           "database busy");
    }

    r->main->count++;

    return NGX_DONE;
}


/* rows into the request's pool: the job's result sets do not outlive it */
static void
ngx_http_mana_sandbox_row(ngx_http_mana_db_job_t *job, ngx_uint_t stmt,
    MYSQL_RES *res)
{
    ngx_uint_t                    i;
    ngx_str_t                    *v;
    MYSQL_ROW                     row;
    unsigned long                *len;
    ngx_http_mana_sandbox_ctx_t  *ctx;

    ctx = job->data;

    while ((row = mysql_fetch_row(res)) != NULL) {
        len = mysql_fetch_lengths(res);

        if (row[0] == NULL || row[1] == NULL || row[2] == NULL) {
            continue;
        }

        v = ngx_array_push(ctx->rows);
        if (v == NULL) {
            return;
        }

        for (i = 0; i < 3; i++) {
            v[i].len = len[i];
            v[i].data = ngx_pnalloc(ctx->request->pool, len[i]);

            if (v[i].data == NULL) {
                ctx->rows->nelts--;
                return;
            }

            ngx_memcpy(v[i].data, row[i], len[i]);
        }
    }
}


static void
ngx_http_mana_sandbox_listed(ngx_http_mana_db_job_t *job)
{
    u_char                       *p, *last;
    size_t                        len;
    ngx_int_t                     rc;
    ngx_uint_t                    i;
    ngx_str_t                    *v;
    ngx_connection_t             *c;
    ngx_http_request_t           *r;
    ngx_http_mana_sandbox_ctx_t  *ctx;

    ctx = job->data;
    ctx->job = NULL;
    r = ctx->request;
    c = r->connection;

    if (job->rc != NGX_OK) {
        rc = ngx_http_mana_sandbox_error(r, NGX_HTTP_SERVICE_UNAVAILABLE,
                                         "database unavailable");
        goto done;
    }

    v = ctx->rows->elts;
    len = sizeof("{\"messages\":[]}\n");

    for (i = 0; i < ctx->rows->nelts; i++) {
        len += sizeof("{\"id\":,\"at\":,\"payload\":},") + v[3 * i].len
               + v[3 * i + 1].len + v[3 * i + 2].len;
    }

    p = ngx_pnalloc(r->pool, len);
    if (p == NULL) {
        rc = NGX_ERROR;
        goto done;
    }

    /* the payload is JSON already: MariaDB checked it on the way in */
    last = ngx_cpymem(p, "{\"messages\":[", sizeof("{\"messages\":[") - 1);

    for (i = 0; i < ctx->rows->nelts; i++) {
        last = ngx_sprintf(last, "%s{\"id\":%V,\"at\":%V,\"payload\":%V}",
                           i ? "," : "", &v[3 * i], &v[3 * i + 2],
                           &v[3 * i + 1]);
    }

    last = ngx_cpymem(last, "]}\n", 3);

    rc = ngx_http_mana_sandbox_reply(r, NGX_HTTP_OK, "application/json", p,
                                     last - p);

done:

    ngx_http_finalize_request(r, rc);
    ngx_http_run_posted_requests(c);
}


static void
ngx_http_mana_sandbox_cleanup(void *data)
{
    ngx_http_mana_sandbox_ctx_t  *ctx = data;

    if (ctx->job) {
        ngx_http_mana_db_cancel(ctx->job);
        ctx->job = NULL;
    }
}
