/*
 * Loading the catalogue snapshot.  A timer asks for catalogue_version;
 * when it moved, one batch fetches every row, and the rows are turned into
 * a canonical document text as they arrive (string copies only).  Parsing
 * and validating that document (jansson, PCRE2 compiles) is CPU work that
 * grows with the catalogue, so it runs in nginx's thread pool; the event
 * loop only swaps the pointer when it is ready.
 */

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_event.h>

#include "ngx_http_mana_catalogue.h"
#include "ngx_http_mana_db.h"
#include "mana_buf.h"


typedef struct {
    ngx_http_mana_catalogue_conf_t  *conf;
    mana_buf_t                  doc;        /* filled on the event loop */
    mana_buf_t                  messages;
    uint64_t                    version;
    ngx_http_mana_snapshot_t   *snapshot;   /* built in the thread */
    char                        error[256];
} ngx_http_mana_load_t;


typedef struct {
    ngx_http_mana_catalogue_conf_t  *conf;
    ngx_log_t                       *log;
    ngx_event_t                      timer;
    ngx_thread_task_t               *task;
    ngx_http_mana_snapshot_t        *current;
    uint64_t                         loading;   /* the version in flight */
    uint64_t                         failed;    /* not tried again */
    unsigned                         busy:1;
} ngx_http_mana_loader_t;


static ngx_http_mana_loader_t  *ngx_http_mana_loader;


static void ngx_http_mana_catalogue_tick(ngx_event_t *ev);
static void ngx_http_mana_catalogue_versioned(ngx_http_mana_db_job_t *job);
static void ngx_http_mana_catalogue_version_row(ngx_http_mana_db_job_t *job,
    ngx_uint_t stmt, MYSQL_RES *res);
static void ngx_http_mana_catalogue_rows(ngx_http_mana_db_job_t *job,
    ngx_uint_t stmt, MYSQL_RES *res);
static void ngx_http_mana_catalogue_fetched(ngx_http_mana_db_job_t *job);
static void ngx_http_mana_catalogue_build(void *data, ngx_log_t *log);
static void ngx_http_mana_catalogue_built(ngx_event_t *ev);
static void ngx_http_mana_snapshot_free(ngx_http_mana_snapshot_t *s);


ngx_int_t
ngx_http_mana_catalogue_start(ngx_cycle_t *cycle,
    ngx_http_mana_catalogue_conf_t *conf)
{
    ngx_http_mana_loader_t  *ld;

    ld = ngx_pcalloc(cycle->pool, sizeof(ngx_http_mana_loader_t));
    if (ld == NULL) {
        return NGX_ERROR;
    }

    ld->task = ngx_thread_task_alloc(cycle->pool,
                                     sizeof(ngx_http_mana_load_t));
    if (ld->task == NULL) {
        return NGX_ERROR;
    }

    ld->conf = conf;
    ld->log = cycle->log;

    ld->timer.handler = ngx_http_mana_catalogue_tick;
    ld->timer.data = ld;
    ld->timer.log = cycle->log;
    /* polling must not keep a quitting worker alive */
    ld->timer.cancelable = 1;

    ld->task->handler = ngx_http_mana_catalogue_build;
    ld->task->event.handler = ngx_http_mana_catalogue_built;
    ld->task->event.data = ld;
    ld->task->event.log = cycle->log;

    ngx_http_mana_loader = ld;

    ngx_add_timer(&ld->timer, 1);

    return NGX_OK;
}


void
ngx_http_mana_catalogue_stop(void)
{
    ngx_http_mana_loader_t  *ld = ngx_http_mana_loader;

    if (ld == NULL) {
        return;
    }

    if (ld->timer.timer_set) {
        ngx_del_timer(&ld->timer);
    }

    /* a build still running in a thread owns its data: leave it */
    if (!ld->busy && ld->current) {
        ngx_http_mana_snapshot_free(ld->current);
    }

    ld->current = NULL;
    ngx_http_mana_loader = NULL;
}


