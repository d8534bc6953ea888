/*
 * Loading the issuers' public keys.  A timer asks for key_version; when it
 * moved, one batch fetches every issuer key (a few hundred rows at most,
 * public data only: the sealed private keys never reach the module here)
 * and the new set replaces the old one.
 */

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_event.h>

#include "ngx_http_mana_db.h"
#include "ngx_http_mana_keys.h"


#define NGX_HTTP_MANA_KEYS_MAX  4096


typedef struct {
    ngx_log_t                *log;
    ngx_event_t               timer;
    ngx_msec_t                check;
    uint64_t                  version;      /* of the set in use */
    uint64_t                  seen;         /* from the last check */
    ngx_http_mana_key_t      *keys;         /* sorted by kid */
    ngx_uint_t                nkeys;
    ngx_http_mana_key_t      *loading;
    ngx_uint_t                nloading;
    unsigned                  loaded:1;
    unsigned                  busy:1;
} ngx_http_mana_keyring_t;


static ngx_http_mana_keyring_t  *ngx_http_mana_keyring;


static void ngx_http_mana_keys_tick(ngx_event_t *ev);
static void ngx_http_mana_keys_version_row(ngx_http_mana_db_job_t *job,
    ngx_uint_t stmt, MYSQL_RES *res);
static void ngx_http_mana_keys_versioned(ngx_http_mana_db_job_t *job);
static void ngx_http_mana_keys_rows(ngx_http_mana_db_job_t *job,
    ngx_uint_t stmt, MYSQL_RES *res);
static void ngx_http_mana_keys_fetched(ngx_http_mana_db_job_t *job);


static const char  ngx_http_mana_keys_version_sql[] =
    "SELECT version FROM key_version WHERE id = 1";

static const char  ngx_http_mana_keys_sql[] =
    "SELECT kid, name, public_key, status, UNIX_TIMESTAMP(valid_from), "
    "UNIX_TIMESTAMP(valid_until), COALESCE(UNIX_TIMESTAMP(revoked_at), 0) "
    "FROM signing_key WHERE purpose = 'issuer' ORDER BY kid";


ngx_int_t
ngx_http_mana_keys_start(ngx_cycle_t *cycle, ngx_msec_t check)
{
    ngx_http_mana_keyring_t  *kr;

    kr = ngx_pcalloc(cycle->pool, sizeof(ngx_http_mana_keyring_t));
    if (kr == NULL) {
        return NGX_ERROR;
    }

    kr->log = cycle->log;
    kr->check = check;
    kr->timer.handler = ngx_http_mana_keys_tick;
    kr->timer.data = kr;
    kr->timer.log = cycle->log;
    /* polling must not keep a quitting worker alive */
    kr->timer.cancelable = 1;

    ngx_http_mana_keyring = kr;

    ngx_add_timer(&kr->timer, 1);

    return NGX_OK;
}


void
ngx_http_mana_keys_stop(void)
{
    ngx_http_mana_keyring_t  *kr = ngx_http_mana_keyring;

    if (kr == NULL) {
        return;
    }

    if (kr->timer.timer_set) {
        ngx_del_timer(&kr->timer);
    }

    /* a batch still running owns kr->loading: the process is ending */
    if (!kr->busy) {
        ngx_free(kr->keys);
    }

    ngx_http_mana_keyring = NULL;
}


ngx_uint_t
ngx_http_mana_keys_loaded(void)
{
    return ngx_http_mana_keyring && ngx_http_mana_keyring->loaded;
}


const ngx_http_mana_key_t *
ngx_http_mana_key_find(const u_char kid[MANA_MM1_KID_LEN])
{
    ngx_int_t                 c;
    ngx_uint_t                lo, hi, mid;
    ngx_http_mana_keyring_t  *kr = ngx_http_mana_keyring;

    if (kr == NULL) {
        return NULL;
    }

    lo = 0;
    hi = kr->nkeys;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        c = ngx_memcmp(kr->keys[mid].kid, kid, MANA_MM1_KID_LEN);

        if (c == 0) {
            return &kr->keys[mid];
        }

        if (c < 0) {
            lo = mid + 1;

        } else {
            hi = mid;
        }
    }

    return NULL;
}


static void
ngx_http_mana_keys_rearm(ngx_http_mana_keyring_t *kr)
{
    if (!kr->timer.timer_set && !ngx_exiting) {
        ngx_add_timer(&kr->timer, kr->check);
    }
}


static ngx_int_t
ngx_http_mana_keys_post(ngx_http_mana_keyring_t *kr, const char *sql,
    size_t len, ngx_http_mana_db_handler_pt handler,
    ngx_http_mana_db_result_pt result)
{
    ngx_http_mana_db_job_t  *job;

    if (ngx_http_mana_db_pool == NULL) {
        return NGX_ERROR;
    }

    job = ngx_http_mana_db_job_create(ngx_http_mana_db_pool, len);
    if (job == NULL) {
        return NGX_ERROR;
    }

    ngx_memcpy(job->sql.data, sql, len);
    job->handler = handler;
    job->result = result;
    job->data = kr;

    if (ngx_http_mana_db_post(job) != NGX_OK) {
        /* the pool is saturated: the keys can wait a tick */
        ngx_http_mana_db_cancel(job);
        return NGX_ERROR;
    }

    kr->busy = 1;

    return NGX_OK;
}


