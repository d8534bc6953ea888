/*
 * Webhook deliveries answered by the bot, in one transaction:
 *
 *   batch 1   START TRANSACTION; store each message (a retried wamid
 *             changes nothing); apply the statuses; upsert and lock each
 *             sender (SELECT ... FOR UPDATE), so that two messages of one
 *             citizen never interleave
 *   (C)       step the bot on the worker's catalogue snapshot, message by
 *             message; the session and replies of each are queued as SQL
 *   batch     only when a step needs data (a reference number, a status,
 *             an instant document): the queued SQL and the effect, whose
 *             result feeds the step
 *   last      the queued SQL and COMMIT; then answer 200 and kick the
 *             sender
 *
 * Group commit: a delivery that arrives while the pool has no connection
 * free joins the group waiting for one, so that under load one
 * transaction, one commit and two round trips serve many deliveries.  A
 * quiet server still answers each delivery at once, alone.
 *
 * Anything that fails rolls the whole group back: each of its deliveries
 * then runs again on its own, so that one bad message cannot fail the
 * deliveries it happened to share a transaction with; what fails alone
 * (after a few reruns if it lost a lock conflict) is answered 503.  Meta
 * retries, and the retry finds nothing stored, so nothing is processed
 * twice or lost.
 */

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <mysqld_error.h>

#include "ngx_http_mana_module.h"
#include "ngx_http_mana_conversation.h"
#include "mana_bot.h"
#include "mana_buf.h"
#include "mana_conv_sql.h"
#include "mana_ingest_sql.h"
#include "mana_mm1.h"


#define NGX_HTTP_MANA_CONV_MAX_EFFECTS   4
#define NGX_HTTP_MANA_CONV_CONFLICT_RERUNS  3

/* a group stops growing at either: a bounded transaction, and statement
 * counts that fit the pool's per-batch bookkeeping */
#define NGX_HTTP_MANA_CONV_GROUP_MSGS    64
#define NGX_HTTP_MANA_CONV_GROUP_STMTS   (NGX_HTTP_MANA_DB_MAX_STMTS - 24)

#define NGX_HTTP_MANA_CONV_OOM                                              \
    "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'mana: out of memory'"


typedef enum {
    NGX_HTTP_MANA_CONV_INGEST = 0,
    NGX_HTTP_MANA_CONV_EFFECT,
    NGX_HTTP_MANA_CONV_COMMIT
} ngx_http_mana_conv_phase_e;


typedef struct ngx_http_mana_conv_group_s  ngx_http_mana_conv_group_t;


/* one webhook delivery: what the request that brought it holds */
struct ngx_http_mana_conv_s {
    ngx_http_mana_conv_done_pt   done;      /* NULL once detached */
    void                        *data;
    ngx_http_mana_conv_t        *next;
    mana_webhook_t               wh;
    ngx_uint_t                   stored;
    ngx_uint_t                   reruns;    /* alone, after a lock conflict */
};


/* one message of a group, and its sender as the locking SELECT found them */
typedef struct {
    mana_wh_message_t           *m;
    ngx_http_mana_conv_t        *delivery;
    ngx_uint_t                   insert;    /* its INSERT's statement */
    unsigned long long           citizen;
    unsigned                     version;
    unsigned                     had_session:1;
    unsigned                     is_new:1;
    unsigned                     done:1;    /* its turn is queued */
    json_t                      *state;
    char                         lang[9];
} ngx_http_mana_conv_msg_t;


struct ngx_http_mana_conv_group_s {
    ngx_log_t                   *log;
    ngx_http_mana_db_job_t      *job;
    ngx_http_mana_conv_phase_e   phase;

    ngx_http_mana_conv_t        *deliveries;
    ngx_http_mana_conv_t       **last;
    ngx_uint_t                   ndeliveries;
    ngx_uint_t                   nstatuses;
    unsigned                     alone:1;   /* takes no other delivery */
    unsigned                     posted:1;  /* the job is the pool's */
    /* lost a lock conflict (deadlock, lock wait timeout): worth a rerun */
    unsigned                     conflict:1;

