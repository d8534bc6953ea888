/*
 * The sandbox's front door: where "mana_sandbox on" holds, requests under
 * /mana/sandbox/ are answered here, before nginx's static files.  The page
 * itself (web/sandbox/, embedded at build time) needs no files at run
 * time; the API and the Graph stand-in live in their own files.
 *
 * Every answer carries "Cache-Control: no-store" (a page that shows a
 * conversation must not be kept by a shared cache) and a strict
 * Content-Security-Policy: the page loads nothing but itself.
 */

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <openssl/rand.h>

#include "ngx_http_mana_module.h"
#include "ngx_http_mana_sandbox.h"


typedef struct {
    ngx_str_t   name;
    ngx_str_t   type;
    u_char     *data;
    size_t      len;
} ngx_http_mana_sandbox_asset_t;


#include "ngx_http_mana_sandbox_assets.h"


#define NGX_HTTP_MANA_SANDBOX_CSP                                            \
    "default-src 'self'; script-src 'self'; style-src 'self'; "              \
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; "          \
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"


static ngx_int_t ngx_http_mana_sandbox_handler(ngx_http_request_t *r);
static ngx_int_t ngx_http_mana_sandbox_asset(ngx_http_request_t *r,
    ngx_str_t *name);
static ngx_int_t ngx_http_mana_sandbox_redirect(ngx_http_request_t *r);


ngx_int_t
ngx_http_mana_sandbox_init(ngx_conf_t *cf)
{
    ngx_http_handler_pt        *h;
    ngx_http_core_main_conf_t  *cmcf;

    cmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_core_module);

    /*
     * A content phase handler rather than a location's handler, so that
     * "mana_sandbox on" works in a server block as well as in a location;
     * loaded after nginx's own modules, it runs before the static one.
     */

    h = ngx_array_push(&cmcf->phases[NGX_HTTP_CONTENT_PHASE].handlers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    *h = ngx_http_mana_sandbox_handler;

    return NGX_OK;
}


static ngx_int_t
ngx_http_mana_sandbox_handler(ngx_http_request_t *r)
{
    size_t                     plen;
    ngx_str_t                  rest;
    ngx_http_mana_loc_conf_t  *mlcf;

    mlcf = ngx_http_get_module_loc_conf(r, ngx_http_mana_module);

    if (!mlcf->sandbox || r != r->main) {
        return NGX_DECLINED;
    }

    plen = sizeof(NGX_HTTP_MANA_SANDBOX_PREFIX) - 1;

    if (r->uri.len == plen - 1
        && ngx_strncmp(r->uri.data, NGX_HTTP_MANA_SANDBOX_PREFIX, plen - 1)
           == 0)
    {
        return ngx_http_mana_sandbox_redirect(r);
    }

    if (r->uri.len < plen
        || ngx_strncmp(r->uri.data, NGX_HTTP_MANA_SANDBOX_PREFIX, plen) != 0)
    {
        return NGX_DECLINED;
    }

    rest.data = r->uri.data + plen;
    rest.len = r->uri.len - plen;

    if (rest.len == sizeof("api/send") - 1
        && ngx_strncmp(rest.data, "api/send", rest.len) == 0)
    {
        return ngx_http_mana_sandbox_send(r);
    }

    if (rest.len == sizeof("api/messages") - 1
        && ngx_strncmp(rest.data, "api/messages", rest.len) == 0)
    {
        return ngx_http_mana_sandbox_messages(r);
    }

    if (rest.len > sizeof("graph/") - 1
        && ngx_strncmp(rest.data, "graph/", sizeof("graph/") - 1) == 0)
    {
        return ngx_http_mana_sandbox_graph(r);
    }

    if (rest.len == 0) {
        ngx_str_set(&rest, "index.html");

    } else if (rest.len == sizeof("privacy") - 1
               && ngx_strncmp(rest.data, "privacy", rest.len) == 0)
    {
        ngx_str_set(&rest, "privacy.html");
    }

    return ngx_http_mana_sandbox_asset(r, &rest);
}


static ngx_int_t
ngx_http_mana_sandbox_asset(ngx_http_request_t *r, ngx_str_t *name)
{
    ngx_int_t                       rc;
    ngx_http_mana_sandbox_asset_t  *a;

    for (a = ngx_http_mana_sandbox_assets; a->data; a++) {
        if (a->name.len == name->len
            && ngx_strncmp(a->name.data, name->data, name->len) == 0)
        {
            break;
        }
    }

    if (a->data == NULL) {
        return ngx_http_mana_sandbox_error(r, NGX_HTTP_NOT_FOUND,
                                           "not found");
    }

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        return NGX_HTTP_NOT_ALLOWED;
    }

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    return ngx_http_mana_sandbox_reply(r, NGX_HTTP_OK,
                                       (const char *) a->type.data, a->data,
                                       a->len);
}