ngx_http_mana_snapshot_t *
ngx_http_mana_catalogue(void)
{
    return ngx_http_mana_loader ? ngx_http_mana_loader->current : NULL;
}


static void
ngx_http_mana_catalogue_rearm(ngx_http_mana_loader_t *ld)
{
    if (!ld->timer.timer_set && !ngx_exiting) {
        ngx_add_timer(&ld->timer, ld->conf->check);
    }
}


static void
ngx_http_mana_catalogue_tick(ngx_event_t *ev)
{
    ngx_http_mana_loader_t  *ld = ev->data;

    static ngx_str_t  sql = ngx_string(
        "SELECT version FROM catalogue_version WHERE id = 1");

    ngx_http_mana_db_job_t  *job;

    if (ld->busy || ngx_http_mana_db_pool == NULL) {
        ngx_http_mana_catalogue_rearm(ld);
        return;
    }

    job = ngx_http_mana_db_job_create(ngx_http_mana_db_pool, sql.len);
    if (job == NULL) {
        ngx_http_mana_catalogue_rearm(ld);
        return;
    }

    ngx_memcpy(job->sql.data, sql.data, sql.len);
    job->handler = ngx_http_mana_catalogue_versioned;
    job->result = ngx_http_mana_catalogue_version_row;
    job->data = ld;

    if (ngx_http_mana_db_post(job) != NGX_OK) {
        /* the pool is saturated: the catalogue can wait a tick */
        ngx_http_mana_db_cancel(job);
        ngx_http_mana_catalogue_rearm(ld);
        return;
    }

    ld->busy = 1;
}


static void
ngx_http_mana_catalogue_version_row(ngx_http_mana_db_job_t *job,
    ngx_uint_t stmt, MYSQL_RES *res)
{
    MYSQL_ROW                row;
    ngx_http_mana_loader_t  *ld = job->data;

    row = mysql_fetch_row(res);
    ld->loading = (row && row[0]) ? strtoull(row[0], NULL, 10) : 0;
}


static const char  ngx_http_mana_catalogue_sql[] =
    "SELECT code, enabled, sort_order, name, description, contact "
    "FROM department ORDER BY code;"
    "SELECT o.code, d.code, o.district, o.mandal, o.enabled, o.name, "
    "o.address, o.contact FROM office o JOIN department d "
    "ON d.id = o.department_id ORDER BY o.code;"
    "SELECT s.code, d.code, s.type, s.enabled, s.popular, s.sort_order, "
    "s.fee, s.sla_days, s.name, s.description, s.keywords, s.intents, "
    "s.documents, s.content, s.form FROM service s JOIN department d "
    "ON d.id = s.department_id ORDER BY s.code;"
    "SELECT name FROM district;"
    "SELECT lang, msg_key, text FROM i18n_message ORDER BY lang, msg_key";


static void
ngx_http_mana_catalogue_versioned(ngx_http_mana_db_job_t *job)
{
    size_t                   len;
    ngx_http_mana_load_t    *load;
    ngx_http_mana_loader_t  *ld = job->data;

    ld->busy = 0;

    if (job->rc != NGX_OK || ld->loading == 0 || ld->loading == ld->failed
        || (ld->current && ld->current->version == ld->loading))
    {
        ngx_http_mana_catalogue_rearm(ld);
        return;
    }

    load = ld->task->ctx;
    ngx_memzero(load, sizeof(ngx_http_mana_load_t));
    load->conf = ld->conf;
    mana_buf_init(&load->doc);
    mana_buf_init(&load->messages);
    load->version = ld->loading;

    len = sizeof(ngx_http_mana_catalogue_sql) - 1;

    job = ngx_http_mana_db_job_create(ngx_http_mana_db_pool, len);
    if (job == NULL) {
        ngx_http_mana_catalogue_rearm(ld);
        return;
    }

    ngx_memcpy(job->sql.data, ngx_http_mana_catalogue_sql, len);
    job->handler = ngx_http_mana_catalogue_fetched;
    job->result = ngx_http_mana_catalogue_rows;
    job->data = ld;

    mana_buf_adds(&load->doc, "{\"format\":\"mana-catalogue/1\","
                              "\"departments\":[");
    mana_buf_adds(&load->messages, "[");

    if (ngx_http_mana_db_post(job) != NGX_OK) {
        ngx_http_mana_db_cancel(job);
        mana_buf_free(&load->doc);
        mana_buf_free(&load->messages);
        ngx_http_mana_catalogue_rearm(ld);
        return;
    }

    ld->busy = 1;
}


