/*
 * One webhook delivery as one transaction, with the bot in it:
 *
 *   batch 1   START TRANSACTION; store each message (a retried wamid
 *             changes nothing); apply the statuses
 *   for each new message from a citizen:
 *   batch     upsert the citizen and lock them (SELECT ... FOR UPDATE),
 *             so that two messages of one citizen never interleave
 *   (C)       step the bot on the worker's catalogue snapshot
 *   batch     carry out its effect and read the result; step again
 *   batch     save the session, queue the replies in the outbox
 *   last      COMMIT; then answer 200 and kick the sender
 *
 * The job holds its connection between batches.  Anything that fails rolls
 * the whole delivery back and answers 503: Meta retries, and the retry
 * finds nothing stored, so nothing is processed twice or lost.
 */

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_mana_module.h"
#include "ngx_http_mana_conversation.h"
#include "mana_bot.h"
#include "mana_buf.h"
#include "mana_conv_sql.h"
#include "mana_ingest_sql.h"


#define NGX_HTTP_MANA_CONV_MAX_EFFECTS  4


typedef enum {
    NGX_HTTP_MANA_CONV_INGEST = 0,
    NGX_HTTP_MANA_CONV_CITIZEN,
    NGX_HTTP_MANA_CONV_EFFECT,
    NGX_HTTP_MANA_CONV_TURN,
    NGX_HTTP_MANA_CONV_COMMIT
} ngx_http_mana_conv_phase_e;


struct ngx_http_mana_conv_s {
    ngx_http_mana_conv_done_pt   done;
    void                        *data;
    ngx_log_t                   *log;

    mana_webhook_t               wh;
    ngx_http_mana_conv_phase_e   phase;
    ngx_uint_t                   msg;       /* the message in hand */
    ngx_uint_t                   effects;   /* effects of this message */
    unsigned char               *is_new;    /* per message, from batch 1 */

    /* the citizen of the message in hand, from the locking SELECT */
    unsigned long long           citizen;
    unsigned                     version;
    unsigned                     had_session:1;
    unsigned                     prefetched:1;  /* message 0's citizen */
    json_t                      *state;
    char                         lang[9];

    mana_bot_output_t            out;
    json_t                      *result;    /* of the last effect */
    json_t                      *replies;   /* of all steps of this turn */

    ngx_uint_t                   stored;
    ngx_uint_t                   replied;
    u_char                       error[160];
};


static void ngx_http_mana_conv_batch(ngx_http_mana_db_job_t *job);
static void ngx_http_mana_conv_row(ngx_http_mana_db_job_t *job,
    ngx_uint_t stmt, MYSQL_RES *res);
static ngx_int_t ngx_http_mana_conv_next(ngx_http_mana_conv_t *cv,
    mana_buf_t *sql);
static ngx_int_t ngx_http_mana_conv_step(ngx_http_mana_conv_t *cv,
    mana_buf_t *sql);
static void ngx_http_mana_conv_finish(ngx_http_mana_conv_t *cv,
    ngx_int_t rc);


