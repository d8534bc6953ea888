/*
 * The outbox sender.  A claim is two steps: which rows may go,
 *
 *   SELECT id FROM outbox o WHERE state < 2 AND next_attempt_at <= NOW(3)
 *      AND NOT EXISTS (an earlier row to the same recipient, state < 2)
 *    ORDER BY next_attempt_at, id LIMIT <n>
 *
 * then one batch that takes those still due:
 *
 *   UPDATE outbox SET state = 1, lease_owner = <token>,
 *          next_attempt_at = NOW(3) + <lease>, attempts = attempts + 1
 *    WHERE id IN (<ids>) AND state < 2 AND next_attempt_at <= NOW(3);
 *   SELECT ... FROM outbox WHERE lease_owner = <token> AND state = 1
 *
 * A claimed row's next_attempt_at is its lease's end, so a row whose
 * worker died becomes due again by itself.  Results are written back in
 * batches, each statement guarded by the lease token: a worker whose lease
 * was taken over changes nothing.
 *
 * WhatsApp shows a chat's messages in the order Graph accepted them, so a
 * recipient's rows go one at a time, in the order they were written: only
 * the oldest unsent row of a recipient can be claimed, by any worker.  The
 * next one is claimed once the result of the one before (accepted, or
 * failed for good) is written; a row waiting for its retry holds the later
 * ones back, which are neither claimed nor charged an attempt meanwhile,
 * and so does a row whose worker died, until its lease ends.  The writes
 * that let later rows go kick a claim at once.
 *
 * Why two steps: the test of the earlier rows must read them as committed.
 * Inside an UPDATE (or a SET) MariaDB reads the subquery's rows with
 * locks, and under READ COMMITTED a row another transaction holds (a
 * result being written) may be passed over as not matching: the later row
 * was claimed (seen with two workers and concurrent writers).  A plain
 * SELECT reads a committed snapshot, and a snapshot can only be late to
 * let a row go, never early: an earlier row, once sent or failed
 * (state 2 or 3), never becomes unsent again.
 */

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_event.h>

#include "ngx_http_mana_db.h"
#include "ngx_http_mana_sender.h"
#include "mana_buf.h"
#include "mana_graph.h"
#include "mana_utf8.h"


#define NGX_HTTP_MANA_SENDER_FLUSH_DELAY  5
#define NGX_HTTP_MANA_SENDER_FLUSH_MAX    64
#define NGX_HTTP_MANA_SENDER_FLUSH_TRIES  5


typedef struct {
    ngx_queue_t                  queue;
    ngx_http_mana_graph_req_t    req;
    ngx_http_mana_sender_t      *sender;
    uint64_t                     id;
    ngx_uint_t                   attempts;
    ngx_str_t                    number;
    ngx_str_t                    to;
    ngx_str_t                    lang;
    ngx_str_t                    payload;
    ngx_msec_t                   claimed;
    u_char                       lease[80];
    u_char                       path[128];
} ngx_http_mana_item_t;


struct ngx_http_mana_sender_s {
    ngx_http_mana_sender_conf_t *conf;
    ngx_http_mana_graph_t       *graph;
    ngx_log_t                   *log;
    ngx_event_t                  timer;
    ngx_event_t                  kick;
    ngx_event_t                  flush_timer;
    ngx_queue_t                  ready;
    ngx_uint_t                   nready;
    ngx_uint_t                   inflight;
    ngx_uint_t                   seq;
    u_char                       owner[64];
    size_t                       owner_len;
    u_char                       lease[80];     /* the current claim's token */
    mana_buf_t                   chosen;        /* "id,id,..." may go */
    ngx_uint_t                   nchosen;
    mana_buf_t                   results;
    ngx_uint_t                   nresults;
    unsigned                     claiming:1;
    unsigned                     flushing:1;
    unsigned                     more:1;
    unsigned                     kicked:1;  /* rows came during a claim */
    /* a claim is due: the poll timer fired, or rows were committed */
    unsigned                     due:1;
    /* results that end a row (sent, failed), so later rows may go */
    unsigned                     unblocks:1;
    unsigned                     flush_unblocks:1;
    ngx_uint_t                   flush_failures;
};