static void
ngx_http_mana_keys_tick(ngx_event_t *ev)
{
    ngx_http_mana_keyring_t  *kr = ev->data;

    if (kr->busy
        || ngx_http_mana_keys_post(kr, ngx_http_mana_keys_version_sql,
                                   sizeof(ngx_http_mana_keys_version_sql) - 1,
                                   ngx_http_mana_keys_versioned,
                                   ngx_http_mana_keys_version_row)
           != NGX_OK)
    {
        ngx_http_mana_keys_rearm(kr);
    }
}


static void
ngx_http_mana_keys_version_row(ngx_http_mana_db_job_t *job, ngx_uint_t stmt,
    MYSQL_RES *res)
{
    MYSQL_ROW                 row;
    ngx_http_mana_keyring_t  *kr = job->data;

    row = mysql_fetch_row(res);
    kr->seen = (row && row[0]) ? strtoull(row[0], NULL, 10) : 0;
}


static void
ngx_http_mana_keys_versioned(ngx_http_mana_db_job_t *job)
{
    ngx_http_mana_keyring_t  *kr = job->data;

    kr->busy = 0;

    if (job->rc != NGX_OK || (kr->loaded && kr->seen == kr->version)) {
        ngx_http_mana_keys_rearm(kr);
        return;
    }

    kr->loading = NULL;
    kr->nloading = 0;

    if (ngx_http_mana_keys_post(kr, ngx_http_mana_keys_sql,
                                sizeof(ngx_http_mana_keys_sql) - 1,
                                ngx_http_mana_keys_fetched,
                                ngx_http_mana_keys_rows)
        != NGX_OK)
    {
        ngx_http_mana_keys_rearm(kr);
    }
}


static int64_t
ngx_http_mana_keys_time(const char *v)
{
    return v ? (int64_t) strtoll(v, NULL, 10) : 0;
}


static void
ngx_http_mana_keys_rows(ngx_http_mana_db_job_t *job, ngx_uint_t stmt,
    MYSQL_RES *res)
{
    MYSQL_ROW                 row;
    ngx_uint_t                n;
    unsigned long            *len;
    ngx_http_mana_key_t      *k;
    ngx_http_mana_keyring_t  *kr = job->data;

    n = (ngx_uint_t) mysql_num_rows(res);
    if (n > NGX_HTTP_MANA_KEYS_MAX) {
        ngx_log_error(NGX_LOG_ERR, kr->log, 0,
                      "mana keys: %ui issuer keys, only the first %d are "
                      "used", n, NGX_HTTP_MANA_KEYS_MAX);
        n = NGX_HTTP_MANA_KEYS_MAX;
    }

    kr->loading = ngx_calloc((n + 1) * sizeof(ngx_http_mana_key_t), kr->log);
    if (kr->loading == NULL) {
        return;
    }

    while (kr->nloading < n && (row = mysql_fetch_row(res)) != NULL) {
        len = mysql_fetch_lengths(res);

        if (row[0] == NULL || len[0] != MANA_MM1_KID_LEN || row[2] == NULL
            || len[2] != 32 || row[3] == NULL)
        {
            continue;
        }

        k = &kr->loading[kr->nloading++];

        ngx_memcpy(k->kid, row[0], MANA_MM1_KID_LEN);
        ngx_cpystrn(k->office, (u_char *) (row[1] ? row[1] : ""),
                    sizeof(k->office));
        ngx_memcpy(k->key.pub, row[2], 32);

        k->key.status = ngx_strcmp(row[3], "active") == 0
                        ? MANA_MM1_STATUS_ACTIVE
                        : ngx_strcmp(row[3], "retired") == 0
                          ? MANA_MM1_STATUS_RETIRED
                          : MANA_MM1_STATUS_REVOKED;
        k->key.valid_from = ngx_http_mana_keys_time(row[4]);
        k->key.valid_until = ngx_http_mana_keys_time(row[5]);
        k->key.revoked_at = ngx_http_mana_keys_time(row[6]);
    }
}


static void
ngx_http_mana_keys_fetched(ngx_http_mana_db_job_t *job)
{
    ngx_http_mana_keyring_t  *kr = job->data;

    kr->busy = 0;

    if (job->rc != NGX_OK || kr->loading == NULL) {
        ngx_free(kr->loading);
        kr->loading = NULL;
        ngx_http_mana_keys_rearm(kr);
        return;
    }

    /* the rows came sorted by kid: binary search works on them as they are */
    ngx_free(kr->keys);
    kr->keys = kr->loading;
    kr->nkeys = kr->nloading;
    kr->loading = NULL;
    kr->version = kr->seen;
    kr->loaded = 1;

    ngx_log_error(NGX_LOG_INFO, kr->log, 0,
                  "mana keys: version %uL loaded: %ui issuer keys",
                  kr->version, kr->nkeys);

    ngx_http_mana_keys_rearm(kr);
}
