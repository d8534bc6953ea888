/*
 * /health: a small JSON status for load balancers and the tests.
 *
 * It answers from what the pool already knows when it can (an idle
 * connection, or a batch that succeeded within the last second), and asks
 * the server with a one-statement batch only otherwise, so that a load
 * balancer polling it does not load the database.
 */

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_mana_module.h"


#define NGX_HTTP_MANA_HEALTH_FRESH  1000


typedef struct {
    ngx_http_request_t      *request;
    ngx_http_mana_db_job_t  *job;
} ngx_http_mana_health_ctx_t;


static ngx_int_t ngx_http_mana_health_reply(ngx_http_request_t *r);
static void ngx_http_mana_health_done(ngx_http_mana_db_job_t *job);
static void ngx_http_mana_health_cleanup(void *data);


ngx_int_t
ngx_http_mana_health_handler(ngx_http_request_t *r)
{
    ngx_int_t                    rc;
    ngx_pool_cleanup_t          *cln;
    ngx_http_mana_db_job_t      *job;
    ngx_http_mana_db_status_t    st;
    ngx_http_mana_health_ctx_t  *ctx;

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        return NGX_HTTP_NOT_ALLOWED;
    }

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    ngx_http_mana_db_status(ngx_http_mana_db_pool, &st);

    if (st.idle > 0
        || (st.reachable
            && ngx_current_msec - st.last_ok < NGX_HTTP_MANA_HEALTH_FRESH))
    {
        return ngx_http_mana_health_reply(r);
    }

    ctx = ngx_pcalloc(r->pool, sizeof(ngx_http_mana_health_ctx_t));
    cln = ngx_pool_cleanup_add(r->pool, 0);
    job = ngx_http_mana_db_job_create(ngx_http_mana_db_pool, 4);

    if (ctx == NULL || cln == NULL || job == NULL) {
        if (job) {
            ngx_http_mana_db_cancel(job);
        }
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_memcpy(job->sql.data, "DO 1", 4);
    job->handler = ngx_http_mana_health_done;
    job->data = ctx;

    if (ngx_http_mana_db_post(job) != NGX_OK) {
        ngx_http_mana_db_cancel(job);
        return ngx_http_mana_health_reply(r);
    }

    ctx->request = r;
    ctx->job = job;
    cln->handler = ngx_http_mana_health_cleanup;
    cln->data = ctx;

    r->main->count++;
    r->read_event_handler = ngx_http_test_reading;

    return NGX_DONE;
}


static void
ngx_http_mana_health_done(ngx_http_mana_db_job_t *job)
{
    ngx_connection_t            *c;
    ngx_http_request_t          *r;
    ngx_http_mana_health_ctx_t  *ctx;

    ctx = job->data;
    ctx->job = NULL;
    r = ctx->request;
    c = r->connection;

    ngx_http_finalize_request(r, ngx_http_mana_health_reply(r));
    ngx_http_run_posted_requests(c);
}


static void
ngx_http_mana_health_cleanup(void *data)
{
    ngx_http_mana_health_ctx_t  *ctx = data;

    if (ctx->job) {
        ngx_http_mana_db_cancel(ctx->job);
        ctx->job = NULL;
    }
}


static ngx_int_t
ngx_http_mana_health_reply(ngx_http_request_t *r)
{
    u_char                      *p, *last;
    size_t                       len;
    ngx_uint_t                   i, ok;
    ngx_http_mana_db_status_t    st;
    ngx_http_mana_snapshot_t    *snapshot;
    ngx_http_mana_main_conf_t   *mmcf;

    mmcf = ngx_http_get_module_main_conf(r, ngx_http_mana_module);

    ngx_http_mana_db_status(ngx_http_mana_db_pool, &st);

    ok = st.reachable;

    len = 768 + ngx_strlen(st.last_error) * 6
          + NGX_HTTP_MANA_NCOUNTERS * (32 + NGX_ATOMIC_T_LEN);

    p = ngx_pnalloc(r->pool, len);
    if (p == NULL) {
        return NGX_ERROR;
    }

    last = ngx_slprintf(p, p + len,
                        "{\"status\":\"%s\",\"pid\":%P,"
                        "\"db\":{\"reachable\":%s,\"connections\":%ui,"
                        "\"idle\":%ui,\"busy\":%ui,\"queued\":%ui,"
                        "\"pool_size\":%ui,\"queue_size\":%ui,"
                        "\"last_error\":\"",
                        ok ? "ok" : "unavailable", ngx_pid,
                        ok ? "true" : "false", st.connections, st.idle,
                        st.busy, st.queued, mmcf->db.pool_size,
                        mmcf->db.queue_size);

    last = (u_char *) ngx_escape_json(last, st.last_error,
                                      ngx_strlen(st.last_error));
    snapshot = ngx_http_mana_catalogue();

    if (snapshot) {
        last = ngx_slprintf(last, p + len,
                            "\"},\"catalogue\":{\"version\":%uL,"
                            "\"departments\":%uz,\"offices\":%uz,"
                            "\"services\":%uz,\"languages\":%uz,"
                            "\"load_ms\":%M},\"counters\":{",
                            snapshot->version,
                            json_array_size(snapshot->cat.departments),
                            json_array_size(snapshot->cat.offices),
                            json_array_size(snapshot->cat.services),
                            json_object_size(snapshot->messages),
                            snapshot->load_time);

    } else {
        last = ngx_slprintf(last, p + len,
                            "\"},\"catalogue\":null,\"counters\":{");
    }

    for (i = 0; i < NGX_HTTP_MANA_NCOUNTERS; i++) {
        last = ngx_slprintf(last, p + len, "%s\"%s\":%uA", i ? "," : "",
                            ngx_http_mana_counter_names[i],
                            ngx_http_mana_counter(r, i));
    }

    last = ngx_slprintf(last, p + len, "}}\n");

    return ngx_http_mana_send(r, ok ? NGX_HTTP_OK
                                    : NGX_HTTP_SERVICE_UNAVAILABLE,
                              "application/json", p, last - p);
}