ngx_http_mana_sender_t  *ngx_http_mana_sender;


static void ngx_http_mana_sender_wake(ngx_http_mana_sender_t *sender);
static void ngx_http_mana_sender_claim(ngx_http_mana_sender_t *sender);
static void ngx_http_mana_sender_candidate(ngx_http_mana_db_job_t *job,
    ngx_uint_t stmt, MYSQL_RES *res);
static void ngx_http_mana_sender_take(ngx_http_mana_db_job_t *job);
static void ngx_http_mana_sender_claimed(ngx_http_mana_db_job_t *job);
static void ngx_http_mana_sender_row(ngx_http_mana_db_job_t *job,
    ngx_uint_t stmt, MYSQL_RES *res);
static ngx_uint_t ngx_http_mana_sender_window_closed(
    ngx_http_mana_sender_t *sender, ngx_http_mana_item_t *item);
static void ngx_http_mana_sender_result(ngx_http_mana_sender_t *sender,
    ngx_http_mana_item_t *item, mana_send_result_t *res);
static void ngx_http_mana_sender_sent(ngx_http_mana_graph_req_t *req);
static void ngx_http_mana_sender_flush(ngx_http_mana_sender_t *sender);
static void ngx_http_mana_sender_flushed(ngx_http_mana_db_job_t *job);
static void ngx_http_mana_sender_timer_handler(ngx_event_t *ev);
static void ngx_http_mana_sender_flush_handler(ngx_event_t *ev);


ngx_http_mana_sender_t *
ngx_http_mana_sender_create(ngx_cycle_t *cycle,
    ngx_http_mana_sender_conf_t *conf)
{
    u_char                  *p;
    ngx_http_mana_sender_t  *sender;

    sender = ngx_pcalloc(cycle->pool, sizeof(ngx_http_mana_sender_t));
    if (sender == NULL) {
        return NULL;
    }

    sender->graph = ngx_http_mana_graph_create(cycle, &conf->graph);
    if (sender->graph == NULL) {
        return NULL;
    }

    sender->conf = conf;
    sender->log = cycle->log;
    ngx_queue_init(&sender->ready);
    mana_buf_init(&sender->chosen);
    mana_buf_init(&sender->results);

    /*
     * Lease tokens name the host and the worker, for whoever reads them;
     * what makes them unique (pid and a random number) is never cut, only
     * a long host name is.
     */
    p = ngx_snprintf(sender->owner, sizeof(sender->owner) - 12,
                     "%*s:%P:%08xD",
                     ngx_min(cycle->hostname.len, (size_t) 24),
                     cycle->hostname.data, ngx_pid, (uint32_t) ngx_random());
    sender->owner_len = p - sender->owner;

    sender->timer.handler = ngx_http_mana_sender_timer_handler;
    sender->timer.data = sender;
    sender->timer.log = cycle->log;

    sender->kick.handler = ngx_http_mana_sender_timer_handler;
    sender->kick.data = sender;
    sender->kick.log = cycle->log;

    sender->flush_timer.handler = ngx_http_mana_sender_flush_handler;
    sender->flush_timer.data = sender;
    sender->flush_timer.log = cycle->log;

    /* the first look at the outbox, once the worker is up */
    ngx_add_timer(&sender->timer, 10);

    return sender;
}


void
ngx_http_mana_sender_destroy(ngx_http_mana_sender_t *sender)
{
    if (sender->timer.timer_set) {
        ngx_del_timer(&sender->timer);
    }

    if (sender->flush_timer.timer_set) {
        ngx_del_timer(&sender->flush_timer);
    }

    if (sender->kick.posted) {
        ngx_delete_posted_event(&sender->kick);
    }

    ngx_http_mana_graph_destroy(sender->graph);
    mana_buf_free(&sender->chosen);
    mana_buf_free(&sender->results);
}


void
ngx_http_mana_sender_kick(void)
{
    ngx_http_mana_sender_t  *sender = ngx_http_mana_sender;

    if (sender == NULL) {
        return;
    }

    /* a claim in flight may have missed the new rows: look once more */
    if (sender->claiming) {
        sender->kicked = 1;
    }

    if (!sender->kick.posted) {
        ngx_post_event(&sender->kick, &ngx_posted_events);
    }
}