/* "key":<value>, where the value is a JSON column's text, or null */
static void
ngx_http_mana_json_field(mana_buf_t *b, const char *key, const char *v,
    unsigned long len, const char *none)
{
    mana_buf_addf(b, ",\"%s\":", key);

    if (v) {
        mana_buf_add(b, v, len);

    } else {
        mana_buf_adds(b, none);
    }
}


static void
ngx_http_mana_str_field(mana_buf_t *b, const char *key, const char *v,
    unsigned long len)
{
    mana_buf_addf(b, ",\"%s\":", key);

    if (v) {
        mana_buf_add_json_str(b, v, len);

    } else {
        mana_buf_adds(b, "null");
    }
}


static void
ngx_http_mana_bool_field(mana_buf_t *b, const char *key, const char *v)
{
    mana_buf_addf(b, ",\"%s\":%s", key, (v && v[0] == '1') ? "true"
                                                            : "false");
}


/*
 * Rows into document text: the JSON columns go in verbatim (MariaDB's JSON
 * type checks them), the rest is quoted here.  Nothing is parsed yet.
 */
static void
ngx_http_mana_catalogue_rows(ngx_http_mana_db_job_t *job, ngx_uint_t stmt,
    MYSQL_RES *res)
{
    ngx_uint_t               n;
    MYSQL_ROW                r;
    mana_buf_t              *b;
    unsigned long           *l;
    ngx_http_mana_load_t    *load;
    ngx_http_mana_loader_t  *ld = job->data;

    load = ld->task->ctx;
    b = &load->doc;

    if (stmt == 1) {
        mana_buf_adds(b, "],\"offices\":[");

    } else if (stmt == 2) {
        mana_buf_adds(b, "],\"services\":[");

    } else if (stmt == 3) {
        mana_buf_adds(b, "],\"districts\":[");
    }

    for (n = 0; (r = mysql_fetch_row(res)) != NULL; n++) {
        l = mysql_fetch_lengths(res);

        if (stmt == 3) {
            /* a district: its names, the English one its key */
            mana_buf_adds(b, n ? ",{\"name\":" : "{\"name\":");
            mana_buf_add(b, r[0] ? r[0] : "{}", r[0] ? l[0] : 2);
            mana_buf_adds(b, "}");
            continue;
        }

        if (stmt == 4) {
            /* a message: ["lang","key","text"] */
            mana_buf_adds(&load->messages, n ? ",[" : "[");
            mana_buf_add_json_str(&load->messages, r[0], l[0]);
            mana_buf_adds(&load->messages, ",");
            mana_buf_add_json_str(&load->messages, r[1], l[1]);
            mana_buf_adds(&load->messages, ",");
            mana_buf_add_json_str(&load->messages, r[2], l[2]);
            mana_buf_adds(&load->messages, "]");
            continue;
        }

        mana_buf_adds(b, n ? ",{\"code\":" : "{\"code\":");
        mana_buf_add_json_str(b, r[0], l[0]);

        switch (stmt) {

        case 0:
            ngx_http_mana_bool_field(b, "enabled", r[1]);
            mana_buf_addf(b, ",\"sort\":%s", r[2] ? r[2] : "0");
            ngx_http_mana_json_field(b, "name", r[3], l[3], "{}");
            ngx_http_mana_json_field(b, "description", r[4], l[4], "{}");
            ngx_http_mana_json_field(b, "contact", r[5], l[5], "{}");
            break;

        case 1:
            ngx_http_mana_str_field(b, "department", r[1], l[1]);
            ngx_http_mana_str_field(b, "district", r[2], l[2]);
            ngx_http_mana_str_field(b, "mandal", r[3], l[3]);
            ngx_http_mana_bool_field(b, "enabled", r[4]);
            ngx_http_mana_json_field(b, "name", r[5], l[5], "{}");
            ngx_http_mana_json_field(b, "address", r[6], l[6], "{}");
            ngx_http_mana_json_field(b, "contact", r[7], l[7], "{}");
            break;

        default:
            ngx_http_mana_str_field(b, "department", r[1], l[1]);
            ngx_http_mana_str_field(b, "type", r[2], l[2]);
            ngx_http_mana_bool_field(b, "enabled", r[3]);
            ngx_http_mana_bool_field(b, "popular", r[4]);
            mana_buf_addf(b, ",\"sort\":%s", r[5] ? r[5] : "0");
            /* DECIMAL and SMALLINT come as digits: valid JSON numbers */
            ngx_http_mana_json_field(b, "fee", r[6], l[6], "null");
            ngx_http_mana_json_field(b, "sla_days", r[7], l[7], "null");
            ngx_http_mana_json_field(b, "name", r[8], l[8], "{}");
            ngx_http_mana_json_field(b, "description", r[9], l[9], "{}");
            ngx_http_mana_json_field(b, "keywords", r[10], l[10], "{}");
            ngx_http_mana_json_field(b, "intents", r[11], l[11], "[]");
            ngx_http_mana_json_field(b, "documents", r[12], l[12], "{}");
            ngx_http_mana_json_field(b, "content", r[13], l[13], "{}");
            ngx_http_mana_json_field(b, "form", r[14], l[14], "[]");
            break;
        }

        mana_buf_adds(b, "}");
    }

    if (stmt == 3) {
        mana_buf_adds(b, "]}");
    }
}


