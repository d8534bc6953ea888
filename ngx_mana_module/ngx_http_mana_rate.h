/*
 * Rate governance shared by all workers: token buckets per business phone
 * number (Meta's throughput limit) and per recipient (the pair rate).
 */

#ifndef NGX_HTTP_MANA_RATE_H
#define NGX_HTTP_MANA_RATE_H

#include <ngx_config.h>
#include <ngx_core.h>


typedef struct {
    ngx_uint_t        per_second;       /* per phone number id */
    ngx_msec_t        pair_interval;    /* one message per interval ... */
    ngx_uint_t        pair_burst;       /* ... after a burst of this many */
    ngx_shm_zone_t   *zone;
} ngx_http_mana_rate_conf_t;


ngx_int_t ngx_http_mana_rate_init_conf(ngx_conf_t *cf,
    ngx_http_mana_rate_conf_t *conf, void *tag);

/*
 * Takes one token for (number, recipient): 0 when sent now, or the
 * milliseconds to wait before asking again (nothing is taken then).
 */
ngx_msec_t ngx_http_mana_rate_take(ngx_http_mana_rate_conf_t *conf,
    ngx_str_t *number, ngx_str_t *recipient);

#endif /* NGX_HTTP_MANA_RATE_H */