static void
ngx_http_mana_sender_timer_handler(ngx_event_t *ev)
{
    ngx_http_mana_sender_t  *sender = ev->data;

    sender->due = 1;
    ngx_http_mana_sender_wake(sender);
}


static void
ngx_http_mana_sender_flush_handler(ngx_event_t *ev)
{
    ngx_http_mana_sender_flush(ev->data);
}


/* send what is claimed, within the rate limits; claim more when idle */
static void
ngx_http_mana_sender_wake(ngx_http_mana_sender_t *sender)
{
    ngx_msec_t             wait, next;
    ngx_queue_t           *q;
    ngx_http_mana_item_t  *item;

    next = sender->conf->interval;

    while (!ngx_queue_empty(&sender->ready)
           && sender->inflight < sender->conf->graph.max_conns)
    {
        q = ngx_queue_head(&sender->ready);
        item = ngx_queue_data(q, ngx_http_mana_item_t, queue);

        if (ngx_current_msec - item->claimed + sender->conf->graph.timeout
            >= sender->conf->lease)
        {
            /*
             * Its answer could come after the lease ends, when another
             * worker may send it too: leave it to the next claim.
             */
            ngx_queue_remove(q);
            sender->nready--;
            ngx_free(item);
            continue;
        }

        wait = ngx_http_mana_rate_take(&sender->conf->rate, &item->number,
                                       &item->to);
        if (wait) {
            next = ngx_min(next, wait);
            break;
        }

        ngx_queue_remove(q);
        sender->nready--;
        sender->inflight++;

        ngx_http_mana_graph_send(sender->graph, &item->req);
    }

    /*
     * Claim when it is due or the last claim was full; not whenever the
     * queue is empty: that would poll the database back to back, and
     * spin without end when a failed connect fails at once.
     */
    if ((sender->due || sender->more)
        && ngx_queue_empty(&sender->ready) && !sender->claiming
        && sender->inflight < sender->conf->graph.max_conns
        && !(ngx_exiting || ngx_terminate || ngx_quit))
    {
        ngx_http_mana_sender_claim(sender);
    }

    if (sender->timer.timer_set) {
        ngx_del_timer(&sender->timer);
    }

    /*
     * Claimed rows keep a quitting worker alive until they are sent; an
     * empty poll does not.
     */
    sender->timer.cancelable = ngx_queue_empty(&sender->ready);

    if (!(ngx_exiting && sender->timer.cancelable)) {
        ngx_add_timer(&sender->timer, sender->more ? 1 : next);
    }
}


static void
ngx_http_mana_sender_claim(ngx_http_mana_sender_t *sender)
{
    u_char                  *last;
    size_t                   len;
    ngx_http_mana_db_job_t  *job;

    if (ngx_http_mana_db_pool == NULL) {
        return;
    }

    len = 512;

    job = ngx_http_mana_db_job_create(ngx_http_mana_db_pool, len);
    if (job == NULL) {
        return;
    }

    /* outbox_recipient: one look-up in the recipient's unsent rows */
    last = ngx_snprintf(job->sql.data, len,
        "SELECT o.id FROM outbox o "
        "WHERE o.state < 2 AND o.next_attempt_at <= NOW(3) "
        "AND NOT EXISTS (SELECT 1 FROM outbox e "
        "WHERE e.recipient = o.recipient AND e.state < 2 "
        "AND e.id < o.id) "
        "ORDER BY o.next_attempt_at, o.id LIMIT %ui",
        ngx_min(sender->conf->batch, sender->conf->graph.max_conns * 4));

    job->sql.len = last - job->sql.data;
    job->handler = ngx_http_mana_sender_take;
    job->result = ngx_http_mana_sender_candidate;
    job->data = sender;

    mana_buf_free(&sender->chosen);
    sender->nchosen = 0;

    if (ngx_http_mana_db_post(job) != NGX_OK) {
        ngx_http_mana_db_cancel(job);
        return;
    }

    sender->claiming = 1;
    sender->more = 0;
    sender->due = 0;
}