    ngx_http_mana_conv_msg_t    *msgs;
    ngx_uint_t                   nmsgs;
    /* the message of each locking SELECT, from statement first_lock on */
    ngx_uint_t                  *locks;
    ngx_uint_t                   first_lock;

    /* the message in hand */
    ngx_uint_t                   msg;
    ngx_uint_t                   effects;
    unsigned                     stepping:1;
    mana_bot_output_t            out;
    json_t                      *result;    /* of the last effect */
    json_t                      *replies;   /* of all steps of this turn */

    mana_buf_t                   queued;    /* SQL not sent yet */
    ngx_uint_t                   replied;
    u_char                       error[160];
};


static ngx_http_mana_conv_group_t *ngx_http_mana_conv_group_create(
    ngx_log_t *log, ngx_uint_t alone);
static ngx_int_t ngx_http_mana_conv_join(ngx_http_mana_conv_group_t *g,
    ngx_http_mana_conv_t *cv);
static void ngx_http_mana_conv_prepare(ngx_http_mana_db_job_t *job);
static void ngx_http_mana_conv_batch(ngx_http_mana_db_job_t *job);
static void ngx_http_mana_conv_row(ngx_http_mana_db_job_t *job,
    ngx_uint_t stmt, MYSQL_RES *res);
static void ngx_http_mana_conv_run(ngx_http_mana_conv_group_t *g);
static ngx_int_t ngx_http_mana_conv_begin(ngx_http_mana_conv_group_t *g,
    ngx_http_mana_conv_msg_t *cm);
static ngx_int_t ngx_http_mana_conv_step(ngx_http_mana_conv_group_t *g,
    ngx_http_mana_conv_msg_t *cm);
static void ngx_http_mana_conv_finish(ngx_http_mana_conv_group_t *g,
    ngx_int_t rc);
static void ngx_http_mana_conv_group_free(ngx_http_mana_conv_group_t *g);
static void ngx_http_mana_conv_free(ngx_http_mana_conv_t *cv);


/* the group still waiting for a connection, which new deliveries join */
static ngx_http_mana_conv_group_t  *ngx_http_mana_conv_forming;


ngx_int_t
ngx_http_mana_conv_start(ngx_log_t *log, mana_webhook_t *wh,
    ngx_http_mana_conv_done_pt done, void *data, ngx_http_mana_conv_t **cvp)
{
    ngx_http_mana_conv_t        *cv;
    ngx_http_mana_conv_group_t  *g;

    if (wh->nmessages > NGX_HTTP_MANA_CONV_GROUP_MSGS
        || 3 * wh->nmessages + wh->nstatuses
           > NGX_HTTP_MANA_CONV_GROUP_STMTS)
    {
        ngx_log_error(NGX_LOG_ERR, log, 0,
                      "mana conversation: %uz messages in one delivery are "
                      "more than the bot takes at once",
                      wh->nmessages);
        return NGX_DECLINED;
    }

    cv = ngx_calloc(sizeof(ngx_http_mana_conv_t), log);
    if (cv == NULL) {
        return NGX_ERROR;
    }

    /* the conversation owns the parsed payload from here on */
    cv->wh = *wh;
    ngx_memzero(wh, sizeof(mana_webhook_t));
    cv->done = done;
    cv->data = data;

    mana_ingest_sort(&cv->wh);

    g = ngx_http_mana_conv_forming;

    if (g && ngx_http_mana_conv_join(g, cv) == NGX_OK) {
        *cvp = cv;
        return NGX_OK;
    }

    /* the cycle's log: the group outlives the request that started it */
    g = ngx_http_mana_conv_group_create(ngx_cycle->log, 0);

    if (g == NULL || ngx_http_mana_conv_join(g, cv) != NGX_OK) {
        if (g) {
            ngx_http_mana_conv_group_free(g);
        }

        ngx_http_mana_conv_free(cv);
        return NGX_ERROR;
    }

    if (ngx_http_mana_db_post(g->job) != NGX_OK) {
        /* the queue is full: the delivery stays the caller's to answer */
        g->deliveries = NULL;
        ngx_http_mana_conv_group_free(g);
        ngx_http_mana_conv_free(cv);
        return NGX_BUSY;
    }

    g->posted = 1;

    if (g->job->batches == 0) {
        /*
         * Its first batch is not written yet (it waits for a connection):
         * the next deliveries join it.  "running" would not do: a batch
         * on a local socket may have run to its end by now.
         */
        ngx_http_mana_conv_forming = g;
    }

    *cvp = cv;

    return NGX_OK;
}


