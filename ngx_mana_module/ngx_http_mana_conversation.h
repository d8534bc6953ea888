/*
 * A webhook delivery processed with the bot: messages stored, each new
 * one answered, in one transaction (shared with other deliveries when
 * they wait for a database connection together).
 */

#ifndef NGX_HTTP_MANA_CONVERSATION_H
#define NGX_HTTP_MANA_CONVERSATION_H

#include <ngx_config.h>
#include <ngx_core.h>

#include "ngx_http_mana_db.h"
#include "mana_webhook.h"


typedef struct ngx_http_mana_conv_s  ngx_http_mana_conv_t;

/* rc: NGX_OK committed; NGX_BUSY no connection in time; NGX_ERROR */
typedef void (*ngx_http_mana_conv_done_pt)(void *data, ngx_int_t rc,
    ngx_uint_t stored, ngx_uint_t duplicate, ngx_uint_t statuses,
    ngx_uint_t skipped);


/*
 * Takes over wh (left empty).  NGX_OK: done will be called once, from an
 * event; NGX_BUSY: the pool's queue is full; NGX_DECLINED: too many items
 * for one transaction (wh untouched); NGX_ERROR.
 */
ngx_int_t ngx_http_mana_conv_start(ngx_log_t *log, mana_webhook_t *wh,
    ngx_http_mana_conv_done_pt done, void *data, ngx_http_mana_conv_t **cv);
void ngx_http_mana_conv_detach(ngx_http_mana_conv_t *cv);

#endif /* NGX_HTTP_MANA_CONVERSATION_H */