ngx_int_t
ngx_http_mana_conv_start(ngx_log_t *log, mana_webhook_t *wh,
    ngx_http_mana_conv_done_pt done, void *data, ngx_http_mana_conv_t **cvp)
{
    mana_buf_t               sql;
    ngx_http_mana_conv_t    *cv;
    ngx_http_mana_db_job_t  *job;

    /*
     * Whether each message is new comes from its statement's row count,
     * kept for the first NGX_HTTP_MANA_DB_MAX_STMTS statements only.
     */
    if (wh->nmessages + wh->nstatuses + 4 > NGX_HTTP_MANA_DB_MAX_STMTS) {
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
    cv->log = log;
    cv->is_new = ngx_calloc(cv->wh.nmessages + 1, log);

    mana_buf_init(&sql);
    mana_ingest_sql_open(&sql, &cv->wh);

    /*
     * Most deliveries carry one message: lock its citizen in the same
     * round trip (and so inside the batch the pool may retry after a
     * deadlock).  For a retried wamid the lock is merely not used.
     */
    if (cv->wh.nmessages) {
        mana_conv_sql_citizen(&sql, &cv->wh.messages[0]);
        cv->prefetched = 1;
    }

    job = ngx_http_mana_db_job_create(ngx_http_mana_db_pool, 0);

    if (cv->is_new == NULL || job == NULL || mana_buf_failed(&sql)
        || ngx_http_mana_db_job_sql(job, sql.len) == NULL)
    {
        mana_buf_free(&sql);
        if (job) {
            ngx_http_mana_db_cancel(job);
        }
        ngx_http_mana_conv_free(cv);
        return NGX_ERROR;
    }

    ngx_memcpy(job->sql.data, sql.data, sql.len);
    mana_buf_free(&sql);

    job->hold = 1;
    job->handler = ngx_http_mana_conv_batch;
    job->result = ngx_http_mana_conv_row;
    job->data = cv;

    if (ngx_http_mana_db_post(job) != NGX_OK) {
        ngx_http_mana_db_cancel(job);
        ngx_http_mana_conv_free(cv);
        return NGX_BUSY;
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


void
ngx_http_mana_conv_free(ngx_http_mana_conv_t *cv)
{
    mana_webhook_free(&cv->wh);
    mana_bot_output_free(&cv->out);

    if (cv->state) {
        json_decref(cv->state);
    }

    if (cv->result) {
        json_decref(cv->result);
    }

    if (cv->replies) {
        json_decref(cv->replies);
    }

    ngx_free(cv->is_new);
    ngx_free(cv);
}


/* result sets: the locking SELECT of a citizen, or an effect's result */
static void
ngx_http_mana_conv_row(ngx_http_mana_db_job_t *job, ngx_uint_t stmt,
    MYSQL_RES *res)
{
    MYSQL_ROW              r;
    unsigned long         *len;
    ngx_http_mana_conv_t  *cv = job->data;

    r = mysql_fetch_row(res);
    len = r ? mysql_fetch_lengths(res) : NULL;

    if (cv->phase == NGX_HTTP_MANA_CONV_CITIZEN
        || cv->phase == NGX_HTTP_MANA_CONV_INGEST)
    {
        if (r == NULL || r[0] == NULL) {
            return;
        }

        cv->citizen = strtoull(r[0], NULL, 10);
        ngx_cpystrn((u_char *) cv->lang, (u_char *) (r[1] ? r[1] : ""),
                    sizeof(cv->lang));
        cv->had_session = r[2] != NULL;
        cv->version = r[3] ? (unsigned) strtoul(r[3], NULL, 10) : 0;

        if (cv->state) {
            json_decref(cv->state);
        }

        cv->state = r[2] ? json_loadb(r[2], len[2], 0, NULL) : NULL;
        if (cv->state == NULL) {
            cv->state = json_object();
        }

        return;
    }

    if (cv->phase != NGX_HTTP_MANA_CONV_EFFECT) {
        return;
    }

    if (cv->result) {
        json_decref(cv->result);
    }

    if (r == NULL) {
        cv->result = json_pack("{sb}", "found", 0);
        return;
    }

    if (mysql_num_fields(res) == 1) {
        /* consent, language: done */
        cv->result = json_pack("{sb}", "ok", 1);
        return;
    }

    if (mysql_num_fields(res) == 2) {
        cv->result = json_pack("{s:s?,s:s?}", "ref", r[0], "due_date", r[1]);
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

        cv->result = json_pack("{sb,s:s?,s:s?,s:s?,s:o}", "found", 1,
                               "service", r[0], "status", r[1],
                               "due_date", r[2], "history", history);
    }
}


static void
ngx_http_mana_conv_batch(ngx_http_mana_db_job_t *job)
{
    ngx_int_t              rc;
    ngx_uint_t             i;
    mana_buf_t             sql;
    ngx_http_mana_conv_t  *cv = job->data;

    if (job->rc != NGX_OK) {
        ngx_snprintf(cv->error, sizeof(cv->error), "%s%Z",
                     job->db_error[0] ? (char *) job->db_error
                                      : "database unavailable");
        ngx_http_mana_conv_finish(cv, job->rc == NGX_BUSY ? NGX_BUSY
                                                          : NGX_ERROR);
        return;
    }

    if (cv->phase == NGX_HTTP_MANA_CONV_COMMIT) {
        ngx_http_mana_conv_finish(cv, NGX_OK);
        return;
    }

    if (cv->phase == NGX_HTTP_MANA_CONV_INGEST) {
        /* statement i + 1 stored message i, or found it stored already */
        for (i = 0; i < cv->wh.nmessages; i++) {
            cv->is_new[i] = i + 1 < NGX_HTTP_MANA_DB_MAX_STMTS
                            && job->affected[i + 1] > 0;
            cv->stored += cv->is_new[i];
        }

        cv->msg = 0;

        if (cv->prefetched && cv->is_new[0] && cv->citizen
            && ngx_http_mana_catalogue() != NULL)
        {
            /* message 0's citizen is locked already: straight to the bot */
            cv->phase = NGX_HTTP_MANA_CONV_CITIZEN;
            cv->effects = 0;
            cv->replies = json_array();
        }
    }

    mana_buf_init(&sql);

    switch (cv->phase) {

    case NGX_HTTP_MANA_CONV_CITIZEN:
    case NGX_HTTP_MANA_CONV_EFFECT:
        rc = ngx_http_mana_conv_step(cv, &sql);
        break;

    case NGX_HTTP_MANA_CONV_TURN:
        cv->msg++;
        /* fall through */

    default:
        rc = ngx_http_mana_conv_next(cv, &sql);
        break;
    }

    if (rc != NGX_OK || mana_buf_failed(&sql)
        || ngx_http_mana_db_job_sql(job, sql.len) == NULL)
    {
        /* the job lets go of its connection: the pool rolls back */
        mana_buf_free(&sql);
        ngx_http_mana_conv_finish(cv, rc == NGX_DECLINED ? NGX_BUSY
                                                         : NGX_ERROR);
        return;
    }

    ngx_memcpy(job->sql.data, sql.data, sql.len);
    mana_buf_free(&sql);

    (void) ngx_http_mana_db_next(job);
}


/* the next new message's citizen, or the commit when none is left */
static ngx_int_t
ngx_http_mana_conv_next(ngx_http_mana_conv_t *cv, mana_buf_t *sql)
{
    while (cv->msg < cv->wh.nmessages && !cv->is_new[cv->msg]) {
        cv->msg++;
    }

    if (cv->msg == cv->wh.nmessages) {
        cv->phase = NGX_HTTP_MANA_CONV_COMMIT;
        mana_buf_adds(sql, "COMMIT");
        return NGX_OK;
    }

    if (ngx_http_mana_catalogue() == NULL) {
        /*
         * A worker just started has no snapshot yet: roll back and let
         * Meta retry in a moment, rather than store a message nobody
         * would ever answer.
         */
        ngx_snprintf(cv->error, sizeof(cv->error),
                     "the catalogue is not loaded yet%Z");
        return NGX_DECLINED;
    }

    cv->phase = NGX_HTTP_MANA_CONV_CITIZEN;
    cv->effects = 0;

    if (cv->replies) {
        json_decref(cv->replies);
    }

    cv->replies = json_array();

    /* nothing of the previous message's citizen may carry over */
    cv->citizen = 0;
    cv->had_session = 0;
    cv->version = 0;

    if (cv->state) {
        json_decref(cv->state);
        cv->state = NULL;
    }

    mana_conv_sql_citizen(sql, &cv->wh.messages[cv->msg]);

    return NGX_OK;
}


/* one step of the bot, then its effect's batch or the turn's */
static ngx_int_t
ngx_http_mana_conv_step(ngx_http_mana_conv_t *cv, mana_buf_t *sql)
{
    size_t                     i;
    json_t                    *r;
    mana_bot_input_t           in;
    mana_wh_message_t         *m;
    ngx_http_mana_snapshot_t  *snap;

    snap = ngx_http_mana_catalogue();
    m = &cv->wh.messages[cv->msg];

    if (cv->citizen == 0 || cv->state == NULL) {
        ngx_snprintf(cv->error, sizeof(cv->error),
                     "the sender of %s was not found after its upsert%Z",
                     m->wamid);
        return NGX_ERROR;
    }

    ngx_memzero(&in, sizeof(mana_bot_input_t));
    in.to = m->phone ? m->phone : m->bsuid;
    in.type = m->type;
    in.text = m->body;
    in.media_id = m->media_id;
    in.has_location = m->has_location;
    in.latitude = m->latitude;
    in.longitude = m->longitude;
    in.now = (long long) ngx_time();
    in.result = cv->phase == NGX_HTTP_MANA_CONV_EFFECT ? cv->result : NULL;

    mana_bot_output_free(&cv->out);

    if (mana_bot_step(&snap->env, cv->state, &in, &cv->out) != 0) {
        ngx_snprintf(cv->error, sizeof(cv->error), "the bot failed%Z");
        return NGX_ERROR;
    }

    json_decref(cv->state);
    cv->state = json_incref(cv->out.state);

    json_array_foreach(cv->out.replies, i, r) {
        json_array_append(cv->replies, r);
    }

    if (cv->out.effect) {
        if (++cv->effects > NGX_HTTP_MANA_CONV_MAX_EFFECTS
            || mana_conv_sql_effect(sql, cv->citizen, cv->out.effect,
                                    m->wamid)
               != 0)
        {
            ngx_snprintf(cv->error, sizeof(cv->error),
                         "the bot asked for an unknown effect%Z");
            return NGX_ERROR;
        }

        cv->phase = NGX_HTTP_MANA_CONV_EFFECT;
        return NGX_OK;
    }

    r = json_object_get(cv->state, "lang");

    mana_conv_sql_turn(sql, cv->citizen, cv->had_session, cv->version,
                       cv->state, cv->replies, m,
                       json_is_string(r) ? json_string_value(r) : cv->lang);

    cv->replied += json_array_size(cv->replies);
    cv->phase = NGX_HTTP_MANA_CONV_TURN;

    /* the last new message: commit in the same round trip */
    for (i = cv->msg + 1; i < cv->wh.nmessages; i++) {
        if (cv->is_new[i]) {
            return NGX_OK;
        }
    }

    mana_buf_adds(sql, "COMMIT");
    cv->phase = NGX_HTTP_MANA_CONV_COMMIT;

    return NGX_OK;
}


static void
ngx_http_mana_conv_finish(ngx_http_mana_conv_t *cv, ngx_int_t rc)
{
    if (rc != NGX_OK) {
        ngx_log_error(NGX_LOG_ERR, cv->log, 0,
                      "mana conversation: rolled back: %s", cv->error);
    }

    if (rc == NGX_OK && cv->replied) {
        /* the replies are committed: send them now, not at the next tick */
        ngx_http_mana_sender_kick();
    }

    if (cv->done) {
        cv->done(cv->data, rc, cv->stored, cv->wh.nmessages - cv->stored,
                 cv->wh.nstatuses, cv->wh.skipped);
    }

    ngx_http_mana_conv_free(cv);
}
