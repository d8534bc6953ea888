/*
 * The sandbox: a browser chat at /mana/sandbox/ that sends through the real
 * webhook path, and a stand-in for the Graph API that the real outbox
 * sender delivers to, so that the bot can be tried without a Meta account.
 * Declarations shared by the sandbox's files.
 */

#ifndef NGX_HTTP_MANA_SANDBOX_H
#define NGX_HTTP_MANA_SANDBOX_H

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>


#define NGX_HTTP_MANA_SANDBOX_PREFIX    "/mana/sandbox/"

/* what the page may send: a message is far smaller */
#define NGX_HTTP_MANA_SANDBOX_SEND_MAX  (16 * 1024)

/* what the sender may post: a 4096-character Telugu text, escaped */
#define NGX_HTTP_MANA_SANDBOX_MAX_BODY  (64 * 1024)

/* messages kept per recipient by the stand-in */
#define NGX_HTTP_MANA_SANDBOX_KEEP      200


/* POST api/send: a citizen's message, through the webhook path */
ngx_int_t ngx_http_mana_sandbox_send(ngx_http_request_t *r);

/* POST graph/<version>/<number id>/messages: the Graph stand-in */
ngx_int_t ngx_http_mana_sandbox_graph(ngx_http_request_t *r);

/* GET api/messages?to=..&after=..: what the stand-in received */
ngx_int_t ngx_http_mana_sandbox_messages(ngx_http_request_t *r);

/* helpers of ngx_http_mana_sandbox.c */
ngx_int_t ngx_http_mana_sandbox_reply(ngx_http_request_t *r,
    ngx_uint_t status, const char *type, u_char *body, size_t len);
ngx_int_t ngx_http_mana_sandbox_error(ngx_http_request_t *r,
    ngx_uint_t status, const char *message);
ngx_int_t ngx_http_mana_sandbox_check_length(ngx_http_request_t *r,
    off_t max);
ngx_int_t ngx_http_mana_sandbox_body(ngx_http_request_t *r, ngx_str_t *body);
ngx_int_t ngx_http_mana_sandbox_random(u_char *hex, size_t bytes);

#endif /* NGX_HTTP_MANA_SANDBOX_H */