/* the client went away: the transaction goes on, its answer goes nowhere */
void
ngx_http_mana_conv_detach(ngx_http_mana_conv_t *cv)
{
    cv->done = NULL;
}


static ngx_http_mana_conv_group_t *
ngx_http_mana_conv_group_create(ngx_log_t *log, ngx_uint_t alone)
{
    ngx_http_mana_db_job_t      *job;
    ngx_http_mana_conv_group_t  *g;

    g = ngx_calloc(sizeof(ngx_http_mana_conv_group_t), log);
    if (g == NULL) {
        return NULL;
    }

    /* room for the statement that fails a batch that could not be built */
    job = ngx_http_mana_db_job_create(ngx_http_mana_db_pool,
                                      sizeof(NGX_HTTP_MANA_CONV_OOM));
    if (job == NULL) {
        ngx_free(g);
        return NULL;
    }

    job->hold = 1;
    job->prepare = ngx_http_mana_conv_prepare;
    job->handler = ngx_http_mana_conv_batch;
    job->result = ngx_http_mana_conv_row;
    job->data = g;

    g->log = log;
    g->job = job;
    g->alone = alone;
    g->last = &g->deliveries;
    mana_buf_init(&g->queued);

    return g;
}


static ngx_int_t
ngx_http_mana_conv_join(ngx_http_mana_conv_group_t *g,
    ngx_http_mana_conv_t *cv)
{
    size_t                     i, n;
    ngx_http_mana_conv_msg_t  *msgs;

    n = g->nmsgs + cv->wh.nmessages;

    if ((g->alone && g->ndeliveries)
        || n > NGX_HTTP_MANA_CONV_GROUP_MSGS
        || 3 * n + g->nstatuses + cv->wh.nstatuses
           > NGX_HTTP_MANA_CONV_GROUP_STMTS)
    {
        return NGX_DECLINED;
    }

    if (cv->wh.nmessages) {
        msgs = ngx_alloc(n * sizeof(ngx_http_mana_conv_msg_t), g->log);
        if (msgs == NULL) {
            return NGX_ERROR;
        }

        if (g->nmsgs) {
            ngx_memcpy(msgs, g->msgs,
                       g->nmsgs * sizeof(ngx_http_mana_conv_msg_t));
        }

        ngx_free(g->msgs);
        g->msgs = msgs;

        for (i = 0; i < cv->wh.nmessages; i++) {
            ngx_memzero(&msgs[g->nmsgs], sizeof(ngx_http_mana_conv_msg_t));
            msgs[g->nmsgs].m = &cv->wh.messages[i];
            msgs[g->nmsgs].delivery = cv;
            g->nmsgs++;
        }
    }

    g->nstatuses += cv->wh.nstatuses;
    g->ndeliveries++;
    *g->last = cv;
    g->last = &cv->next;

    if (g == ngx_http_mana_conv_forming
        && (g->nmsgs >= NGX_HTTP_MANA_CONV_GROUP_MSGS || g->alone))
    {
        ngx_http_mana_conv_forming = NULL;
    }

    return NGX_OK;
}


/* the sender whose row a message's lock takes */
static const char *
ngx_http_mana_conv_sender_key(ngx_http_mana_conv_msg_t *cm)
{
    return cm->m->bsuid ? cm->m->bsuid : cm->m->phone;
}


/*
 * The first batch, written when a connection is there for it: the group
 * takes no more deliveries from now on.
 */