/* the rows that may go: their ids, as numbers again */
static void
ngx_http_mana_sender_candidate(ngx_http_mana_db_job_t *job, ngx_uint_t stmt,
    MYSQL_RES *res)
{
    off_t                    id;
    MYSQL_ROW                row;
    unsigned long           *len;
    ngx_http_mana_sender_t  *sender;

    sender = job->data;

    while ((row = mysql_fetch_row(res)) != NULL) {
        len = mysql_fetch_lengths(res);
        id = row[0] ? ngx_atoof((u_char *) row[0], len[0]) : NGX_ERROR;

        if (id == NGX_ERROR) {
            continue;
        }

        mana_buf_addf(&sender->chosen, "%s%llu", sender->nchosen ? "," : "",
                      (unsigned long long) id);
        sender->nchosen++;
    }
}


/* takes those of the chosen rows that nobody took meanwhile */
static void
ngx_http_mana_sender_take(ngx_http_mana_db_job_t *job)
{
    u_char                  *last;
    size_t                   len;
    ngx_http_mana_sender_t  *sender;

    sender = job->data;

    if (job->rc != NGX_OK || sender->nchosen == 0
        || mana_buf_failed(&sender->chosen) || ngx_exiting)
    {
        sender->claiming = 0;
        sender->more = sender->kicked;
        sender->kicked = 0;
        ngx_http_mana_sender_wake(sender);
        return;
    }

    last = ngx_snprintf(sender->lease, sizeof(sender->lease) - 1, "%*s:%ui",
                        sender->owner_len, sender->owner, ++sender->seq);
    *last = '\0';

    len = 512 + 2 * sizeof(sender->lease) + sender->chosen.len;

    job = ngx_http_mana_db_job_create(ngx_http_mana_db_pool, len);
    if (job == NULL) {
        sender->claiming = 0;
        return;
    }

    last = ngx_snprintf(job->sql.data, len,
        "UPDATE outbox SET state = 1, lease_owner = '%s', "
        "next_attempt_at = NOW(3) + INTERVAL %M000 MICROSECOND, "
        "attempts = attempts + 1 "
        "WHERE id IN (%*s) AND state < 2 AND next_attempt_at <= NOW(3);"
        "SELECT o.id, o.phone_number_id, "
        "COALESCE(o.to_phone, o.to_bsuid, ''), COALESCE(o.lang, ''), "
        "o.attempts, o.payload, "
        "c.last_inbound_at < UTC_TIMESTAMP() - INTERVAL 24 HOUR "
        "FROM outbox o LEFT JOIN citizen c ON c.id = o.citizen_id "
        "WHERE o.lease_owner = '%s' AND o.state = 1",
        sender->lease, sender->conf->lease, sender->chosen.len,
        sender->chosen.data, sender->lease);

    job->sql.len = last - job->sql.data;
    job->handler = ngx_http_mana_sender_claimed;
    job->result = ngx_http_mana_sender_row;
    job->data = sender;

    if (ngx_http_mana_db_post(job) != NGX_OK) {
        ngx_http_mana_db_cancel(job);
        sender->claiming = 0;
        return;
    }
}