static void
ngx_http_mana_catalogue_fetched(ngx_http_mana_db_job_t *job)
{
    ngx_http_mana_load_t    *load;
    ngx_http_mana_loader_t  *ld = job->data;

    load = ld->task->ctx;

    mana_buf_adds(&load->messages, "]");

    if (job->rc != NGX_OK || mana_buf_failed(&load->doc)
        || mana_buf_failed(&load->messages)
        || ngx_thread_task_post(ld->conf->thread_pool, ld->task) != NGX_OK)
    {
        mana_buf_free(&load->doc);
        mana_buf_free(&load->messages);
        ld->busy = 0;
        ngx_http_mana_catalogue_rearm(ld);
        return;
    }

    /* still busy: the thread has it now */
}


/* in a thread of the pool: nothing here may touch nginx's event state */
static void
ngx_http_mana_catalogue_build(void *data, ngx_log_t *log)
{
    ngx_http_mana_load_t  *load = data;

    size_t                     i;
    json_t                    *doc, *rows, *row, *lang;
    ngx_msec_t                 start;
    struct timeval             tv;
    mana_cat_problems_t        problems;
    ngx_http_mana_snapshot_t  *s;

    ngx_gettimeofday(&tv);
    start = tv.tv_sec * 1000 + tv.tv_usec / 1000;

    s = calloc(1, sizeof(ngx_http_mana_snapshot_t));
    doc = json_loadb(load->doc.data, load->doc.len, 0, NULL);
    rows = json_loadb(load->messages.data, load->messages.len, 0, NULL);

    mana_buf_free(&load->doc);
    mana_buf_free(&load->messages);

    if (s == NULL || doc == NULL || rows == NULL) {
        snprintf(load->error, sizeof(load->error),
                 "the catalogue's rows do not form a document");
        goto failed;
    }

    mana_cat_problems_init(&problems);

    if (mana_catalogue_load(&s->cat, doc, NULL, &problems) != 0) {
        snprintf(load->error, sizeof(load->error), "%zu error(s), first: "
                 "%.100s: %.100s", problems.errors,
                 problems.n ? problems.v[0].place : "",
                 problems.n ? problems.v[0].message : "");
        mana_cat_problems_free(&problems);
        goto failed;
    }

    mana_cat_problems_free(&problems);

    s->messages = json_object();

    json_array_foreach(rows, i, row) {
        const char  *l = json_string_value(json_array_get(row, 0));

        lang = json_object_get(s->messages, l);
        if (lang == NULL) {
            lang = json_object();
            json_object_set_new(s->messages, l, lang);
        }

        json_object_set(lang, json_string_value(json_array_get(row, 1)),
                        json_array_get(row, 2));
    }

    /* the districts a form may name, in every language the catalogue has */
    s->districts = mana_catalogue_form_districts(&s->cat);

    s->env.cat = &s->cat;
    s->env.messages = s->messages;
    s->env.districts = json_array_size(s->districts) ? s->districts : NULL;
    s->env.contact = (char *) load->conf->contact.data;
    s->env.notice_url = (char *) load->conf->notice_url.data;
    s->env.notice_version = (char *) load->conf->notice_version.data;
    s->env.session_idle = load->conf->session_idle;

    /* menus, the search index, compiled patterns: built once per version */
    if (mana_bot_env_init(&s->env) != 0) {
        snprintf(load->error, sizeof(load->error),
                 "out of memory building the bot's indexes");
        mana_catalogue_free(&s->cat);
        json_decref(s->messages);
        goto failed;
    }

    s->version = load->version;

    ngx_gettimeofday(&tv);
    s->load_time = tv.tv_sec * 1000 + tv.tv_usec / 1000 - start;

    json_decref(doc);
    json_decref(rows);
    load->snapshot = s;
    return;

failed:

    if (doc) {
        json_decref(doc);
    }

    if (rows) {
        json_decref(rows);
    }

    free(s);
    load->snapshot = NULL;
}


