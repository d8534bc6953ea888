/*
 * The worker's catalogue snapshot: departments, offices, services and the
 * bot's messages, loaded at start and replaced when catalogue_version
 * moves.  The bot reads only the snapshot: no query per menu.
 */

#ifndef NGX_HTTP_MANA_CATALOGUE_H
#define NGX_HTTP_MANA_CATALOGUE_H

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_thread_pool.h>

#include "mana_bot.h"
#include "mana_catalogue.h"


typedef struct {
    uint64_t            version;
    mana_catalogue_t    cat;
    json_t             *messages;   /* {"en": {key: text}, ...} */
    json_t             *districts;  /* [{"en": ...}] */
    mana_bot_env_t      env;        /* the bot's indexes over all this */
    ngx_msec_t          load_time;  /* how long building it took, in ms */
} ngx_http_mana_snapshot_t;


typedef struct {
    ngx_msec_t          check;      /* how often the version is looked at */
    ngx_thread_pool_t  *thread_pool;
    ngx_flag_t          bot;        /* answer citizens (mana_bot) */
    ngx_str_t           notice_url;
    ngx_str_t           notice_version;
    ngx_str_t           contact;    /* the officer to write to */
    time_t              session_idle;
} ngx_http_mana_catalogue_conf_t;


ngx_int_t ngx_http_mana_catalogue_start(ngx_cycle_t *cycle,
    ngx_http_mana_catalogue_conf_t *conf);
void ngx_http_mana_catalogue_stop(void);

/* the current snapshot, or NULL before the first load */
ngx_http_mana_snapshot_t *ngx_http_mana_catalogue(void);

#endif /* NGX_HTTP_MANA_CATALOGUE_H */