static void
ngx_http_mana_conv_prepare(ngx_http_mana_db_job_t *job)
{
    ngx_uint_t                   i, j, k, stmt;
    mana_buf_t                   sql;
    ngx_http_mana_conv_t        *cv;
    ngx_http_mana_conv_group_t  *g = job->data;

    if (ngx_http_mana_conv_forming == g) {
        ngx_http_mana_conv_forming = NULL;
    }

    mana_buf_init(&sql);
    mana_buf_adds(&sql, "START TRANSACTION;\n");
    stmt = 1;

    k = 0;

    for (cv = g->deliveries; cv; cv = cv->next) {
        mana_ingest_sql_each(&sql, &cv->wh);

        for (i = 0; i < cv->wh.nmessages; i++) {
            g->msgs[k++].insert = stmt++;
        }

        stmt += cv->wh.nstatuses;
    }

    /* a delivery of statuses only still needs a statement to hold on */
    if (stmt == 1) {
        mana_buf_adds(&sql, "DO 0;\n");
        stmt++;
    }

    /*
     * Lock the senders in one order (by their key), whatever the order
     * of the deliveries: two groups never wait for each other.
     */
    /* a first batch sent again after a lost connection is written again */
    ngx_free(g->locks);
    g->locks = ngx_alloc((g->nmsgs + 1) * sizeof(ngx_uint_t), g->log);

    if (g->locks == NULL) {
        mana_buf_free(&sql);
        goto failed;
    }

    for (i = 0; i < g->nmsgs; i++) {
        for (j = i; j > 0; j--) {
            if (ngx_strcmp(ngx_http_mana_conv_sender_key(
                               &g->msgs[g->locks[j - 1]]),
                           ngx_http_mana_conv_sender_key(&g->msgs[i]))
                <= 0)
            {
                break;
            }

            g->locks[j] = g->locks[j - 1];
        }

        g->locks[j] = i;
    }

    /* statements first_lock + 2 * i and + 1: the upsert and the SELECT */
    g->first_lock = stmt;

    for (i = 0; i < g->nmsgs; i++) {
        mana_conv_sql_citizen(&sql, g->msgs[g->locks[i]].m);
    }

    if (mana_buf_failed(&sql)
        || ngx_http_mana_db_job_sql(job, sql.len) == NULL)
    {
        mana_buf_free(&sql);
        goto failed;
    }

    ngx_memcpy(job->sql.data, sql.data, sql.len);
    mana_buf_free(&sql);

    return;

failed:

    /* the batch fails at once, and everything is answered 503 */
    (void) ngx_http_mana_db_job_sql(job, sizeof(NGX_HTTP_MANA_CONV_OOM) - 1);
    ngx_memcpy(job->sql.data, NGX_HTTP_MANA_CONV_OOM,
               sizeof(NGX_HTTP_MANA_CONV_OOM) - 1);
}


/* result sets: the locking SELECT of a sender, or an effect's result */
/* the document link of a certificate, where this server serves PDFs */
static void
ngx_http_mana_conv_document(json_t *result, const char *cti_hex)
{
    mana_buf_t  link;

    mana_buf_init(&link);

    if (result && cti_hex
        && ngx_http_mana_document_link(cti_hex, &link) == NGX_OK)
    {
        json_object_set_new(result, "document", json_string(link.data));
    }

    mana_buf_free(&link);
}


/* the verification link (the QR's text), where the verify host is known */
static void
ngx_http_mana_conv_qr(json_t *result, u_char *cose, size_t len)
{
    mana_buf_t                  qr;
    ngx_http_mana_main_conf_t  *mmcf;

    mmcf = ngx_http_cycle_get_module_main_conf(ngx_cycle,
                                               ngx_http_mana_module);

    if (result == NULL || cose == NULL || mmcf->verify_host.len == 0) {
        return;
    }

    mana_buf_init(&qr);

    if (mana_mm1_qr_text(&qr, (const char *) mmcf->verify_host.data, cose,
                         len) == 0)
    {
        mana_buf_add(&qr, "", 1);

        if (!mana_buf_failed(&qr)) {
            json_object_set_new(result, "link", json_string(qr.data));
        }
    }

    mana_buf_free(&qr);
}