/* the claimed rows, from the SELECT: each becomes an item to send */
static void
ngx_http_mana_sender_row(ngx_http_mana_db_job_t *job, ngx_uint_t stmt,
    MYSQL_RES *res)
{
    u_char                  *p;
    size_t                   size;
    MYSQL_ROW                row;
    unsigned long           *len;
    ngx_http_mana_item_t    *item;
    ngx_http_mana_sender_t  *sender;

    sender = job->data;

    while ((row = mysql_fetch_row(res)) != NULL) {
        len = mysql_fetch_lengths(res);

        if (row[0] == NULL || row[1] == NULL || row[5] == NULL) {
            continue;
        }

        size = sizeof(ngx_http_mana_item_t) + len[1] + len[2] + len[3]
               + len[5] + 4;

        item = ngx_calloc(size, sender->log);
        if (item == NULL) {
            /* the lease runs out and the row is claimed again */
            continue;
        }

        p = (u_char *) (item + 1);

        item->sender = sender;
        item->claimed = ngx_current_msec;
        ngx_memcpy(item->lease, sender->lease, sizeof(item->lease));
        item->id = ngx_atoof((u_char *) row[0], len[0]);
        item->attempts = ngx_atoi((u_char *) row[4], len[4]);

        item->number.data = p;
        item->number.len = len[1];
        p = ngx_cpymem(p, row[1], len[1]) + 1;

        item->to.data = p;
        item->to.len = len[2];
        p = ngx_cpymem(p, row[2], len[2]) + 1;

        item->lang.data = p;
        item->lang.len = len[3];
        p = ngx_cpymem(p, row[3], len[3]) + 1;

        item->payload.data = p;
        item->payload.len = len[5];
        ngx_memcpy(p, row[5], len[5]);

        item->req.path.data = item->path;
        item->req.path.len = ngx_snprintf(item->path, sizeof(item->path),
                                          "/%V/%V/messages",
                                          &sender->conf->version,
                                          &item->number)
                             - item->path;
        item->req.body = item->payload;
        item->req.handler = ngx_http_mana_sender_sent;
        item->req.data = item;

        if (row[6] && row[6][0] == '1'
            && ngx_http_mana_sender_window_closed(sender, item))
        {
            continue;
        }

        ngx_queue_insert_tail(&sender->ready, &item->queue);
        sender->nready++;
    }
}


/*
 * The citizen's last message is more than 24 hours old: Graph would refuse
 * a free-form message (131047), so it is not tried; what Graph's refusal
 * would have caused happens at once (the template, when one is set).
 */
static ngx_uint_t
ngx_http_mana_sender_window_closed(ngx_http_mana_sender_t *sender,
    ngx_http_mana_item_t *item)
{
    mana_send_result_t  res;

    if (ngx_strlcasestrn(item->payload.data,
                         item->payload.data + item->payload.len,
                         (u_char *) "\"type\":\"template\"", 16)
        != NULL)
    {
        /* templates may be sent outside the window */
        return 0;
    }

    ngx_memzero(&res, sizeof(mana_send_result_t));
    res.verdict = MANA_SEND_TEMPLATE;
    res.code = 131047;
    ngx_cpystrn((u_char *) res.error, (u_char *) "outside the 24-hour "
                "window (known before sending)", sizeof(res.error));

    ngx_http_mana_sender_result(sender, item, &res);
    ngx_free(item);

    if (!sender->flush_timer.timer_set) {
        ngx_add_timer(&sender->flush_timer,
                      NGX_HTTP_MANA_SENDER_FLUSH_DELAY);
    }

    return 1;
}


static void
ngx_http_mana_sender_claimed(ngx_http_mana_db_job_t *job)
{
    ngx_http_mana_sender_t  *sender;

    sender = job->data;
    sender->claiming = 0;

    if (job->rc == NGX_OK) {
        /* a full batch, or rows committed meanwhile: look again at once */
        sender->more = sender->nchosen >= ngx_min(sender->conf->batch,
                                            sender->conf->graph.max_conns * 4)
                       || sender->kicked;
    }

    sender->kicked = 0;

    ngx_http_mana_sender_wake(sender);
}


/* the template that replaces a message outside the 24-hour window */
static void
ngx_http_mana_sender_template(ngx_http_mana_sender_t *sender,
    ngx_http_mana_item_t *item)
{
    mana_buf_t  tpl, *sql;

    sql = &sender->results;

    mana_buf_init(&tpl);

    if (mana_graph_template(&tpl, (char *) item->to.data,
                            (char *) sender->conf->template_name.data,
                            item->lang.len ? (char *) item->lang.data : "en")
        != 0)
    {
        mana_buf_free(&tpl);
        return;
    }

    mana_buf_adds(sql, "INSERT INTO outbox (citizen_id, phone_number_id, "
                       "to_bsuid, to_phone, lang, payload) "
                       "SELECT citizen_id, phone_number_id, to_bsuid, "
                       "to_phone, lang, ");
    mana_buf_add_sql_text(sql, tpl.data, tpl.len);
    mana_buf_addf(sql, " FROM outbox WHERE id = %llu AND lease_owner = '%s';\n",
                  (unsigned long long) item->id, item->lease);

    mana_buf_free(&tpl);
}