/* "/mana/sandbox" is the page too: relative links need the slash */
static ngx_int_t
ngx_http_mana_sandbox_redirect(ngx_http_request_t *r)
{
    ngx_int_t         rc;
    ngx_table_elt_t  *h;

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    h->hash = 1;
    ngx_str_set(&h->key, "Location");
    ngx_str_set(&h->value, NGX_HTTP_MANA_SANDBOX_PREFIX);
    r->headers_out.location = h;

    return NGX_HTTP_MOVED_PERMANENTLY;
}


static ngx_int_t
ngx_http_mana_sandbox_header(ngx_http_request_t *r, const char *key,
    const char *value)
{
    ngx_table_elt_t  *h;

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    h->hash = 1;
    h->key.data = (u_char *) key;
    h->key.len = ngx_strlen(key);
    h->value.data = (u_char *) value;
    h->value.len = ngx_strlen(value);

    return NGX_OK;
}


ngx_int_t
ngx_http_mana_sandbox_reply(ngx_http_request_t *r, ngx_uint_t status,
    const char *type, u_char *body, size_t len)
{
    if (ngx_http_mana_sandbox_header(r, "Cache-Control", "no-store")
           != NGX_OK
        || ngx_http_mana_sandbox_header(r, "Content-Security-Policy",
                                        NGX_HTTP_MANA_SANDBOX_CSP) != NGX_OK
        || ngx_http_mana_sandbox_header(r, "X-Content-Type-Options",
                                        "nosniff") != NGX_OK
        || ngx_http_mana_sandbox_header(r, "Referrer-Policy", "no-referrer")
           != NGX_OK)
    {
        return NGX_ERROR;
    }

    return ngx_http_mana_send(r, status, type, body, len);
}


/* {"error":"<message>"}: messages are constants, never the client's text */
ngx_int_t
ngx_http_mana_sandbox_error(ngx_http_request_t *r, ngx_uint_t status,
    const char *message)
{
    u_char  *p;
    size_t   len;

    len = sizeof("{\"error\":\"\"}\n") - 1 + ngx_strlen(message);

    p = ngx_pnalloc(r->pool, len);
    if (p == NULL) {
        return NGX_ERROR;
    }

    ngx_snprintf(p, len, "{\"error\":\"%s\"}\n", message);

    return ngx_http_mana_sandbox_reply(r, status, "application/json", p, len);
}


/*
 * Refuses a body the sandbox would not take before any of it is read:
 * NGX_OK, or the status to answer.  Browsers and the sender always send a
 * Content-Length, and a known length is what keeps the body in memory.
 */
ngx_int_t
ngx_http_mana_sandbox_check_length(ngx_http_request_t *r, off_t max)
{
    if (r->headers_in.content_length_n < 0) {
        return NGX_HTTP_LENGTH_REQUIRED;
    }

    if (r->headers_in.content_length_n > max) {
        return NGX_HTTP_REQUEST_ENTITY_TOO_LARGE;
    }

    return NGX_OK;
}


/* the whole body as one piece of memory */
ngx_int_t
ngx_http_mana_sandbox_body(ngx_http_request_t *r, ngx_str_t *body)
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
        if (cl->buf->in_file || !ngx_buf_in_memory(cl->buf)) {
            if (ngx_buf_size(cl->buf) == 0) {
                continue;
            }

            ngx_log_error(NGX_LOG_ALERT, r->connection->log, 0,
                          "mana sandbox: request body is not in memory");
            return NGX_ERROR;
        }

        len += cl->buf->last - cl->buf->pos;
    }

    p = ngx_pnalloc(r->pool, len + 1);
    if (p == NULL) {
        return NGX_ERROR;
    }

    body->data = p;

    for (cl = r->request_body->bufs; cl; cl = cl->next) {
        if (ngx_buf_in_memory(cl->buf)) {
            p = ngx_cpymem(p, cl->buf->pos, cl->buf->last - cl->buf->pos);
        }
    }

    *p = '\0';
    body->len = len;

    return NGX_OK;
}


/* bytes of randomness as lowercase hex (2 * bytes + 1 with the NUL) */
ngx_int_t
ngx_http_mana_sandbox_random(u_char *hex, size_t bytes)
{
    u_char  raw[32];

    if (bytes > sizeof(raw) || RAND_bytes(raw, (int) bytes) != 1) {
        return NGX_ERROR;
    }

    *ngx_hex_dump(hex, raw, bytes) = '\0';

    return NGX_OK;
}