static void
ngx_http_mana_conv_row(ngx_http_mana_db_job_t *job, ngx_uint_t stmt,
    MYSQL_RES *res)
{
    MYSQL_ROW                    r;
    unsigned long               *len;
    ngx_http_mana_conv_msg_t    *cm;
    ngx_http_mana_conv_group_t  *g = job->data;

    r = mysql_fetch_row(res);
    len = r ? mysql_fetch_lengths(res) : NULL;

    if (g->phase == NGX_HTTP_MANA_CONV_INGEST) {
        if (stmt < g->first_lock + 1 || (stmt - g->first_lock) % 2 == 0
            || (stmt - g->first_lock) / 2 >= g->nmsgs
            || r == NULL || r[0] == NULL)
        {
            return;
        }

        cm = &g->msgs[g->locks[(stmt - g->first_lock) / 2]];

        cm->citizen = strtoull(r[0], NULL, 10);
        ngx_cpystrn((u_char *) cm->lang, (u_char *) (r[1] ? r[1] : ""),
                    sizeof(cm->lang));
        cm->had_session = r[2] != NULL;
        cm->version = r[3] ? (unsigned) strtoul(r[3], NULL, 10) : 0;

        if (cm->state) {
            json_decref(cm->state);
        }

        cm->state = r[2] ? json_loadb(r[2], len[2], 0, NULL) : NULL;
        if (cm->state == NULL) {
            cm->state = json_object();
        }

        return;
    }

    if (g->phase != NGX_HTTP_MANA_CONV_EFFECT) {
        return;
    }

    if (g->result) {
        json_decref(g->result);
    }

    if (r == NULL) {
        g->result = json_pack("{sb}", "found", 0);
        return;
    }

    /* instant documents: rows tagged with their effect's kind */
    if (mysql_num_fields(res) == 3 && r[0]
        && ngx_strcmp(r[0], "records") == 0)
    {
        g->result = json_pack("{sb,s:I}", "available",
                              r[1] != NULL && r[1][0] == '1', "cooldown",
                              (json_int_t) (r[2] ? strtoll(r[2], NULL, 10)
                                                 : 0));
        return;
    }

    if (mysql_num_fields(res) == 7 && r[0]
        && ngx_strcmp(r[0], "instant") == 0)
    {
        g->result = json_pack("{s:s?,s:s?,s:s?,s:s?,s:I}", "outcome", r[1],
                              "number", r[2], "holder", r[3], "link", r[4],
                              "minutes", (json_int_t) (r[5] ? strtoll(r[5],
                                                           NULL, 10)
                                                     : 0));
        ngx_http_mana_conv_document(g->result, r[6]);
        return;
    }

    /* a citizen's certificates: the list as one JSON value */
    if (mysql_num_fields(res) == 2 && r[0] && ngx_strcmp(r[0], "certs") == 0)
    {
        g->result = json_pack("{s:o}", "certificates",
                              r[1] ? json_loadb(r[1], len[1], 0, NULL)
                                   : json_array());
        if (g->result && !json_is_array(json_object_get(g->result,
                                                        "certificates")))
        {
            json_object_set_new(g->result, "certificates", json_array());
        }

        return;
    }

    /* one of them: id, number, service, the signed bytes */
    if (mysql_num_fields(res) == 5 && r[0] && ngx_strcmp(r[0], "cert") == 0)
    {
        g->result = json_pack("{sb,s:s?,s:s?}", "found", 1, "number", r[2],
                              "service", r[3]);
        ngx_http_mana_conv_qr(g->result, (u_char *) r[4], len[4]);
        ngx_http_mana_conv_document(g->result, r[1]);
        return;
    }

    if (mysql_num_fields(res) == 2) {
        g->result = json_pack("{s:s?,s:s?}", "ref", r[0], "due_date", r[1]);
        return;
    }

    /* status: service, status, due date, "status@time,status@time" */
    {
        json_t  *history;
        char    *h, *item, *at, *save;

        history = json_array();
        h = r[3] ? strdup(r[3]) : NULL;

        for (item = h ? strtok_r(h, ",", &save) : NULL; item;
             item = strtok_r(NULL, ",", &save))
        {
            at = strchr(item, '@');
            if (at) {
                *at++ = '\0';
            }

            json_array_append_new(history,
                json_pack("{s:s,s:s}", "status", item, "at", at ? at : ""));
        }

        free(h);

        g->result = json_pack("{sb,s:s?,s:s?,s:s?,s:o}", "found", 1,
                              "service", r[0], "status", r[1],
                              "due_date", r[2], "history", history);
    }
}


