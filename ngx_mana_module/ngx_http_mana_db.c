/*
 * The worker's MariaDB pool.  Model: ngx_postgres and the upstream
 * keepalive module: each connection's socket is wrapped in an
 * ngx_connection_t and the _start() and _cont() calls of Connector/C resume
 * from its read and write events; a timer bounds every wait.
 */

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_event.h>

#include <errmsg.h>
#include <mysqld_error.h>

#include "ngx_http_mana_db.h"


typedef enum {
    NGX_HTTP_MANA_DB_CONNECTING = 0,
    NGX_HTTP_MANA_DB_IDLE,
    NGX_HTTP_MANA_DB_QUERY,
    NGX_HTTP_MANA_DB_STORE,
    NGX_HTTP_MANA_DB_NEXT,
    NGX_HTTP_MANA_DB_ROLLBACK,
    NGX_HTTP_MANA_DB_HELD       /* between two batches of a held job */
} ngx_http_mana_db_state_e;


typedef struct {
    MYSQL                        mysql;
    ngx_connection_t            *c;
    ngx_http_mana_db_pool_t     *pool;
    ngx_http_mana_db_job_t      *job;
    ngx_queue_t                  queue;     /* in pool->idle or pool->busy */
    ngx_event_t                  timer;     /* connect or query timeout */
    ngx_http_mana_db_state_e     state;
    int                          wait;      /* what Connector/C waits for */
    int                          ret;
    MYSQL                       *ret_mysql;
    MYSQL_RES                   *ret_res;
    ngx_uint_t                   stmt;
    unsigned                     fresh:1;   /* connected for this job */
} ngx_http_mana_db_conn_t;


struct ngx_http_mana_db_pool_s {
    ngx_http_mana_db_conf_t     *conf;
    ngx_log_t                   *log;
    ngx_queue_t                  idle;
    ngx_queue_t                  busy;
    ngx_queue_t                  waiting;
    ngx_uint_t                   connections;
    ngx_uint_t                   queued;
    ngx_uint_t                   reachable;
    ngx_msec_t                   last_ok;
    u_char                       last_error[200];
    /* "SET SESSION innodb_lock_wait_timeout = N", N below the query timer */
    u_char                       lock_wait[64];
};


ngx_http_mana_db_pool_t  *ngx_http_mana_db_pool;


static void ngx_http_mana_db_connect(ngx_http_mana_db_pool_t *pool,
    ngx_http_mana_db_job_t *job);
static void ngx_http_mana_db_run(ngx_http_mana_db_conn_t *dc, int status);
static int ngx_http_mana_db_advance(ngx_http_mana_db_conn_t *dc);
static int ngx_http_mana_db_start_job(ngx_http_mana_db_conn_t *dc,
    ngx_http_mana_db_job_t *job);
static int ngx_http_mana_db_release(ngx_http_mana_db_conn_t *dc);
static void ngx_http_mana_db_fail(ngx_http_mana_db_conn_t *dc);
static void ngx_http_mana_db_close(ngx_http_mana_db_conn_t *dc);
static void ngx_http_mana_db_finish(ngx_http_mana_db_job_t *job,
    ngx_int_t rc);
static void ngx_http_mana_db_event_handler(ngx_event_t *ev);
static void ngx_http_mana_db_timeout_handler(ngx_event_t *ev);
static void ngx_http_mana_db_queue_timeout_handler(ngx_event_t *ev);
static void ngx_http_mana_db_done_handler(ngx_event_t *ev);


ngx_http_mana_db_pool_t *
ngx_http_mana_db_pool_create(ngx_cycle_t *cycle, ngx_http_mana_db_conf_t *conf)
{
    ngx_http_mana_db_pool_t  *pool;

    pool = ngx_pcalloc(cycle->pool, sizeof(ngx_http_mana_db_pool_t));
    if (pool == NULL) {
        return NULL;
    }

    pool->conf = conf;
    pool->log = cycle->log;
    /* half the query timeout, in whole seconds, at least one */
    ngx_snprintf(pool->lock_wait, sizeof(pool->lock_wait),
                 "SET SESSION innodb_lock_wait_timeout = %M%Z",
                 conf->query_timeout / 2000 ? conf->query_timeout / 2000 : 1);
    ngx_queue_init(&pool->idle);
    ngx_queue_init(&pool->busy);
    ngx_queue_init(&pool->waiting);

    return pool;
}


