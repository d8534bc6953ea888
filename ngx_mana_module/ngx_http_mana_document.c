/*
 * /D/<token>: a certificate's PDF, for Meta to fetch when the citizen is
 * sent it as a WhatsApp document message (lib/mana_doclink.h has the
 * token; docs/document-links.md the reasons).
 *
 *   check     the token's mac and expiry, on the event loop (one HMAC)
 *   look up   the certificate's signed bytes, status and catalogue names:
 *             one non-blocking query
 *   render    lib/mana_cert_pdf.c in nginx's thread pool: shaping and
 *             drawing a page takes tens of milliseconds of CPU
 *   answer    the PDF, or a short page that says why not
 *
 * PDFs are not stored: a certificate renders the same bytes every time.
 * A withdrawn (revoked or superseded) or expired certificate is not
 * served.  The
 * token lets anyone holding it fetch the document until it expires, so it
 * never reaches a log line: the request line and URI are redacted first.
 */

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>
#include <ngx_thread_pool.h>

#include "ngx_http_mana_module.h"
#include "mana_buf.h"
#include "mana_cert_pdf.h"
#include "mana_doclink.h"
#include "mana_hex.h"
#include "mana_pdf.h"


/* nginx names no constant for it */
#define NGX_HTTP_MANA_GONE  410

#define NGX_HTTP_MANA_DOC_GUARD  60000  /* ms */


/* a render's input and output, outside any request's pool: a request
 * that goes away during the render leaves its task to the completion
 * handler, which frees it */
typedef struct {
    ngx_http_request_t          *request;   /* NULL once it went away */
    ngx_http_mana_db_job_t      *job;
    ngx_thread_task_t           *task;      /* in flight when set */
    /*
     * armed while the task is in flight: a worker with a timer pending
     * does not exit on a reload before the render's answer is sent
     */
    ngx_event_t                  guard;

    u_char                      *cose;
    size_t                       cose_len;
    char                        *text[8];   /* NUL-terminated, or NULL */
    const char                  *host;      /* the configuration's */

    ngx_uint_t                   status;    /* the answer when no PDF */
    mana_buf_t                   pdf;
    char                         error[256];
    unsigned                     rendered:1;
} ngx_http_mana_doc_t;

enum {
    NGX_HTTP_MANA_DOC_SERVICE = 0,
    NGX_HTTP_MANA_DOC_NUMBER,
    NGX_HTTP_MANA_DOC_DEPT_EN,
    NGX_HTTP_MANA_DOC_DEPT_TE,
    NGX_HTTP_MANA_DOC_OFFICE_EN,
    NGX_HTTP_MANA_DOC_OFFICE_TE,
    NGX_HTTP_MANA_DOC_TITLE_EN,
    NGX_HTTP_MANA_DOC_TITLE_TE
};


static void ngx_http_mana_doc_row(ngx_http_mana_db_job_t *job,
    ngx_uint_t stmt, MYSQL_RES *res);
static void ngx_http_mana_doc_looked_up(ngx_http_mana_db_job_t *job);
static void ngx_http_mana_doc_render(void *data, ngx_log_t *log);
static void ngx_http_mana_doc_rendered(ngx_event_t *ev);
static void ngx_http_mana_doc_cleanup(void *data);
static void ngx_http_mana_doc_guard(ngx_event_t *ev);
static void ngx_http_mana_doc_free(ngx_http_mana_doc_t *doc);
static ngx_int_t ngx_http_mana_doc_refuse(ngx_http_request_t *r,
    ngx_uint_t status);
static ngx_int_t ngx_http_mana_doc_send(ngx_http_request_t *r,
    ngx_http_mana_doc_t *doc);


/* renders in flight in this worker: the font maps stay while any runs */
static ngx_uint_t  ngx_http_mana_doc_renders;