static void
ngx_http_mana_conv_batch(ngx_http_mana_db_job_t *job)
{
    ngx_uint_t                   i;
    ngx_http_mana_conv_group_t  *g = job->data;

    if (job->rc != NGX_OK) {
        ngx_snprintf(g->error, sizeof(g->error), "%s%Z",
                     job->db_error[0] ? (char *) job->db_error
                                      : "database unavailable");
        g->conflict = job->db_errno == ER_LOCK_DEADLOCK
                      || job->db_errno == ER_LOCK_WAIT_TIMEOUT;
        ngx_http_mana_conv_finish(g, job->rc == NGX_BUSY ? NGX_BUSY
                                                         : NGX_ERROR);
        return;
    }

    switch (g->phase) {

    case NGX_HTTP_MANA_CONV_COMMIT:
        ngx_http_mana_conv_finish(g, NGX_OK);
        return;

    case NGX_HTTP_MANA_CONV_INGEST:
        /* a message's INSERT stored it, or found it stored already */
        for (i = 0; i < g->nmsgs; i++) {
            g->msgs[i].is_new = job->affected[g->msgs[i].insert] > 0;
            g->msgs[i].delivery->stored += g->msgs[i].is_new;
        }

        g->msg = 0;
        break;

    default: /* NGX_HTTP_MANA_CONV_EFFECT: the message in hand goes on */
        break;
    }

    ngx_http_mana_conv_run(g);
}


/*
 * Steps the bot through the group's messages, queueing their SQL, until a
 * step needs data from the database or every message is answered; then
 * sends the batch.
 */
static void
ngx_http_mana_conv_run(ngx_http_mana_conv_group_t *g)
{
    ngx_int_t                  rc;
    ngx_http_mana_conv_msg_t  *cm;

    rc = NGX_OK;

    while (g->msg < g->nmsgs) {
        cm = &g->msgs[g->msg];

        if (!cm->is_new) {
            g->msg++;
            continue;
        }

        if (!g->stepping) {
            rc = ngx_http_mana_conv_begin(g, cm);
            if (rc != NGX_OK) {
                break;
            }
        }

        rc = ngx_http_mana_conv_step(g, cm);

        if (rc == NGX_AGAIN) {
            /* its effect is queued: its result comes with the batch */
            g->phase = NGX_HTTP_MANA_CONV_EFFECT;
            break;
        }

        if (rc != NGX_OK) {
            break;
        }
    }

    if (rc == NGX_OK) {
        mana_buf_adds(&g->queued, "COMMIT");
        g->phase = NGX_HTTP_MANA_CONV_COMMIT;

        /*
         * The last batch ends the transaction: the pool takes the
         * connection back after it, with no ROLLBACK to send (a failed
         * batch is still rolled back)
         */
        g->job->hold = 0;

    } else if (rc != NGX_AGAIN) {
        /* the job lets go of its connection: the pool rolls back */
        ngx_http_mana_conv_finish(g, rc);
        return;
    }

    if (mana_buf_failed(&g->queued)
        || ngx_http_mana_db_job_sql(g->job, g->queued.len) == NULL)
    {
        ngx_snprintf(g->error, sizeof(g->error), "out of memory%Z");
        ngx_http_mana_conv_finish(g, NGX_ERROR);
        return;
    }

    ngx_memcpy(g->job->sql.data, g->queued.data, g->queued.len);
    g->queued.len = 0;

    (void) ngx_http_mana_db_next(g->job);
}