static void
ngx_http_mana_catalogue_built(ngx_event_t *ev)
{
    ngx_http_mana_load_t    *load;
    ngx_http_mana_loader_t  *ld = ev->data;

    load = ld->task->ctx;
    ld->busy = 0;

    if (ngx_http_mana_loader != ld) {
        /* the worker stopped the loader meanwhile */
        if (load->snapshot) {
            ngx_http_mana_snapshot_free(load->snapshot);
        }
        return;
    }

    if (load->snapshot == NULL) {
        ld->failed = load->version;
        ngx_log_error(NGX_LOG_ERR, ld->log, 0,
                      "mana catalogue: version %uL not loaded, keeping "
                      "version %uL: %s", load->version,
                      ld->current ? ld->current->version : 0, load->error);

    } else {
        /* the bot steps synchronously: nothing holds the old one now */
        if (ld->current) {
            ngx_http_mana_snapshot_free(ld->current);
        }

        ld->current = load->snapshot;

        ngx_log_error(NGX_LOG_INFO, ld->log, 0,
                      "mana catalogue: version %uL loaded in %M ms: %uz "
                      "departments, %uz services", ld->current->version,
                      ld->current->load_time,
                      json_array_size(ld->current->cat.departments),
                      json_array_size(ld->current->cat.services));
    }

    ngx_http_mana_catalogue_rearm(ld);
}


static void
ngx_http_mana_snapshot_free(ngx_http_mana_snapshot_t *s)
{
    mana_bot_env_free(&s->env);
    mana_catalogue_free(&s->cat);

    if (s->districts) {
        json_decref(s->districts);
    }

    if (s->messages) {
        json_decref(s->messages);
    }

    free(s);
}