ngx_int_t
ngx_http_mana_document_handler(ngx_http_request_t *r)
{
    u_char                     *p, *last;
    size_t                      n;
    int64_t                     expires;
    ngx_int_t                   rc;
    mana_buf_t                  sql;
    unsigned char               cti[MANA_MM1_CTI_LEN];
    ngx_pool_cleanup_t         *cln;
    mana_doclink_rc_e           check;
    ngx_http_mana_doc_t        *doc;
    ngx_http_mana_db_job_t     *job;
    ngx_http_mana_main_conf_t  *mmcf;

    mmcf = ngx_http_get_module_main_conf(r, ngx_http_mana_module);

    /* the token is the last segment of the path */
    last = r->uri.data + r->uri.len;
    for (p = last; p > r->uri.data && p[-1] != '/'; p--) { /* void */ }
    n = last - p;

    /* checked before the URI is redacted: p points into the request */
    check = mana_doclink_check((const char *) p, n,
                               mmcf->document_key.data,
                               mmcf->document_key.len, (int64_t) ngx_time(),
                               cti, &expires);

    ngx_http_mana_redact(r, "/D/-");

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        return NGX_HTTP_NOT_ALLOWED;
    }

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    switch (check) {

    case MANA_DOCLINK_OK:
        break;

    case MANA_DOCLINK_EXPIRED:
        return ngx_http_mana_doc_refuse(r, NGX_HTTP_MANA_GONE);

    default:
        /* malformed and forged alike: nothing to tell them apart by */
        return ngx_http_mana_doc_refuse(r, NGX_HTTP_NOT_FOUND);
    }

    doc = ngx_calloc(sizeof(ngx_http_mana_doc_t), r->connection->log);
    cln = ngx_pool_cleanup_add(r->pool, 0);

    if (doc == NULL || cln == NULL) {
        ngx_free(doc);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    doc->request = r;
    doc->host = (const char *) mmcf->verify_host.data;
    doc->status = NGX_HTTP_NOT_FOUND;
    mana_buf_init(&doc->pdf);

    cln->handler = ngx_http_mana_doc_cleanup;
    cln->data = doc;

    mana_buf_init(&sql);
    mana_buf_adds(&sql, "SELECT c.cose, IF(c.expires_at <= UTC_TIMESTAMP(), "
                        "'expired', c.status), c.service_code, c.number, "
                        "JSON_VALUE(d.name, '$.en'), "
                        "JSON_VALUE(d.name, '$.te'), "
                        "JSON_VALUE(o.name, '$.en'), "
                        "JSON_VALUE(o.name, '$.te'), "
                        "JSON_VALUE(s.name, '$.en'), "
                        "JSON_VALUE(s.name, '$.te') "
                        "FROM certificate c "
                        "LEFT JOIN service s ON s.code = c.service_code "
                        "LEFT JOIN department d ON d.id = s.department_id "
                        "LEFT JOIN signing_key k ON k.kid = c.kid "
                        "LEFT JOIN office o ON o.code = k.name "
                        "WHERE c.cti = ");
    mana_buf_add_sql_bytes(&sql, cti, MANA_MM1_CTI_LEN);

    job = mana_buf_failed(&sql) ? NULL
          : ngx_http_mana_db_job_create(ngx_http_mana_db_pool, sql.len);

    if (job == NULL) {
        mana_buf_free(&sql);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_memcpy(job->sql.data, sql.data, sql.len);
    mana_buf_free(&sql);

    job->handler = ngx_http_mana_doc_looked_up;
    job->result = ngx_http_mana_doc_row;
    job->data = doc;

    if (ngx_http_mana_db_post(job) != NGX_OK) {
        ngx_http_mana_db_cancel(job);
        return ngx_http_mana_doc_refuse(r, NGX_HTTP_SERVICE_UNAVAILABLE);
    }

    doc->job = job;

    r->main->count++;

    return NGX_DONE;
}


static void
ngx_http_mana_doc_row(ngx_http_mana_db_job_t *job, ngx_uint_t stmt,
    MYSQL_RES *res)
{
    ngx_uint_t            i;
    MYSQL_ROW             row;
    unsigned long        *len;
    ngx_http_mana_doc_t  *doc = job->data;

    row = mysql_fetch_row(res);

    if (row == NULL || row[0] == NULL) {
        doc->status = NGX_HTTP_NOT_FOUND;
        return;
    }

    if (row[1] == NULL || ngx_strcmp(row[1], "valid") != 0) {
        /* withdrawn or expired: the link no longer gives the document */
        doc->status = NGX_HTTP_MANA_GONE;
        return;
    }

    len = mysql_fetch_lengths(res);

    doc->cose = ngx_alloc(len[0], ngx_cycle->log);
    if (doc->cose == NULL) {
        doc->status = NGX_HTTP_INTERNAL_SERVER_ERROR;
        return;
    }

    ngx_memcpy(doc->cose, row[0], len[0]);
    doc->cose_len = len[0];

    for (i = 0; i < 8; i++) {
        if (row[2 + i] == NULL) {
            continue;
        }

        doc->text[i] = ngx_alloc(len[2 + i] + 1, ngx_cycle->log);
        if (doc->text[i] == NULL) {
            doc->status = NGX_HTTP_INTERNAL_SERVER_ERROR;
            return;
        }

        ngx_memcpy(doc->text[i], row[2 + i], len[2 + i]);
        doc->text[i][len[2 + i]] = '\0';
    }

    doc->status = NGX_HTTP_OK;
}


static void
ngx_http_mana_doc_looked_up(ngx_http_mana_db_job_t *job)
{
    ngx_http_request_t         *r;
    ngx_thread_task_t          *task;
    ngx_http_mana_doc_t        *doc = job->data;
    ngx_http_mana_main_conf_t  *mmcf;

    doc->job = NULL;
    r = doc->request;

    if (job->rc != NGX_OK) {
        ngx_http_finalize_request(r, ngx_http_mana_doc_refuse(r,
                                          NGX_HTTP_SERVICE_UNAVAILABLE));
        return;
    }

    if (doc->status == NGX_HTTP_INTERNAL_SERVER_ERROR) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "mana_document: out of memory reading a certificate");
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    if (doc->status != NGX_HTTP_OK) {
        ngx_http_finalize_request(r, ngx_http_mana_doc_refuse(r,
                                                              doc->status));
        return;
    }

    mmcf = ngx_http_get_module_main_conf(r, ngx_http_mana_module);

    /* the task is the doc's: it outlives the request if it must */
    task = ngx_calloc(sizeof(ngx_thread_task_t), r->connection->log);
    if (task == NULL) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    task->ctx = doc;
    task->handler = ngx_http_mana_doc_render;
    task->event.handler = ngx_http_mana_doc_rendered;
    task->event.data = doc;
    task->event.log = ngx_cycle->log;

    if (ngx_thread_task_post(mmcf->catalogue.thread_pool, task) != NGX_OK) {
        ngx_free(task);
        ngx_http_finalize_request(r, ngx_http_mana_doc_refuse(r,
                                          NGX_HTTP_SERVICE_UNAVAILABLE));
        return;
    }

    doc->task = task;
    ngx_http_mana_doc_renders++;

    doc->guard.handler = ngx_http_mana_doc_guard;
    doc->guard.data = doc;
    doc->guard.log = ngx_cycle->log;
    ngx_add_timer(&doc->guard, NGX_HTTP_MANA_DOC_GUARD);
}