void
ngx_http_mana_db_pool_destroy(ngx_http_mana_db_pool_t *pool)
{
    ngx_queue_t             *q;
    ngx_http_mana_db_job_t  *job;

    while (!ngx_queue_empty(&pool->idle)) {
        q = ngx_queue_head(&pool->idle);
        ngx_http_mana_db_close(
            ngx_queue_data(q, ngx_http_mana_db_conn_t, queue));
    }

    while (!ngx_queue_empty(&pool->busy)) {
        q = ngx_queue_head(&pool->busy);
        ngx_http_mana_db_close(
            ngx_queue_data(q, ngx_http_mana_db_conn_t, queue));
    }

    while (!ngx_queue_empty(&pool->waiting)) {
        q = ngx_queue_head(&pool->waiting);
        job = ngx_queue_data(q, ngx_http_mana_db_job_t, queue);
        ngx_http_mana_db_cancel(job);
    }
}


ngx_http_mana_db_job_t *
ngx_http_mana_db_job_create(ngx_http_mana_db_pool_t *pool, size_t sql_len)
{
    ngx_http_mana_db_job_t  *job;

    /* not from a request pool: a job may outlive its request */
    job = ngx_calloc(sizeof(ngx_http_mana_db_job_t) + sql_len + 1,
                     pool->log);
    if (job == NULL) {
        return NULL;
    }

    job->pool = pool;
    job->sql.data = (u_char *) (job + 1);
    job->sql.len = sql_len;
    job->sql_size = sql_len;

    job->timer.handler = ngx_http_mana_db_queue_timeout_handler;
    job->timer.data = job;
    job->timer.log = pool->log;

    job->done.handler = ngx_http_mana_db_done_handler;
    job->done.data = job;
    job->done.log = pool->log;

    return job;
}


ngx_int_t
ngx_http_mana_db_post(ngx_http_mana_db_job_t *job)
{
    ngx_queue_t              *q;
    ngx_http_mana_db_conn_t  *dc;
    ngx_http_mana_db_pool_t  *pool;

    pool = job->pool;

    if (!ngx_queue_empty(&pool->idle)) {
        q = ngx_queue_head(&pool->idle);
        dc = ngx_queue_data(q, ngx_http_mana_db_conn_t, queue);
        ngx_http_mana_db_run(dc, ngx_http_mana_db_start_job(dc, job));
        return NGX_OK;
    }

    if (pool->connections < pool->conf->pool_size) {
        ngx_http_mana_db_connect(pool, job);
        return NGX_OK;
    }

    if (pool->queued >= pool->conf->queue_size) {
        return NGX_BUSY;
    }

    ngx_queue_insert_tail(&pool->waiting, &job->queue);
    pool->queued++;
    job->queued = 1;
    ngx_add_timer(&job->timer, pool->conf->queue_timeout);

    return NGX_OK;
}


void
ngx_http_mana_db_cancel(ngx_http_mana_db_job_t *job)
{
    if (job->conn) {
        ngx_http_mana_db_end(job);
    }

    if (job->running) {
        /* the batch goes on (it may commit); its result goes nowhere */
        job->handler = NULL;
        return;
    }

    if (job->queued) {
        ngx_queue_remove(&job->queue);
        job->pool->queued--;
    }

    if (job->timer.timer_set) {
        ngx_del_timer(&job->timer);
    }

    if (job->done.posted) {
        ngx_delete_posted_event(&job->done);
    }

    ngx_free(job->sql_alloc);
    ngx_free(job);
}


u_char *
ngx_http_mana_db_job_sql(ngx_http_mana_db_job_t *job, size_t len)
{
    u_char  *p;

    if (len <= job->sql_size) {
        job->sql.len = len;
        return job->sql.data;
    }

    p = ngx_alloc(len + 1, job->pool->log);
    if (p == NULL) {
        return NULL;
    }

    ngx_free(job->sql_alloc);
    job->sql_alloc = p;
    job->sql.data = p;
    job->sql.len = len;
    job->sql_size = len;

    return p;
}


