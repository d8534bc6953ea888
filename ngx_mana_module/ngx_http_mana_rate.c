/*
 * Token buckets in one shared memory zone, under its mutex.  Recipients
 * hash into a fixed table: two recipients that share a bucket are limited
 * together, which errs on the safe side and bounds the memory whatever the
 * number of citizens.
 */

#include <ngx_config.h>
#include <ngx_core.h>

#include "ngx_http_mana_rate.h"


#define NGX_HTTP_MANA_RATE_NUMBERS     64
#define NGX_HTTP_MANA_RATE_RECIPIENTS  32768


typedef struct {
    uint32_t     key;           /* hash of the phone number id, 0 = free */
    uint64_t     tokens;        /* in thousandths of a message */
    ngx_msec_t   last;
} ngx_http_mana_bucket_t;


typedef struct {
    ngx_http_mana_bucket_t  numbers[NGX_HTTP_MANA_RATE_NUMBERS];
    ngx_http_mana_bucket_t  recipients[NGX_HTTP_MANA_RATE_RECIPIENTS];
} ngx_http_mana_rate_shm_t;


static ngx_int_t
ngx_http_mana_rate_init_zone(ngx_shm_zone_t *zone, void *data)
{
    ngx_slab_pool_t  *shpool;

    if (data) {
        zone->data = data;
        return NGX_OK;
    }

    shpool = (ngx_slab_pool_t *) zone->shm.addr;

    if (zone->shm.exists) {
        zone->data = shpool->data;
        return NGX_OK;
    }

    zone->data = ngx_slab_calloc(shpool, sizeof(ngx_http_mana_rate_shm_t));
    if (zone->data == NULL) {
        return NGX_ERROR;
    }

    shpool->data = zone->data;

    return NGX_OK;
}


ngx_int_t
ngx_http_mana_rate_init_conf(ngx_conf_t *cf, ngx_http_mana_rate_conf_t *conf,
    void *tag)
{
    ngx_str_t  name = ngx_string("mana_rate");

    conf->zone = ngx_shared_memory_add(cf, &name,
                     ngx_align(sizeof(ngx_http_mana_rate_shm_t), ngx_pagesize)
                     + 8 * ngx_pagesize, tag);
    if (conf->zone == NULL) {
        return NGX_ERROR;
    }

    conf->zone->init = ngx_http_mana_rate_init_zone;

    return NGX_OK;
}


#define NGX_HTTP_MANA_ONE  1000000    /* a message, in tokens */


/* refills by the time passed; new buckets start full */
static void
ngx_http_mana_rate_refill(ngx_http_mana_bucket_t *b, uint32_t key,
    uint64_t per_ms, uint64_t cap, ngx_msec_t now)
{
    if (b->key != key) {
        b->key = key;
        b->tokens = cap;
        b->last = now;
        return;
    }

    /*
     * Each worker reads the clock at its own moment: a bucket another
     * worker touched a little "later" must not refill by a negative time,
     * which as unsigned would be a huge one.
     */
    if ((ngx_msec_int_t) (now - b->last) <= 0) {
        return;
    }

    b->tokens += (uint64_t) (now - b->last) * per_ms;

    if (b->tokens > cap) {
        b->tokens = cap;
    }

    b->last = now;
}


static ngx_msec_t
ngx_http_mana_rate_wait(ngx_http_mana_bucket_t *b, uint64_t per_ms)
{
    if (b->tokens >= NGX_HTTP_MANA_ONE) {
        return 0;
    }

    return (ngx_msec_t) ((NGX_HTTP_MANA_ONE - b->tokens + per_ms - 1)
                         / per_ms);
}


ngx_msec_t
ngx_http_mana_rate_take(ngx_http_mana_rate_conf_t *conf, ngx_str_t *number,
    ngx_str_t *recipient)
{
    uint32_t                   nkey, rkey;
    uint64_t                   n_per_ms, r_per_ms;
    ngx_uint_t                 i, slot;
    ngx_msec_t                 now, wait, w;
    ngx_slab_pool_t           *shpool;
    ngx_http_mana_bucket_t    *nb, *rb;
    ngx_http_mana_rate_shm_t  *shm;

    shpool = (ngx_slab_pool_t *) conf->zone->shm.addr;
    shm = conf->zone->data;
    now = ngx_current_msec;

    nkey = ngx_crc32_short(number->data, number->len) | 1;
    rkey = ngx_crc32_short(recipient->data, recipient->len) | 1;

    n_per_ms = (uint64_t) conf->per_second * NGX_HTTP_MANA_ONE / 1000;
    r_per_ms = NGX_HTTP_MANA_ONE / (conf->pair_interval ? conf->pair_interval
                                                        : 1);
    if (n_per_ms == 0) {
        n_per_ms = 1;
    }

    if (r_per_ms == 0) {
        r_per_ms = 1;
    }

    ngx_shmtx_lock(&shpool->mutex);

    /* numbers: open addressing over a small table */
    slot = nkey % NGX_HTTP_MANA_RATE_NUMBERS;
    for (i = 0; i < NGX_HTTP_MANA_RATE_NUMBERS; i++) {
        nb = &shm->numbers[(slot + i) % NGX_HTTP_MANA_RATE_NUMBERS];
        if (nb->key == nkey || nb->key == 0) {
            break;
        }
    }

    if (i == NGX_HTTP_MANA_RATE_NUMBERS) {
        nb = &shm->numbers[slot];
    }

    rb = &shm->recipients[rkey % NGX_HTTP_MANA_RATE_RECIPIENTS];

    ngx_http_mana_rate_refill(nb, nkey, n_per_ms,
                              (uint64_t) conf->per_second
                              * NGX_HTTP_MANA_ONE, now);
    ngx_http_mana_rate_refill(rb, rkey, r_per_ms,
                              (uint64_t) conf->pair_burst
                              * NGX_HTTP_MANA_ONE, now);

    wait = ngx_http_mana_rate_wait(nb, n_per_ms);
    w = ngx_http_mana_rate_wait(rb, r_per_ms);

    if (w > wait) {
        wait = w;
    }

    if (wait == 0) {
        nb->tokens -= NGX_HTTP_MANA_ONE;
        rb->tokens -= NGX_HTTP_MANA_ONE;
    }

    ngx_shmtx_unlock(&shpool->mutex);

    return wait;
}