/* a render that takes this long is stuck in a full queue, or worse */
static void
ngx_http_mana_doc_guard(ngx_event_t *ev)
{
    ngx_log_error(NGX_LOG_WARN, ev->log, 0,
                  "mana_document: a render has waited or run for %M ms",
                  (ngx_msec_t) NGX_HTTP_MANA_DOC_GUARD);

    ngx_add_timer(ev, NGX_HTTP_MANA_DOC_GUARD);
}


/* in a thread of the pool: nothing here may touch nginx's event state */
static void
ngx_http_mana_doc_render(void *data, ngx_log_t *log)
{
    ngx_http_mana_doc_t    *doc = data;
    mana_cert_pdf_names_t   names;

    names.dept_en = doc->text[NGX_HTTP_MANA_DOC_DEPT_EN];
    names.dept_te = doc->text[NGX_HTTP_MANA_DOC_DEPT_TE];
    names.office_en = doc->text[NGX_HTTP_MANA_DOC_OFFICE_EN];
    names.office_te = doc->text[NGX_HTTP_MANA_DOC_OFFICE_TE];
    names.title_en = doc->text[NGX_HTTP_MANA_DOC_TITLE_EN];
    names.title_te = doc->text[NGX_HTTP_MANA_DOC_TITLE_TE];

    doc->rendered = mana_cert_pdf_render(doc->cose, doc->cose_len, doc->host,
                                         doc->text[NGX_HTTP_MANA_DOC_SERVICE],
                                         &names, &doc->pdf, doc->error,
                                         sizeof(doc->error))
                    == 0;
}


static void
ngx_http_mana_doc_rendered(ngx_event_t *ev)
{
    ngx_int_t             rc;
    ngx_http_request_t   *r;
    ngx_http_mana_doc_t  *doc = ev->data;

    ngx_free(doc->task);
    doc->task = NULL;
    ngx_http_mana_doc_renders--;

    if (doc->guard.timer_set) {
        ngx_del_timer(&doc->guard);
    }

    r = doc->request;

    if (r == NULL) {
        /* the request went away while the page was drawn */
        ngx_http_mana_doc_free(doc);
        return;
    }

    if (!doc->rendered) {
        /* a stored certificate that cannot be drawn: a fault to look at */
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "mana_document: cannot render the certificate: %s",
                      doc->error);
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    rc = ngx_http_mana_doc_send(r, doc);

    ngx_http_finalize_request(r, rc);
}