/* a message's turn starts from its sender's state, as left by the group */
static ngx_int_t
ngx_http_mana_conv_begin(ngx_http_mana_conv_group_t *g,
    ngx_http_mana_conv_msg_t *cm)
{
    ngx_uint_t                 k;
    ngx_http_mana_conv_msg_t  *prev;

    if (ngx_http_mana_catalogue() == NULL) {
        /*
         * A worker just started has no snapshot yet: roll back and let
         * Meta retry in a moment, rather than store a message nobody
         * would ever answer.
         */
        ngx_snprintf(g->error, sizeof(g->error),
                     "the catalogue is not loaded yet%Z");
        return NGX_BUSY;
    }

    if (cm->citizen == 0 || cm->state == NULL) {
        ngx_snprintf(g->error, sizeof(g->error),
                     "the sender of %s was not found after its upsert%Z",
                     cm->m->wamid);
        return NGX_ERROR;
    }

    /*
     * An earlier message of the same citizen in this group: its turn,
     * queued but not yet run, is where this one starts.
     */
    for (k = g->msg; k-- > 0; ) {
        prev = &g->msgs[k];

        if (prev->done && prev->citizen == cm->citizen) {
            json_decref(cm->state);
            cm->state = json_deep_copy(prev->state);
            cm->had_session = 1;
            cm->version = prev->version;
            ngx_memcpy(cm->lang, prev->lang, sizeof(cm->lang));

            if (cm->state == NULL) {
                ngx_snprintf(g->error, sizeof(g->error), "out of memory%Z");
                return NGX_ERROR;
            }

            break;
        }
    }

    g->stepping = 1;
    g->effects = 0;

    if (g->replies) {
        json_decref(g->replies);
    }

    g->replies = json_array();

    if (g->result) {
        json_decref(g->result);
        g->result = NULL;
    }

    return g->replies ? NGX_OK : NGX_ERROR;
}


/*
 * Steps the bot for the message in hand until its turn is queued (NGX_OK)
 * or its effect needs a round trip (NGX_AGAIN).
 */
static ngx_int_t
ngx_http_mana_conv_step(ngx_http_mana_conv_group_t *g,
    ngx_http_mana_conv_msg_t *cm)
{
    int                        rc;
    size_t                     i;
    json_t                    *r;
    const char                *lang;
    mana_bot_input_t           in;
    mana_wh_message_t         *m;
    ngx_http_mana_snapshot_t  *snap;

    snap = ngx_http_mana_catalogue();
    m = cm->m;

    if (snap == NULL) {
        /* a turn resumed after its effect: the worker may be exiting */
        ngx_snprintf(g->error, sizeof(g->error),
                     "the catalogue is not loaded%Z");
        return NGX_BUSY;
    }

    for ( ;; ) {
        ngx_memzero(&in, sizeof(mana_bot_input_t));
        in.to = m->phone ? m->phone : m->bsuid;
        in.type = m->type;
        in.text = m->body;
        in.media_id = m->media_id;
        in.has_location = m->has_location;
        in.latitude = m->latitude;
        in.longitude = m->longitude;
        in.now = (long long) ngx_time();
        in.result = g->result;

        mana_bot_output_free(&g->out);

        if (mana_bot_step(&snap->env, cm->state, &in, &g->out) != 0) {
            ngx_snprintf(g->error, sizeof(g->error), "the bot failed%Z");
            return NGX_ERROR;
        }

        json_decref(cm->state);
        cm->state = json_incref(g->out.state);

        json_array_foreach(g->out.replies, i, r) {
            json_array_append(g->replies, r);
        }

        if (g->result) {
            json_decref(g->result);
            g->result = NULL;
        }

        if (g->out.effect == NULL) {
            break;
        }

        rc = ++g->effects > NGX_HTTP_MANA_CONV_MAX_EFFECTS
             ? -1
             : mana_conv_sql_effect(&g->queued, cm->citizen, g->out.effect,
                                    m->wamid);

        if (rc < 0) {
            ngx_snprintf(g->error, sizeof(g->error),
                         "the bot asked for an unknown effect%Z");
            return NGX_ERROR;
        }

        if (rc == 0) {
            return NGX_AGAIN;
        }

        /* a write that needs no answer: step again at once */
        g->result = json_pack("{sb}", "ok", 1);
    }

    r = json_object_get(cm->state, "lang");
    lang = json_is_string(r) ? json_string_value(r) : cm->lang;

    mana_conv_sql_turn(&g->queued, cm->citizen, cm->had_session, cm->version,
                       cm->state, g->replies, m, lang, cm->lang);

    /* what a later message of this citizen in the group starts from */
    cm->version = cm->had_session ? cm->version + 1 : 0;
    cm->had_session = 1;
    if (lang != cm->lang) {
        ngx_cpystrn((u_char *) cm->lang, (u_char *) lang, sizeof(cm->lang));
    }
    cm->done = 1;

    g->replied += json_array_size(g->replies);
    g->stepping = 0;
    g->msg++;

    return NGX_OK;
}


