/*
 * The worker's MariaDB pool: Connector/C's non-blocking API driven by nginx
 * events, so that a query never blocks the worker.
 *
 * A job is a batch of statements sent as one multi-statement query (a whole
 * transaction, in one round trip).  ngx_http_mana_db_post() either queues
 * it, and its handler is then called exactly once from a posted event, or
 * refuses it at once with NGX_BUSY (the wait queue is full; the caller
 * then frees it with ngx_http_mana_db_cancel()).  When a
 * statement fails, the rest of the batch is not run and the transaction is
 * rolled back before the connection is reused.
 */

#ifndef NGX_HTTP_MANA_DB_H
#define NGX_HTTP_MANA_DB_H

#include <ngx_config.h>
#include <ngx_core.h>

#include <mysql.h>


#define NGX_HTTP_MANA_DB_MAX_STMTS  1024


typedef struct ngx_http_mana_db_job_s   ngx_http_mana_db_job_t;
typedef struct ngx_http_mana_db_pool_s  ngx_http_mana_db_pool_t;

typedef void (*ngx_http_mana_db_handler_pt)(ngx_http_mana_db_job_t *job);
typedef void (*ngx_http_mana_db_result_pt)(ngx_http_mana_db_job_t *job,
    ngx_uint_t stmt, MYSQL_RES *res);


typedef struct {
    ngx_str_t                    server;     /* as configured, for logs */
    ngx_str_t                    host;       /* NUL-terminated, or empty */
    ngx_uint_t                   port;
    ngx_str_t                    socket;     /* NUL-terminated, or empty */
    ngx_str_t                    user;
    ngx_str_t                    password;
    ngx_str_t                    database;
    ngx_uint_t                   pool_size;
    ngx_uint_t                   queue_size;
    ngx_msec_t                   queue_timeout;
    ngx_msec_t                   connect_timeout;
    ngx_msec_t                   query_timeout;
} ngx_http_mana_db_conf_t;


struct ngx_http_mana_db_job_s {
    ngx_str_t                    sql;
    ngx_http_mana_db_handler_pt  handler;   /* NULL once canceled */
    ngx_http_mana_db_result_pt   result;    /* optional, per result set */
    /*
     * optional: called once, just before the first batch is sent, to
     * write its SQL; a job may take on more work while it waits
     */
    ngx_http_mana_db_handler_pt  prepare;
    void                        *data;

    /* the outcome: NGX_OK, NGX_BUSY (no connection in time), NGX_ERROR */
    ngx_int_t                    rc;
    unsigned int                 db_errno;
    u_char                       db_error[160];
    /* rows affected by each statement of the batch */
    uint64_t                     affected[NGX_HTTP_MANA_DB_MAX_STMTS];

    /*
     * hold: after a successful batch the connection, and the transaction
     * on it, stay with the job; its handler sends the next batch with
     * ngx_http_mana_db_next() or lets go (anything not committed is rolled
     * back).  Only a first batch is ever retried.
     */
    unsigned                     hold:1;
    ngx_uint_t                   batches;
    void                        *conn;
    u_char                      *sql_alloc;
    size_t                       sql_size;

    ngx_http_mana_db_pool_t     *pool;
    ngx_queue_t                  queue;
    ngx_event_t                  timer;     /* waiting for a connection */
    ngx_event_t                  done;      /* posted to call the handler */
    ngx_uint_t                   attempts;
    unsigned                     queued:1;
    unsigned                     running:1;
    /* a result set went to the caller: the batch can no longer be rerun */
    unsigned                     results_seen:1;
};


typedef struct {
    ngx_uint_t                   connections;
    ngx_uint_t                   idle;
    ngx_uint_t                   busy;
    ngx_uint_t                   queued;
    ngx_uint_t                   reachable;  /* last attempt succeeded */
    ngx_msec_t                   last_ok;    /* ngx_current_msec */
    u_char                      *last_error; /* NUL-terminated */
} ngx_http_mana_db_status_t;


ngx_http_mana_db_pool_t *ngx_http_mana_db_pool_create(ngx_cycle_t *cycle,
    ngx_http_mana_db_conf_t *conf);
void ngx_http_mana_db_pool_destroy(ngx_http_mana_db_pool_t *pool);

ngx_http_mana_db_job_t *ngx_http_mana_db_job_create(
    ngx_http_mana_db_pool_t *pool, size_t sql_len);
ngx_int_t ngx_http_mana_db_post(ngx_http_mana_db_job_t *job);
/* room for the next batch's SQL: returns where to write len bytes */
u_char *ngx_http_mana_db_job_sql(ngx_http_mana_db_job_t *job, size_t len);
ngx_int_t ngx_http_mana_db_next(ngx_http_mana_db_job_t *job);
void ngx_http_mana_db_end(ngx_http_mana_db_job_t *job);
void ngx_http_mana_db_cancel(ngx_http_mana_db_job_t *job);

void ngx_http_mana_db_status(ngx_http_mana_db_pool_t *pool,
    ngx_http_mana_db_status_t *st);

extern ngx_http_mana_db_pool_t  *ngx_http_mana_db_pool;

#endif /* NGX_HTTP_MANA_DB_H */