static void
ngx_http_mana_doc_cleanup(void *data)
{
    ngx_http_mana_doc_t  *doc = data;

    if (doc->job) {
        ngx_http_mana_db_cancel(doc->job);
        doc->job = NULL;
    }

    doc->request = NULL;

    if (doc->task == NULL) {
        ngx_http_mana_doc_free(doc);
    }

    /* else the render's completion frees it */
}


static void
ngx_http_mana_doc_free(ngx_http_mana_doc_t *doc)
{
    ngx_uint_t  i;

    for (i = 0; i < 8; i++) {
        ngx_free(doc->text[i]);
    }

    ngx_free(doc->cose);
    mana_buf_free(&doc->pdf);
    ngx_free(doc);
}


/* why there is no document, in both languages, as plain text */
static ngx_int_t
ngx_http_mana_doc_refuse(ngx_http_request_t *r, ngx_uint_t status)
{
    ngx_str_t  *text;

    static ngx_str_t  not_found = ngx_string(
        "This document link is not valid.\n"
        /* "ఈ పత్రం లింక్ చెల్లదు." */
        "\xe0\xb0\x88 \xe0\xb0\xaa\xe0\xb0\xa4\xe0\xb1\x8d\xe0\xb0\xb0"
        "\xe0\xb0\x82 \xe0\xb0\xb2\xe0\xb0\xbf\xe0\xb0\x82\xe0\xb0\x95"
        "\xe0\xb1\x8d \xe0\xb0\x9a\xe0\xb1\x86\xe0\xb0\xb2\xe0\xb1\x8d"
        "\xe0\xb0\xb2\xe0\xb0\xa6\xe0\xb1\x81.\n");
    static ngx_str_t  gone = ngx_string(
        "This document link has expired or the document was withdrawn: "
        "ask for it again in the WhatsApp chat.\n"
        /* "ఈ లింక్ గడువు ముగిసింది లేదా పత్రం ఉపసంహరించబడింది:
         *  WhatsApp చాట్‌లో మళ్లీ అడగండి." */
        "\xe0\xb0\x88 \xe0\xb0\xb2\xe0\xb0\xbf\xe0\xb0\x82\xe0\xb0\x95"
        "\xe0\xb1\x8d \xe0\xb0\x97\xe0\xb0\xa1\xe0\xb1\x81\xe0\xb0\xb5"
        "\xe0\xb1\x81 \xe0\xb0\xae\xe0\xb1\x81\xe0\xb0\x97\xe0\xb0\xbf"
        "\xe0\xb0\xb8\xe0\xb0\xbf\xe0\xb0\x82\xe0\xb0\xa6\xe0\xb0\xbf "
        "\xe0\xb0\xb2\xe0\xb1\x87\xe0\xb0\xa6\xe0\xb0\xbe \xe0\xb0\xaa"
        "\xe0\xb0\xa4\xe0\xb1\x8d\xe0\xb0\xb0\xe0\xb0\x82 \xe0\xb0\x89"
        "\xe0\xb0\xaa\xe0\xb0\xb8\xe0\xb0\x82\xe0\xb0\xb9\xe0\xb0\xb0"
        "\xe0\xb0\xbf\xe0\xb0\x82\xe0\xb0\x9a\xe0\xb0\xac\xe0\xb0\xa1"
        "\xe0\xb0\xbf\xe0\xb0\x82\xe0\xb0\xa6\xe0\xb0\xbf: WhatsApp "
        "\xe0\xb0\x9a\xe0\xb0\xbe\xe0\xb0\x9f\xe0\xb1\x8d\xe2\x80\x8c"
        "\xe0\xb0\xb2\xe0\xb1\x8b \xe0\xb0\xae\xe0\xb0\xb3\xe0\xb1\x8d"
        "\xe0\xb0\xb2\xe0\xb1\x80 \xe0\xb0\x85\xe0\xb0\xa1\xe0\xb0\x97"
        "\xe0\xb0\x82\xe0\xb0\xa1\xe0\xb0\xbf.\n");
    static ngx_str_t  unavailable = ngx_string(
        "The document cannot be fetched right now: try again in a minute.\n");

    text = status == NGX_HTTP_MANA_GONE ? &gone
           : status == NGX_HTTP_SERVICE_UNAVAILABLE ? &unavailable
           : &not_found;

    return ngx_http_mana_send(r, status, "text/plain; charset=utf-8",
                              text->data, text->len);
}