/* appends the statements that record one send, guarded by its lease */
static void
ngx_http_mana_sender_result(ngx_http_mana_sender_t *sender,
    ngx_http_mana_item_t *item, mana_send_result_t *res)
{
    size_t       len;
    unsigned     delay;
    mana_buf_t  *sql;

    sql = &sender->results;
    sender->nresults++;

    if (res->verdict == MANA_SEND_OK) {
        sender->unblocks = 1;
        mana_buf_adds(sql, "UPDATE IGNORE outbox SET state = 2, wamid = ");
        mana_buf_add_sql_text(sql, res->wamid, ngx_strlen(res->wamid));
        mana_buf_adds(sql, ", sent_at = NOW(3), lease_owner = NULL, "
                           "error_code = NULL, error_text = NULL");
        goto where;
    }

    if (res->verdict == MANA_SEND_TEMPLATE
        && sender->conf->template_name.len
        /* a template refused for the window: nothing else to try */
        && ngx_strlcasestrn(item->payload.data,
                            item->payload.data + item->payload.len,
                            (u_char *) "\"type\":\"template\"", 16)
           == NULL)
    {
        ngx_http_mana_sender_template(sender, item);
    }

    if (res->verdict == MANA_SEND_TEMPLATE || res->verdict == MANA_SEND_FAIL
        || (res->verdict == MANA_SEND_RETRY
            && item->attempts >= sender->conf->max_attempts))
    {
        sender->unblocks = 1;
        mana_buf_adds(sql, "UPDATE outbox SET state = 3, lease_owner = NULL");
        goto error;
    }

    delay = mana_graph_backoff(item->attempts, sender->conf->backoff,
                               sender->conf->backoff_max,
                               (unsigned) ngx_random());

    if (res->verdict == MANA_SEND_AUTH) {
        /* not the message's fault: keep it until the token is fixed */
        delay = sender->conf->backoff_max;
    }

    mana_buf_addf(sql, "UPDATE outbox SET state = 0, lease_owner = NULL, "
                       "next_attempt_at = NOW(3) + INTERVAL %u000 "
                       "MICROSECOND", delay);

error:

    /* error_code is an INT; error_text must end on a character boundary */
    len = ngx_strlen(res->error);
    while (len && !mana_utf8_valid(res->error, len)) {
        len--;
    }

    mana_buf_addf(sql, ", error_code = %lld, error_text = ",
                  res->code > 2147483647LL || res->code < -2147483647LL
                  ? 0LL : res->code);
    mana_buf_add_sql_text(sql, res->error, len);

where:

    mana_buf_addf(sql, " WHERE id = %llu AND lease_owner = '%s';\n",
                  (unsigned long long) item->id, item->lease);
}


static void
ngx_http_mana_sender_sent(ngx_http_mana_graph_req_t *req)
{
    mana_send_result_t       res;
    ngx_http_mana_item_t    *item;
    ngx_http_mana_sender_t  *sender;

    item = req->data;
    sender = item->sender;
    sender->inflight--;

    mana_graph_classify(&res, req->status, (char *) req->response,
                        req->response_len);

    if (req->status == 0) {
        ngx_snprintf((u_char *) res.error, sizeof(res.error), "%s%Z",
                     req->error);
    }

    switch (res.verdict) {

    case MANA_SEND_OK:
        break;

    case MANA_SEND_AUTH:
        ngx_log_error(NGX_LOG_CRIT, sender->log, 0,
                      "mana sender: Graph rejects the access token (%s): "
                      "replace mana_graph_token_file and reload; messages "
                      "are kept", res.error);
        break;

    default:
        ngx_log_error(NGX_LOG_WARN, sender->log, 0,
                      "mana sender: outbox %uL not sent, %s: %s",
                      item->id,
                      res.verdict == MANA_SEND_RETRY ? "will retry"
                      : res.verdict == MANA_SEND_TEMPLATE ? "window closed"
                      : "failed", res.error);
    }

    ngx_http_mana_sender_result(sender, item, &res);

    ngx_free(req->response);
    ngx_free(item);

    if (sender->nresults >= NGX_HTTP_MANA_SENDER_FLUSH_MAX) {
        ngx_http_mana_sender_flush(sender);

    } else if (!sender->flush_timer.timer_set) {
        ngx_add_timer(&sender->flush_timer,
                      NGX_HTTP_MANA_SENDER_FLUSH_DELAY);
    }

    ngx_http_mana_sender_wake(sender);
}


