/*
 * The outbox sender: claims due rows with a lease, sends them to the Graph
 * API, and records what happened.  Every worker runs one; leases keep them
 * (and other nginx hosts on the same database) from sending a row twice,
 * and let another worker pick up the rows of one that died.
 */

#ifndef NGX_HTTP_MANA_SENDER_H
#define NGX_HTTP_MANA_SENDER_H

#include <ngx_config.h>
#include <ngx_core.h>

#include "ngx_http_mana_graph.h"
#include "ngx_http_mana_rate.h"


typedef struct {
    ngx_http_mana_graph_conf_t   graph;
    ngx_http_mana_rate_conf_t    rate;
    ngx_str_t                    version;        /* "v25.0" */
    ngx_str_t                    template_name;  /* 131047 fallback, or "" */
    ngx_uint_t                   batch;
    ngx_msec_t                   interval;
    ngx_msec_t                   lease;
    ngx_uint_t                   max_attempts;
    ngx_msec_t                   backoff;
    ngx_msec_t                   backoff_max;
} ngx_http_mana_sender_conf_t;


typedef struct ngx_http_mana_sender_s  ngx_http_mana_sender_t;


ngx_http_mana_sender_t *ngx_http_mana_sender_create(ngx_cycle_t *cycle,
    ngx_http_mana_sender_conf_t *conf);
void ngx_http_mana_sender_destroy(ngx_http_mana_sender_t *sender);

/* new rows were committed: look at the outbox now, not at the next tick */
void ngx_http_mana_sender_kick(void);

extern ngx_http_mana_sender_t  *ngx_http_mana_sender;

#endif /* NGX_HTTP_MANA_SENDER_H */