static ngx_int_t
ngx_http_mana_doc_send(ngx_http_request_t *r, ngx_http_mana_doc_t *doc)
{
    u_char           *p, *body;
    size_t            n;
    ngx_uint_t        i;
    const char       *number;
    ngx_table_elt_t  *h;

    body = ngx_pnalloc(r->pool, doc->pdf.len);
    if (body == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_memcpy(body, doc->pdf.data, doc->pdf.len);

    /* the certificate number names the file: quoted, so only safe bytes */
    number = doc->text[NGX_HTTP_MANA_DOC_NUMBER];
    n = number ? ngx_strlen(number) : 0;

    for (i = 0; i < n; i++) {
        if (!((number[i] >= '0' && number[i] <= '9')
              || (number[i] >= 'A' && number[i] <= 'Z')
              || (number[i] >= 'a' && number[i] <= 'z')
              || number[i] == '-' || number[i] == '_'))
        {
            n = 0;
            break;
        }
    }

    if (n == 0 || n > 64) {
        number = "certificate";
        n = sizeof("certificate") - 1;
    }

    /* the value first: a header pushed must be whole before any return */
    p = ngx_pnalloc(r->pool, sizeof("attachment; filename=\".pdf\"") + n);
    h = p ? ngx_list_push(&r->headers_out.headers) : NULL;
    if (h == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    h->hash = 1;
    ngx_str_set(&h->key, "Content-Disposition");
    h->value.data = p;
    h->value.len = ngx_sprintf(p, "attachment; filename=\"%*s.pdf\"", n,
                               number)
                   - p;

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    /* it carries the holder's name: no cache keeps it */
    h->hash = 1;
    ngx_str_set(&h->key, "Cache-Control");
    ngx_str_set(&h->value, "private, no-store");

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    h->hash = 1;
    ngx_str_set(&h->key, "X-Content-Type-Options");
    ngx_str_set(&h->value, "nosniff");

    return ngx_http_mana_send(r, NGX_HTTP_OK, "application/pdf", body,
                              doc->pdf.len);
}


/*
 * https://<verify host>/D/<token> for the certificate cti_hex (24 hex
 * digits), for a week, NUL-terminated in out: for the bot's document
 * messages.  NGX_DECLINED when this server serves no documents.
 */
ngx_int_t
ngx_http_mana_document_link(const char *cti_hex, mana_buf_t *out)
{
    char                        token[MANA_DOCLINK_TOKEN_LEN + 1];
    unsigned char               cti[MANA_MM1_CTI_LEN];
    ngx_http_mana_main_conf_t  *mmcf;

    mmcf = ngx_http_cycle_get_module_main_conf(ngx_cycle,
                                               ngx_http_mana_module);

    if (mmcf == NULL || !mmcf->document_used || cti_hex == NULL
        || ngx_strlen(cti_hex) != 2 * MANA_MM1_CTI_LEN
        || mana_hex_decode(cti, cti_hex, MANA_MM1_CTI_LEN) != 0
        || mana_doclink_token(token, mmcf->document_key.data,
                              mmcf->document_key.len, cti,
                              (int64_t) ngx_time() + MANA_DOCLINK_TTL)
           != 0)
    {
        return NGX_DECLINED;
    }

    mana_buf_addf(out, "https://%s/D/%s", mmcf->verify_host.data, token);
    mana_buf_add(out, "", 1);

    return mana_buf_failed(out) ? NGX_ERROR : NGX_OK;
}


/* a worker that serves documents draws them: fonts loaded once, here */
ngx_int_t
ngx_http_mana_document_init_process(ngx_cycle_t *cycle)
{
    char  err[256];

    if (mana_pdf_init(NULL, 1, err, sizeof(err)) != 0) {
        ngx_log_error(NGX_LOG_EMERG, cycle->log, 0,
                      "mana_document: cannot start the PDF renderer: %s",
                      err);
        return NGX_ERROR;
    }

    return NGX_OK;
}


void
ngx_http_mana_document_exit_process(void)
{
    /* a render still in a thread keeps its font map: leave them all */
    if (ngx_http_mana_doc_renders == 0) {
        mana_pdf_cleanup();
    }
}