void
ngx_http_mana_db_status(ngx_http_mana_db_pool_t *pool,
    ngx_http_mana_db_status_t *st)
{
    ngx_queue_t  *q;

    ngx_memzero(st, sizeof(ngx_http_mana_db_status_t));

    for (q = ngx_queue_head(&pool->idle);
         q != ngx_queue_sentinel(&pool->idle);
         q = ngx_queue_next(q))
    {
        st->idle++;
    }

    st->connections = pool->connections;
    st->busy = pool->connections - st->idle;
    st->queued = pool->queued;
    st->reachable = pool->reachable;
    st->last_ok = pool->last_ok;
    st->last_error = pool->last_error;
}


static void
ngx_http_mana_db_connect(ngx_http_mana_db_pool_t *pool,
    ngx_http_mana_db_job_t *job)
{
    int                       status;
    unsigned int              off;
    ngx_http_mana_db_conf_t  *conf;
    ngx_http_mana_db_conn_t  *dc;

    conf = pool->conf;

    dc = ngx_calloc(sizeof(ngx_http_mana_db_conn_t), pool->log);
    if (dc == NULL) {
        ngx_http_mana_db_finish(job, NGX_ERROR);
        return;
    }

    dc->pool = pool;
    dc->job = job;
    dc->fresh = 1;
    dc->state = NGX_HTTP_MANA_DB_CONNECTING;
    dc->timer.handler = ngx_http_mana_db_timeout_handler;
    dc->timer.data = dc;
    dc->timer.log = pool->log;

    job->running = 1;
    pool->connections++;
    ngx_queue_insert_tail(&pool->busy, &dc->queue);

    off = 0;
    mysql_init(&dc->mysql);
    mysql_options(&dc->mysql, MYSQL_OPT_NONBLOCK, 0);
    mysql_options(&dc->mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    mysql_options(&dc->mysql, MYSQL_INIT_COMMAND, "SET time_zone = '+00:00'");
    /*
     * READ COMMITTED: no gap locks, so the sender's claims and the
     * conversations' outbox inserts do not block each other; uniqueness
     * and the FOR UPDATE row locks are all the module relies on.
     */
    mysql_options(&dc->mysql, MYSQL_INIT_COMMAND,
                  "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
    /*
     * A lock wait gives up well before the query timer would close the
     * connection: the statement fails with 1205, which callers can run
     * again, instead of the whole batch being lost with the connection.
     */
    mysql_options(&dc->mysql, MYSQL_INIT_COMMAND,
                  (char *) pool->lock_wait);
    mysql_options(&dc->mysql, MYSQL_OPT_LOCAL_INFILE, &off);

    ngx_add_timer(&dc->timer, conf->connect_timeout);

    ngx_log_debug1(NGX_LOG_DEBUG_EVENT, pool->log, 0,
                   "mana db: connecting to %V", &conf->server);

    status = mysql_real_connect_start(&dc->ret_mysql, &dc->mysql,
                 conf->host.len ? (char *) conf->host.data : "localhost",
                 (char *) conf->user.data, (char *) conf->password.data,
                 (char *) conf->database.data, conf->port,
                 conf->socket.len ? (char *) conf->socket.data : NULL,
                 CLIENT_MULTI_STATEMENTS);

    ngx_http_mana_db_run(dc, status);
}


/*
 * The socket exists once the connect has started: give it to nginx then,
 * even if Connector/C never has to wait for it, so that worker_connections
 * bounds every socket of the worker and an idle connection is watched for
 * the server closing it.  NGX_DECLINED: no socket (the connect failed).
 */
static ngx_int_t
ngx_http_mana_db_attach(ngx_http_mana_db_conn_t *dc)
{
    ngx_socket_t       fd;
    ngx_connection_t  *c;

    fd = mysql_get_socket(&dc->mysql);
    if (fd == (ngx_socket_t) -1) {
        return NGX_DECLINED;
    }

    c = ngx_get_connection(fd, dc->pool->log);
    if (c == NULL) {
        return NGX_ERROR;
    }

    c->data = dc;
    c->read->handler = ngx_http_mana_db_event_handler;
    c->write->handler = ngx_http_mana_db_event_handler;
    c->read->log = dc->pool->log;
    c->write->log = dc->pool->log;
    c->number = ngx_atomic_fetch_add(ngx_connection_counter, 1);

    dc->c = c;

    return NGX_OK;
}


/* drives the state machine until Connector/C has to wait for the socket */
static void
ngx_http_mana_db_run(ngx_http_mana_db_conn_t *dc, int status)
{
    ngx_connection_t  *c;

    if (dc->c == NULL && ngx_http_mana_db_attach(dc) == NGX_ERROR) {
        ngx_snprintf(dc->pool->last_error, sizeof(dc->pool->last_error),
                     "no free worker connection for MariaDB%Z");
        ngx_log_error(NGX_LOG_ERR, dc->pool->log, 0, "mana db: %s "
                      "(raise worker_connections)", dc->pool->last_error);
        ngx_http_mana_db_fail(dc);
        return;
    }

    while (status == 0) {
        status = ngx_http_mana_db_advance(dc);
    }

    if (status < 0) {
        return;
    }

    c = dc->c;
    dc->wait = status;

    /*
     * Connector/C has read or written until EAGAIN: the next edge of that
     * event is news, and a stale "ready" must not resume it early.
     */

    if (status & MYSQL_WAIT_READ) {
        c->read->ready = 0;
        if (ngx_handle_read_event(c->read, 0) != NGX_OK) {
            ngx_http_mana_db_fail(dc);
            return;
        }
    }

    if (status & MYSQL_WAIT_WRITE) {
        c->write->ready = 0;
        if (ngx_handle_write_event(c->write, 0) != NGX_OK) {
            ngx_http_mana_db_fail(dc);
            return;
        }
    }
}


static void
ngx_http_mana_db_event_handler(ngx_event_t *ev)
{
    int                       ready, status;
    u_char                    peek;
    ngx_connection_t         *c;
    ngx_http_mana_db_conn_t  *dc;

    c = ev->data;
    dc = c->data;

    if (dc->state == NGX_HTTP_MANA_DB_IDLE) {

        if (c->close) {
            /* the worker is shutting down */
            ngx_http_mana_db_close(dc);
            return;
        }

        if (ev->write) {
            return;
        }

        /* an idle connection reads only when the server closed it */
        if (recv(c->fd, &peek, 1, MSG_PEEK) == -1 && ngx_socket_errno
            == NGX_EAGAIN)
        {
            ev->ready = 0;
            return;
        }

        ngx_log_error(NGX_LOG_INFO, dc->pool->log, 0,
                      "mana db: server closed an idle connection");
        /* a restart, or wait_timeout: either way, ask before claiming ok */
        dc->pool->reachable = 0;
        ngx_http_mana_db_close(dc);
        return;
    }

    if (dc->state == NGX_HTTP_MANA_DB_HELD) {
        if (ev->write) {
            return;
        }

        if (recv(c->fd, &peek, 1, MSG_PEEK) == -1 && ngx_socket_errno
            == NGX_EAGAIN)
        {
            ev->ready = 0;
            return;
        }

        /* the server dropped the transaction: the next batch will fail */
        ngx_log_error(NGX_LOG_WARN, dc->pool->log, 0,
                      "mana db: server closed a connection between batches");
        dc->pool->reachable = 0;
        ngx_http_mana_db_close(dc);
        return;
    }

    ready = 0;

    if ((dc->wait & MYSQL_WAIT_READ) && c->read->ready) {
        ready |= MYSQL_WAIT_READ;
    }

    if ((dc->wait & MYSQL_WAIT_WRITE) && c->write->ready) {
        ready |= MYSQL_WAIT_WRITE;
    }

    if (ready == 0) {
        return;
    }

    switch (dc->state) {

    case NGX_HTTP_MANA_DB_CONNECTING:
        status = mysql_real_connect_cont(&dc->ret_mysql, &dc->mysql, ready);
        break;

    case NGX_HTTP_MANA_DB_QUERY:
    case NGX_HTTP_MANA_DB_ROLLBACK:
        status = mysql_real_query_cont(&dc->ret, &dc->mysql, ready);
        break;

    case NGX_HTTP_MANA_DB_STORE:
        status = mysql_store_result_cont(&dc->ret_res, &dc->mysql, ready);
        break;

    default: /* NGX_HTTP_MANA_DB_NEXT */
        status = mysql_next_result_cont(&dc->ret, &dc->mysql, ready);
        break;
    }

    ngx_http_mana_db_run(dc, status);
}


static void
ngx_http_mana_db_set_error(ngx_http_mana_db_conn_t *dc)
{
    ngx_http_mana_db_job_t  *job;

    job = dc->job;

    ngx_snprintf(dc->pool->last_error, sizeof(dc->pool->last_error),
                 "%ud: %s%Z", mysql_errno(&dc->mysql),
                 mysql_error(&dc->mysql));

    if (job) {
        job->db_errno = mysql_errno(&dc->mysql);
        ngx_snprintf(job->db_error, sizeof(job->db_error), "%s%Z",
                     mysql_error(&dc->mysql));
    }
}


/* the connection itself is gone: the client library's own error codes */
static ngx_uint_t
ngx_http_mana_db_connection_lost(unsigned int err)
{
    return err >= 2000 && err < 3000;
}


static int
ngx_http_mana_db_advance(ngx_http_mana_db_conn_t *dc)
{
    unsigned int              err;
    ngx_http_mana_db_job_t   *job;
    ngx_http_mana_db_pool_t  *pool;

    pool = dc->pool;
    job = dc->job;

    switch (dc->state) {

    case NGX_HTTP_MANA_DB_CONNECTING:

        if (dc->ret_mysql == NULL) {
            ngx_snprintf(pool->last_error, sizeof(pool->last_error),
                         "cannot connect to %V: %s%Z", &pool->conf->server,
                         mysql_error(&dc->mysql));
            ngx_log_error(NGX_LOG_ERR, pool->log, 0, "mana db: %s",
                          pool->last_error);
            if (job) {
                job->db_errno = mysql_errno(&dc->mysql);
            }
            ngx_http_mana_db_fail(dc);
            return -1;
        }

        ngx_del_timer(&dc->timer);
        dc->job = NULL;

        return ngx_http_mana_db_start_job(dc, job);

    case NGX_HTTP_MANA_DB_QUERY:
    case NGX_HTTP_MANA_DB_NEXT:

        /* next_result: 0 another result, -1 none, > 0 error */
        if (dc->ret > 0 || (dc->state == NGX_HTTP_MANA_DB_QUERY && dc->ret)) {
            err = mysql_errno(&dc->mysql);
            ngx_http_mana_db_set_error(dc);

            if (ngx_http_mana_db_connection_lost(err)) {
                ngx_log_error(NGX_LOG_WARN, pool->log, 0,
                              "mana db: connection lost: %s",
                              pool->last_error);
                ngx_http_mana_db_fail(dc);
                return -1;
            }

            ngx_log_error(NGX_LOG_ERR, pool->log, 0,
                          "mana db: statement %ui failed: %s",
                          dc->stmt + 1, pool->last_error);

            /* the rest of the batch was skipped: end the transaction */
            dc->state = NGX_HTTP_MANA_DB_ROLLBACK;
            return mysql_real_query_start(&dc->ret, &dc->mysql,
                                          "ROLLBACK", 8);
        }

        if (mysql_field_count(&dc->mysql) > 0) {
            dc->state = NGX_HTTP_MANA_DB_STORE;
            return mysql_store_result_start(&dc->ret_res, &dc->mysql);
        }

        if (job && dc->stmt < NGX_HTTP_MANA_DB_MAX_STMTS) {
            job->affected[dc->stmt] = mysql_affected_rows(&dc->mysql);
        }

        break;

    case NGX_HTTP_MANA_DB_STORE:

        if (dc->ret_res == NULL) {
            ngx_http_mana_db_set_error(dc);
            ngx_http_mana_db_fail(dc);
            return -1;
        }

        if (job && job->handler && job->result) {
            job->results_seen = 1;
            job->result(job, dc->stmt, dc->ret_res);
        }

        /* the rows are in memory already: freeing them does no I/O */
        mysql_free_result(dc->ret_res);
        dc->ret_res = NULL;

        break;

    case NGX_HTTP_MANA_DB_ROLLBACK:

        if (dc->ret) {
            ngx_http_mana_db_fail(dc);
            return -1;
        }

        if (job == NULL) {
            /* a held job that ended without committing */
            return ngx_http_mana_db_release(dc);
        }

        /*
         * A deadlock victim usually succeeds at once when run again; only
         * a first batch can be, the server rolled back any before it.
         */
        if (job->db_errno == ER_LOCK_DEADLOCK && job->attempts < 2
            && job->batches == 1 && !job->results_seen)
        {
            return ngx_http_mana_db_start_job(dc, job);
        }

        ngx_http_mana_db_finish(job, NGX_ERROR);
        dc->job = NULL;

        return ngx_http_mana_db_release(dc);

    default:
        return -1;
    }

    /* a statement is done */

    dc->stmt++;

    if (mysql_more_results(&dc->mysql)) {
        dc->state = NGX_HTTP_MANA_DB_NEXT;
        return mysql_next_result_start(&dc->ret, &dc->mysql);
    }

    pool->reachable = 1;
    pool->last_ok = ngx_current_msec;

    if (job && job->hold && job->handler == NULL) {
        /* canceled mid-transaction: nothing of it may reach the next job */
        ngx_http_mana_db_finish(job, NGX_OK);
        dc->job = NULL;
        dc->state = NGX_HTTP_MANA_DB_ROLLBACK;
        return mysql_real_query_start(&dc->ret, &dc->mysql, "ROLLBACK", 8);
    }

    if (job && job->hold) {
        /* the transaction goes on: the handler sends the next batch */
        if (dc->timer.timer_set) {
            ngx_del_timer(&dc->timer);
        }

        dc->state = NGX_HTTP_MANA_DB_HELD;
        dc->wait = 0;
        job->conn = dc;
        ngx_http_mana_db_finish(job, NGX_OK);

        dc->c->read->ready = 0;
        if (ngx_handle_read_event(dc->c->read, 0) != NGX_OK) {
            job->conn = NULL;
            ngx_http_mana_db_close(dc);
        }

        return -1;
    }

    ngx_http_mana_db_finish(job, NGX_OK);
    dc->job = NULL;

    return ngx_http_mana_db_release(dc);
}


ngx_int_t
ngx_http_mana_db_next(ngx_http_mana_db_job_t *job)
{
    ngx_http_mana_db_conn_t  *dc;

    dc = job->conn;
    job->conn = NULL;

    if (dc == NULL) {
        /* the connection was lost between batches */
        job->db_errno = CR_SERVER_LOST;
        ngx_cpystrn(job->db_error, (u_char *) "connection lost between "
                    "batches", sizeof(job->db_error));
        job->running = 1;
        ngx_http_mana_db_finish(job, NGX_ERROR);
        return NGX_OK;
    }

    job->batches++;
    ngx_http_mana_db_run(dc, ngx_http_mana_db_start_job(dc, job));

    return NGX_OK;
}


void
ngx_http_mana_db_end(ngx_http_mana_db_job_t *job)
{
    ngx_http_mana_db_conn_t  *dc;

    dc = job->conn;
    job->conn = NULL;

    if (dc == NULL) {
        return;
    }

    /* whatever the handler did not commit must not leak into the next job */
    dc->job = NULL;
    dc->state = NGX_HTTP_MANA_DB_ROLLBACK;

    if (!dc->timer.timer_set) {
        ngx_add_timer(&dc->timer, dc->pool->conf->query_timeout);
    }

    ngx_http_mana_db_run(dc, mysql_real_query_start(&dc->ret, &dc->mysql,
                                                    "ROLLBACK", 8));
}


static int
ngx_http_mana_db_start_job(ngx_http_mana_db_conn_t *dc,
    ngx_http_mana_db_job_t *job)
{
    if (dc->state == NGX_HTTP_MANA_DB_IDLE) {
        ngx_queue_remove(&dc->queue);
        ngx_queue_insert_tail(&dc->pool->busy, &dc->queue);
        dc->fresh = 0;
        dc->c->idle = 0;
    }

    dc->job = job;
    dc->stmt = 0;
    dc->state = NGX_HTTP_MANA_DB_QUERY;

    if (job->batches == 0 && job->prepare) {
        job->prepare(job);
    }

    job->running = 1;
    job->attempts++;
    if (job->batches == 0) {
        job->batches = 1;
    }
    ngx_memzero(job->affected, sizeof(job->affected));

    if (dc->timer.timer_set) {
        ngx_del_timer(&dc->timer);
    }

    ngx_add_timer(&dc->timer, dc->pool->conf->query_timeout);

    return mysql_real_query_start(&dc->ret, &dc->mysql,
                                  (const char *) job->sql.data, job->sql.len);
}


/* the job is done: serve the next one waiting, or rest */
static int
ngx_http_mana_db_release(ngx_http_mana_db_conn_t *dc)
{
    ngx_queue_t              *q;
    ngx_http_mana_db_job_t   *job;
    ngx_http_mana_db_pool_t  *pool;

    pool = dc->pool;

    if (dc->timer.timer_set) {
        ngx_del_timer(&dc->timer);
    }

    if (ngx_terminate
        || ((ngx_exiting || ngx_quit) && ngx_queue_empty(&pool->waiting)))
    {
        ngx_http_mana_db_close(dc);
        return -1;
    }

    if (!ngx_queue_empty(&pool->waiting)) {
        q = ngx_queue_head(&pool->waiting);
        ngx_queue_remove(q);
        pool->queued--;

        job = ngx_queue_data(q, ngx_http_mana_db_job_t, queue);
        job->queued = 0;

        if (job->timer.timer_set) {
            ngx_del_timer(&job->timer);
        }

        dc->fresh = 0;

        return ngx_http_mana_db_start_job(dc, job);
    }

    dc->state = NGX_HTTP_MANA_DB_IDLE;
    dc->wait = 0;
    ngx_queue_remove(&dc->queue);
    ngx_queue_insert_head(&pool->idle, &dc->queue);

    /* closed by ngx_close_idle_connections() on reload and quit */
    dc->c->idle = 1;
    dc->c->read->ready = 0;

    if (ngx_handle_read_event(dc->c->read, 0) != NGX_OK) {
        ngx_http_mana_db_close(dc);
    }

    return -1;
}


/*
 * The connection is broken or timed out: close it, and either try its job
 * once more on another connection or fail it.
 */
static void
ngx_http_mana_db_fail(ngx_http_mana_db_conn_t *dc)
{
    ngx_uint_t                retry;
    ngx_http_mana_db_job_t   *job;
    ngx_http_mana_db_pool_t  *pool;

    job = dc->job;
    pool = dc->pool;

    /*
     * A reused connection may have been dropped by the server while it was
     * idle (a restart): the batch is one transaction and idempotent, so it
     * is safe to run it once more on a new connection.
     */
    retry = job && !dc->fresh && job->attempts < 2 && job->batches == 1
            && !job->results_seen
            && ngx_http_mana_db_connection_lost(job->db_errno);

    dc->job = NULL;
    pool->reachable = 0;
    ngx_http_mana_db_close(dc);

    if (job == NULL) {
        return;
    }

    if (retry) {
        ngx_log_error(NGX_LOG_INFO, pool->log, 0,
                      "mana db: retrying on a new connection");

        job->running = 0;

        if (ngx_http_mana_db_post(job) == NGX_OK) {
            return;
        }

        ngx_http_mana_db_finish(job, NGX_BUSY);
        return;
    }

    if (job) {
        ngx_http_mana_db_finish(job, NGX_ERROR);
    }
}


static void
ngx_http_mana_db_close(ngx_http_mana_db_conn_t *dc)
{
    int                status;
    ngx_socket_t       fd;
    ngx_connection_t  *c;

    if (dc->job && dc->job->conn == dc) {
        /* a held job finds its connection gone at its next batch */
        dc->job->conn = NULL;
    }

    ngx_queue_remove(&dc->queue);
    dc->pool->connections--;

    if (dc->timer.timer_set) {
        ngx_del_timer(&dc->timer);
    }

    fd = (ngx_socket_t) -1;
    c = dc->c;

    if (c) {
        fd = c->fd;

        if (c->read->posted) {
            ngx_delete_posted_event(c->read);
        }

        if (c->write->posted) {
            ngx_delete_posted_event(c->write);
        }

        /* Connector/C closes the socket below */
        if (c->read->active || c->read->disabled) {
            ngx_del_event(c->read, NGX_READ_EVENT, NGX_CLOSE_EVENT);
        }

        if (c->write->active || c->write->disabled) {
            ngx_del_event(c->write, NGX_WRITE_EVENT, NGX_CLOSE_EVENT);
        }

        ngx_free_connection(c);
        c->fd = (ngx_socket_t) -1;

    } else {
        /* nginx never had it (no free worker connection): still ours */
        fd = mysql_get_socket(&dc->mysql);
    }

    if (dc->ret_res) {
        mysql_free_result(dc->ret_res);
    }

    /*
     * COM_QUIT fits in an empty socket buffer; if it ever does not, shut the
     * socket so that the rest of the close cannot wait on it.
     */

    status = mysql_close_start(&dc->mysql);

    if (status && fd != (ngx_socket_t) -1) {
        (void) shutdown(fd, SHUT_RDWR);

        while (status) {
            status = mysql_close_cont(&dc->mysql, status);
        }
    }

    ngx_free(dc);
}


static void
ngx_http_mana_db_finish(ngx_http_mana_db_job_t *job, ngx_int_t rc)
{
    job->rc = rc;
    job->running = 0;

    if (job->handler == NULL) {
        /* canceled while it ran */
        if (job->conn) {
            ngx_http_mana_db_end(job);
        }

        ngx_free(job->sql_alloc);
        ngx_free(job);
        return;
    }

    /* never call back from inside the caller's own stack */
    ngx_post_event(&job->done, &ngx_posted_events);
}


static void
ngx_http_mana_db_done_handler(ngx_event_t *ev)
{
    ngx_http_mana_db_job_t  *job;

    job = ev->data;

    if (job->handler) {
        job->handler(job);
    }

    if (job->running || job->queued || job->done.posted) {
        /* the handler sent the next batch (which may have ended already) */
        return;
    }

    if (job->conn) {
        ngx_http_mana_db_end(job);
    }

    ngx_free(job->sql_alloc);
    ngx_free(job);
}


static void
ngx_http_mana_db_timeout_handler(ngx_event_t *ev)
{
    ngx_http_mana_db_conn_t  *dc;

    dc = ev->data;

    ngx_snprintf(dc->pool->last_error, sizeof(dc->pool->last_error),
                 "%s to %V timed out%Z",
                 dc->state == NGX_HTTP_MANA_DB_CONNECTING ? "connection"
                                                          : "query",
                 &dc->pool->conf->server);

    ngx_log_error(NGX_LOG_ERR, dc->pool->log, 0, "mana db: %s",
                  dc->pool->last_error);

    if (dc->job) {
        dc->job->db_errno = CR_SERVER_LOST;
        /* a timed-out batch is not retried: it had its time */
        dc->job->attempts = 2;
    }

    ngx_http_mana_db_fail(dc);
}


static void
ngx_http_mana_db_queue_timeout_handler(ngx_event_t *ev)
{
    ngx_http_mana_db_job_t  *job;

    job = ev->data;

    ngx_queue_remove(&job->queue);
    job->queued = 0;
    job->pool->queued--;

    ngx_log_error(NGX_LOG_WARN, job->pool->log, 0,
                  "mana db: no connection free within the queue timeout");

    ngx_http_mana_db_finish(job, NGX_BUSY);
}
