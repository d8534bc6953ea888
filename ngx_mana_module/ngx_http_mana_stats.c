/*
 * Counters in shared memory, so that every worker's /health tells the same
 * totals.  Follows limit_req's zone pattern; a reload keeps the counts.
 */

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_mana_module.h"


typedef struct {
    ngx_atomic_t  counters[NGX_HTTP_MANA_NCOUNTERS];
} ngx_http_mana_stats_t;


const char  *ngx_http_mana_counter_names[] = {
    "webhooks",
    "signature_rejected",
    "unusable_payloads",
    "items_skipped",
    "messages_received",
    "messages_stored",
    "messages_duplicate",
    "statuses_received",
    "db_unavailable",
    "bot_transactions",
    "bot_shared_deliveries",
    NULL
};


static ngx_int_t
ngx_http_mana_stats_init_zone(ngx_shm_zone_t *shm_zone, void *data)
{
    ngx_slab_pool_t        *shpool;
    ngx_http_mana_stats_t  *stats;

    if (data) {
        shm_zone->data = data;
        return NGX_OK;
    }

    shpool = (ngx_slab_pool_t *) shm_zone->shm.addr;

    if (shm_zone->shm.exists) {
        shm_zone->data = shpool->data;
        return NGX_OK;
    }

    stats = ngx_slab_calloc(shpool, sizeof(ngx_http_mana_stats_t));
    if (stats == NULL) {
        return NGX_ERROR;
    }

    shpool->data = stats;
    shm_zone->data = stats;

    return NGX_OK;
}


ngx_int_t
ngx_http_mana_stats_init_conf(ngx_conf_t *cf, ngx_http_mana_main_conf_t *mmcf)
{
    ngx_str_t  name = ngx_string("mana_stats");

    mmcf->stats_zone = ngx_shared_memory_add(cf, &name, 8 * ngx_pagesize,
                                             &ngx_http_mana_module);
    if (mmcf->stats_zone == NULL) {
        return NGX_ERROR;
    }

    mmcf->stats_zone->init = ngx_http_mana_stats_init_zone;

    return NGX_OK;
}


static ngx_http_mana_stats_t *
ngx_http_mana_stats(ngx_http_request_t *r)
{
    ngx_http_mana_main_conf_t  *mmcf;

    mmcf = ngx_http_get_module_main_conf(r, ngx_http_mana_module);

    return mmcf->stats_zone->data;
}


void
ngx_http_mana_count(ngx_http_request_t *r, ngx_http_mana_counter_e n,
    ngx_atomic_int_t add)
{
    if (add) {
        (void) ngx_atomic_fetch_add(&ngx_http_mana_stats(r)->counters[n],
                                    add);
    }
}


void
ngx_http_mana_count_cycle(ngx_http_mana_counter_e n, ngx_atomic_int_t add)
{
    ngx_http_mana_stats_t      *stats;
    ngx_http_mana_main_conf_t  *mmcf;

    mmcf = ngx_http_cycle_get_module_main_conf(ngx_cycle,
                                               ngx_http_mana_module);

    if (add && mmcf && mmcf->stats_zone) {
        stats = mmcf->stats_zone->data;
        (void) ngx_atomic_fetch_add(&stats->counters[n], add);
    }
}


ngx_atomic_uint_t
ngx_http_mana_counter(ngx_http_request_t *r, ngx_http_mana_counter_e n)
{
    return ngx_http_mana_stats(r)->counters[n];
}