/* writes the collected results in one transaction */
static void
ngx_http_mana_sender_flush(ngx_http_mana_sender_t *sender)
{
    ngx_http_mana_db_job_t  *job;

    if (sender->flushing || sender->nresults == 0
        || ngx_http_mana_db_pool == NULL)
    {
        return;
    }

    if (sender->flush_timer.timer_set) {
        ngx_del_timer(&sender->flush_timer);
    }

    if (mana_buf_failed(&sender->results)) {
        /* out of memory: the leases run out and the rows are sent again */
        mana_buf_free(&sender->results);
        sender->nresults = 0;
        return;
    }

    job = ngx_http_mana_db_job_create(ngx_http_mana_db_pool,
                                      sender->results.len + 32);
    if (job == NULL) {
        ngx_add_timer(&sender->flush_timer, 100);
        return;
    }

    job->sql.len = ngx_sprintf(job->sql.data, "START TRANSACTION;\n%*sCOMMIT",
                               sender->results.len, sender->results.data)
                   - job->sql.data;
    job->handler = ngx_http_mana_sender_flushed;
    job->data = sender;

    if (ngx_http_mana_db_post(job) != NGX_OK) {
        ngx_http_mana_db_cancel(job);
        ngx_add_timer(&sender->flush_timer, 100);
        return;
    }

    mana_buf_free(&sender->results);
    sender->nresults = 0;
    sender->flushing = 1;
    sender->flush_unblocks = sender->unblocks;
    sender->unblocks = 0;
}


static void
ngx_http_mana_sender_flushed(ngx_http_mana_db_job_t *job)
{
    mana_buf_t               keep;
    ngx_http_mana_sender_t  *sender;

    sender = job->data;
    sender->flushing = 0;

    if (job->rc == NGX_OK && sender->flush_unblocks) {
        /* the next rows of these recipients are due now: claim them */
        ngx_http_mana_sender_kick();
    }

    if (job->rc != NGX_OK
        && ++sender->flush_failures >= NGX_HTTP_MANA_SENDER_FLUSH_TRIES)
    {
        /*
         * Give up on them: the leases run out and the rows are sent again
         * (at least once, never lost), and a quitting worker can exit.
         */
        ngx_log_error(NGX_LOG_ERR, sender->log, 0,
                      "mana sender: results not recorded after %ui tries, "
                      "dropped; their rows will be sent again",
                      sender->flush_failures);
        sender->flush_failures = 0;

    } else if (job->rc != NGX_OK) {
        /*
         * Keep the results and try again: until the leases run out, they
         * are still ours to write.
         */
        ngx_log_error(NGX_LOG_WARN, sender->log, 0,
                      "mana sender: results not recorded, retrying");

        keep = sender->results;
        mana_buf_init(&sender->results);
        mana_buf_add(&sender->results, job->sql.data + 19,
                     job->sql.len - 19 - 6);
        if (keep.len) {
            mana_buf_add(&sender->results, keep.data, keep.len);
        }
        mana_buf_free(&keep);
        sender->nresults++;
        sender->unblocks |= sender->flush_unblocks;
        sender->flush_unblocks = 0;

        if (!sender->flush_timer.timer_set) {
            ngx_add_timer(&sender->flush_timer, 1000);
        }

        return;

    } else {
        sender->flush_failures = 0;
    }

    sender->flush_unblocks = 0;

    if (sender->nresults) {
        ngx_http_mana_sender_flush(sender);
    }
}