static void
ngx_http_mana_conv_finish(ngx_http_mana_conv_group_t *g, ngx_int_t rc)
{
    ngx_http_mana_conv_t        *cv, *next;
    ngx_http_mana_conv_group_t  *alone;

    if (rc != NGX_OK) {
        ngx_log_error(NGX_LOG_ERR, g->log, 0,
                      "mana conversation: rolled back %ui deliveries: %s",
                      g->ndeliveries, g->error);
    }

    if (rc == NGX_OK) {
        ngx_http_mana_count_cycle(NGX_HTTP_MANA_BOT_TRANSACTIONS, 1);
        ngx_http_mana_count_cycle(NGX_HTTP_MANA_BOT_SHARED,
                                  g->ndeliveries > 1 ? g->ndeliveries : 0);
    }

    if (rc == NGX_OK && g->replied) {
        /* the replies are committed: send them now, not at the next tick */
        ngx_http_mana_sender_kick();
    }

    for (cv = g->deliveries; cv; cv = next) {
        next = cv->next;
        cv->next = NULL;

        /*
         * On its own, so that only a bad delivery fails; and again, a few
         * times, when it lost a lock conflict alone: InnoDB picks a victim
         * among transactions that did nothing wrong.
         */
        if (rc == NGX_ERROR && cv->done
            && (g->ndeliveries > 1
                || (g->conflict
                    && cv->reruns++ < NGX_HTTP_MANA_CONV_CONFLICT_RERUNS)))
        {
            cv->stored = 0;
            alone = ngx_http_mana_conv_group_create(g->log, 1);

            if (alone && ngx_http_mana_conv_join(alone, cv) == NGX_OK
                && ngx_http_mana_db_post(alone->job) == NGX_OK)
            {
                alone->posted = 1;
                continue;
            }

            if (alone) {
                alone->deliveries = NULL;
                ngx_http_mana_conv_group_free(alone);
            }
        }

        if (cv->done) {
            cv->done(cv->data, rc, cv->stored, cv->wh.nmessages - cv->stored,
                     cv->wh.nstatuses, cv->wh.skipped);
        }

        ngx_http_mana_conv_free(cv);
    }

    g->deliveries = NULL;
    ngx_http_mana_conv_group_free(g);
}


/* a posted job frees itself once its handler returns */
static void
ngx_http_mana_conv_group_free(ngx_http_mana_conv_group_t *g)
{
    ngx_uint_t             i;
    ngx_http_mana_conv_t  *cv, *next;

    if (ngx_http_mana_conv_forming == g) {
        ngx_http_mana_conv_forming = NULL;
    }

    for (cv = g->deliveries; cv; cv = next) {
        next = cv->next;
        ngx_http_mana_conv_free(cv);
    }

    for (i = 0; i < g->nmsgs; i++) {
        if (g->msgs[i].state) {
            json_decref(g->msgs[i].state);
        }
    }

    if (!g->posted) {
        ngx_http_mana_db_cancel(g->job);
    }

    mana_bot_output_free(&g->out);

    if (g->result) {
        json_decref(g->result);
    }

    if (g->replies) {
        json_decref(g->replies);
    }

    mana_buf_free(&g->queued);
    ngx_free(g->msgs);
    ngx_free(g->locks);
    ngx_free(g);
}


static void
ngx_http_mana_conv_free(ngx_http_mana_conv_t *cv)
{
    mana_webhook_free(&cv->wh);
    ngx_free(cv);
}
