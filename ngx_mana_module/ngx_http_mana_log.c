/*
 * The public issuance log on the web (docs/certificates-log.md), and the
 * signed trust list:
 *
 *   <location>checkpoint                    the latest signed checkpoint
 *   <location>tile/<L>/<N>[.p/<W>]          C2SP tlog-tiles hash tiles
 *   <location>tile/entries/<N>[.p/<W>]      and entry bundles
 *   <location>proof/inclusion?index=I&size=N          JSON proofs
 *   <location>proof/consistency?old=M&new=N
 *   /.well-known/mana/trust.json            (mana_trust_list)
 *
 * Each request is one batch through the worker's pool: the latest
 * checkpoint's size, which bounds what may be served (a tile or a proof
 * past it would show a tree nobody has signed), and the rows it needs,
 * read by index.  Everything taken from the URL is bounded before any SQL
 * is written: a tile by mana_tlog_tile_parse(), a number by
 * ngx_http_mana_log_number().
 */

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_mana_module.h"
#include "mana_base64.h"
#include "mana_buf.h"
#include "mana_tlog.h"


/* tlog_leaf.leaf is a VARBINARY(128) */
#define NGX_HTTP_MANA_LOG_LEAF_MAX  128
/* stored hashes one proof request reads: two roots and a proof */
#define NGX_HTTP_MANA_LOG_MAX_WANT  (3 * MANA_TLOG_MAX_INDEXES)
/* decimal digits of MANA_TLOG_MAX_SIZE */
#define NGX_HTTP_MANA_LOG_MAX_DIGITS  16


typedef enum {
    NGX_HTTP_MANA_LOG_CHECKPOINT = 0,
    NGX_HTTP_MANA_LOG_TILE,
    NGX_HTTP_MANA_LOG_ENTRIES,
    NGX_HTTP_MANA_LOG_INCLUSION,
    NGX_HTTP_MANA_LOG_CONSISTENCY,
    NGX_HTTP_MANA_LOG_TRUST
} ngx_http_mana_log_kind_e;


typedef struct {
    ngx_http_request_t          *request;
    ngx_http_mana_db_job_t      *job;
    ngx_http_mana_log_kind_e     kind;
    mana_tlog_tile_t             tile;
    int64_t                      a;         /* index, or old */
    int64_t                      b;         /* size, or new */
    int64_t                      size;      /* latest checkpoint's; -1 none */

    /* the rows asked for, ascending and distinct, and what came back */
    int64_t                     *want;
    ngx_uint_t                   nwant;
    size_t                       slot;      /* bytes held per row */
    u_char                      *rows;
    size_t                      *row_len;   /* 0: not there */

    ngx_str_t                    doc;       /* a note or a trust list */
    unsigned                     found:1;
    unsigned                     no_memory:1;
} ngx_http_mana_log_ctx_t;


static ngx_int_t ngx_http_mana_log_start(ngx_http_request_t *r,
    ngx_http_mana_log_ctx_t *ctx);
static ngx_int_t ngx_http_mana_log_route(ngx_http_request_t *r,
    ngx_http_mana_log_ctx_t *ctx, u_char *path, size_t len);
static ngx_int_t ngx_http_mana_log_proof_args(ngx_http_request_t *r,
    ngx_http_mana_log_ctx_t *ctx, const char *a, const char *b);
static ngx_int_t ngx_http_mana_log_want_proof(ngx_http_request_t *r,
    ngx_http_mana_log_ctx_t *ctx);
static ngx_int_t ngx_http_mana_log_want_tile(ngx_http_request_t *r,
    ngx_http_mana_log_ctx_t *ctx);
static void ngx_http_mana_log_rows(ngx_http_mana_db_job_t *job,
    ngx_uint_t stmt, MYSQL_RES *res);
static void ngx_http_mana_log_done(ngx_http_mana_db_job_t *job);
static void ngx_http_mana_log_cleanup(void *data);
static ngx_int_t ngx_http_mana_log_reply(ngx_http_request_t *r,
    ngx_http_mana_log_ctx_t *ctx);
static ngx_int_t ngx_http_mana_log_text(ngx_http_request_t *r,
    ngx_uint_t status, const char *text);


ngx_int_t
ngx_http_mana_log_handler(ngx_http_request_t *r)
{
    u_char                    *path;
    size_t                     len;
    ngx_int_t                  rc;
    ngx_http_mana_log_ctx_t   *ctx;
    ngx_http_core_loc_conf_t  *clcf;

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        return NGX_HTTP_NOT_ALLOWED;
    }

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    ctx = ngx_pcalloc(r->pool, sizeof(ngx_http_mana_log_ctx_t));
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->request = r;
    ctx->size = -1;

    /* the path below the location: "checkpoint", "tile/...", "proof/..." */
    clcf = ngx_http_get_module_loc_conf(r, ngx_http_core_module);

    if (r->uri.len < clcf->name.len
        || ngx_strncmp(r->uri.data, clcf->name.data, clcf->name.len) != 0)
    {
        return ngx_http_mana_log_text(r, NGX_HTTP_NOT_FOUND,
                                      "Not found: this log serves "
                                      "checkpoint, tile/ and proof/.\n");
    }

    path = r->uri.data + clcf->name.len;
    len = r->uri.len - clcf->name.len;

    if (len > 0 && *path == '/') {
        path++;
        len--;
    }

    rc = ngx_http_mana_log_route(r, ctx, path, len);
    if (rc != NGX_DECLINED) {
        return rc;
    }

    return ngx_http_mana_log_start(r, ctx);
}


ngx_int_t
ngx_http_mana_trust_list_handler(ngx_http_request_t *r)
{
    ngx_int_t                 rc;
    ngx_http_mana_log_ctx_t  *ctx;

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        return NGX_HTTP_NOT_ALLOWED;
    }

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    ctx = ngx_pcalloc(r->pool, sizeof(ngx_http_mana_log_ctx_t));
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->request = r;
    ctx->size = -1;
    ctx->kind = NGX_HTTP_MANA_LOG_TRUST;

    return ngx_http_mana_log_start(r, ctx);
}


/*
 * NGX_DECLINED with ctx filled in for a query, or what the answer to a
 * request that asks wrong returned
 */

static ngx_int_t
ngx_http_mana_log_route(ngx_http_request_t *r, ngx_http_mana_log_ctx_t *ctx,
    u_char *path, size_t len)
{
    if (len == sizeof("checkpoint") - 1
        && ngx_strncmp(path, "checkpoint", len) == 0)
    {
        ctx->kind = NGX_HTTP_MANA_LOG_CHECKPOINT;
        return NGX_DECLINED;
    }

    if (len >= sizeof("tile/") - 1 && ngx_strncmp(path, "tile/", 5) == 0) {

        if (mana_tlog_tile_parse(&ctx->tile, (const char *) path, len) != 0) {
            return ngx_http_mana_log_text(r, NGX_HTTP_NOT_FOUND,
                       "Not found: not a tile path (tile/<L>/<N>[.p/<W>] or "
                       "tile/entries/<N>[.p/<W>], N in groups x001/x234/067)"
                       ".\n");
        }

        ctx->kind = ctx->tile.level == MANA_TLOG_TILE_ENTRIES
                    ? NGX_HTTP_MANA_LOG_ENTRIES : NGX_HTTP_MANA_LOG_TILE;

        return ngx_http_mana_log_want_tile(r, ctx);
    }

    if (len == sizeof("proof/inclusion") - 1
        && ngx_strncmp(path, "proof/inclusion", len) == 0)
    {
        ctx->kind = NGX_HTTP_MANA_LOG_INCLUSION;
        return ngx_http_mana_log_proof_args(r, ctx, "index", "size");
    }

    if (len == sizeof("proof/consistency") - 1
        && ngx_strncmp(path, "proof/consistency", len) == 0)
    {
        ctx->kind = NGX_HTTP_MANA_LOG_CONSISTENCY;
        return ngx_http_mana_log_proof_args(r, ctx, "old", "new");
    }

    return ngx_http_mana_log_text(r, NGX_HTTP_NOT_FOUND,
                                  "Not found: this log serves checkpoint, "
                                  "tile/ and proof/.\n");
}


/*
 * A decimal number from the query string: digits only, no leading zero,
 * at most MANA_TLOG_MAX_SIZE.  0, or -1 when absent or malformed.
 */
static ngx_int_t
ngx_http_mana_log_number(ngx_http_request_t *r, const char *name,
    int64_t *out)
{
    size_t     i;
    int64_t    v;
    ngx_str_t  s;

    if (ngx_http_arg(r, (u_char *) name, ngx_strlen(name), &s) != NGX_OK
        || s.len == 0 || s.len > NGX_HTTP_MANA_LOG_MAX_DIGITS
        || (s.len > 1 && s.data[0] == '0'))
    {
        return -1;
    }

    v = 0;

    for (i = 0; i < s.len; i++) {
        if (s.data[i] < '0' || s.data[i] > '9') {
            return -1;
        }

        v = v * 10 + (s.data[i] - '0');
    }

    if (v > MANA_TLOG_MAX_SIZE) {
        return -1;
    }

    *out = v;

    return 0;
}


static ngx_int_t
ngx_http_mana_log_proof_args(ngx_http_request_t *r,
    ngx_http_mana_log_ctx_t *ctx, const char *a, const char *b)
{
    if (ngx_http_mana_log_number(r, a, &ctx->a) != 0
        || ngx_http_mana_log_number(r, b, &ctx->b) != 0)
    {
        return ngx_http_mana_log_json_error(r, NGX_HTTP_BAD_REQUEST,
                   "bad_request", "%s and %s must both be given, as decimal "
                   "numbers from 0 to 2^53", a, b);
    }

    if (ctx->kind == NGX_HTTP_MANA_LOG_INCLUSION && ctx->a >= ctx->b) {
        return ngx_http_mana_log_json_error(r, NGX_HTTP_BAD_REQUEST,
                   "out_of_range", "index must be less than size");
    }

    if (ctx->kind == NGX_HTTP_MANA_LOG_CONSISTENCY
        && (ctx->a == 0 || ctx->a > ctx->b))
    {
        return ngx_http_mana_log_json_error(r, NGX_HTTP_BAD_REQUEST,
                   "out_of_range", "old must be at least 1 and at most new");
    }

    return ngx_http_mana_log_want_proof(r, ctx);
}


static int
ngx_http_mana_log_cmp(const void *one, const void *two)
{
    int64_t  a = *(const int64_t *) one;
    int64_t  b = *(const int64_t *) two;

    return a < b ? -1 : a > b;
}


/* adds n indexes to want, kept sorted and distinct */

static void
ngx_http_mana_log_want_add(ngx_http_mana_log_ctx_t *ctx, const int64_t *idx,
    int n)
{
    int         i;
    ngx_uint_t  j, k;

    for (i = 0; i < n; i++) {
        ctx->want[ctx->nwant++] = idx[i];
    }

    ngx_qsort(ctx->want, ctx->nwant, sizeof(int64_t), ngx_http_mana_log_cmp);

    for (j = 0, k = 0; j < ctx->nwant; j++) {
        if (k == 0 || ctx->want[k - 1] != ctx->want[j]) {
            ctx->want[k++] = ctx->want[j];
        }
    }

    ctx->nwant = k;
}


static ngx_int_t
ngx_http_mana_log_alloc_rows(ngx_http_request_t *r,
    ngx_http_mana_log_ctx_t *ctx, ngx_uint_t n, size_t slot)
{
    ctx->want = ngx_palloc(r->pool, n * sizeof(int64_t));
    ctx->rows = ngx_palloc(r->pool, n * slot);
    ctx->row_len = ngx_pcalloc(r->pool, n * sizeof(size_t));
    ctx->slot = slot;

    if (ctx->want == NULL || ctx->rows == NULL || ctx->row_len == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return NGX_OK;
}


static ngx_int_t
ngx_http_mana_log_want_tile(ngx_http_request_t *r,
    ngx_http_mana_log_ctx_t *ctx)
{
    int        n;
    ngx_int_t  rc;

    rc = ngx_http_mana_log_alloc_rows(r, ctx, MANA_TLOG_TILE_WIDTH,
                                      ctx->kind == NGX_HTTP_MANA_LOG_ENTRIES
                                      ? NGX_HTTP_MANA_LOG_LEAF_MAX
                                      : MANA_TLOG_HASH_LEN);
    if (rc != NGX_OK) {
        return rc;
    }

    /* ascending already: leaf indexes, or one tree level's stored hashes */
    n = mana_tlog_tile_indexes(&ctx->tile, ctx->want);
    if (n <= 0) {
        return ngx_http_mana_log_text(r, NGX_HTTP_NOT_FOUND,
                                      "Not found: no such tile.\n");
    }

    ctx->nwant = (ngx_uint_t) n;

    return NGX_DECLINED;
}


static ngx_int_t
ngx_http_mana_log_want_proof(ngx_http_request_t *r,
    ngx_http_mana_log_ctx_t *ctx)
{
    int        n;
    int64_t    idx[MANA_TLOG_MAX_INDEXES];
    ngx_int_t  rc;

    rc = ngx_http_mana_log_alloc_rows(r, ctx, NGX_HTTP_MANA_LOG_MAX_WANT,
                                      MANA_TLOG_HASH_LEN);
    if (rc != NGX_OK) {
        return rc;
    }

    /* the root of size b, and of size a or leaf a's hash, and the proof */
    n = mana_tlog_tree_hash_indexes(ctx->b, idx);
    if (n < 0) {
        goto range;
    }

    ngx_http_mana_log_want_add(ctx, idx, n);

    if (ctx->kind == NGX_HTTP_MANA_LOG_INCLUSION) {
        idx[0] = mana_tlog_stored_hash_index(0, ctx->a);
        if (idx[0] < 0) {
            goto range;
        }

        ngx_http_mana_log_want_add(ctx, idx, 1);
        n = mana_tlog_prove_record_indexes(ctx->b, ctx->a, idx);

    } else {
        n = mana_tlog_tree_hash_indexes(ctx->a, idx);
        if (n < 0) {
            goto range;
        }

        ngx_http_mana_log_want_add(ctx, idx, n);
        n = mana_tlog_prove_tree_indexes(ctx->b, ctx->a, idx);
    }

    if (n < 0) {
        goto range;
    }

    ngx_http_mana_log_want_add(ctx, idx, n);

    return NGX_DECLINED;

range:

    return ngx_http_mana_log_json_error(r, NGX_HTTP_BAD_REQUEST,
                                        "out_of_range", "no such proof");
}


/* the latest checkpoint's size, then the rows, in one batch */

static void
ngx_http_mana_log_sql(mana_buf_t *sql, ngx_http_mana_log_ctx_t *ctx)
{
    ngx_uint_t  i;

    switch (ctx->kind) {

    case NGX_HTTP_MANA_LOG_CHECKPOINT:
        mana_buf_adds(sql, "SELECT note FROM tlog_checkpoint "
                           "ORDER BY size DESC LIMIT 1");
        return;

    case NGX_HTTP_MANA_LOG_TRUST:
        mana_buf_adds(sql, "SELECT document FROM trust_list "
                           "ORDER BY id DESC LIMIT 1");
        return;

    default:
        break;
    }

    mana_buf_adds(sql, "SELECT size FROM tlog_checkpoint "
                       "ORDER BY size DESC LIMIT 1;\n");

    if (ctx->kind == NGX_HTTP_MANA_LOG_ENTRIES) {
        mana_buf_addf(sql, "SELECT idx, leaf FROM tlog_leaf WHERE idx "
                      "BETWEEN %lld AND %lld ORDER BY idx",
                      (long long) ctx->want[0],
                      (long long) ctx->want[ctx->nwant - 1]);
        return;
    }

    mana_buf_adds(sql, "SELECT idx, hash FROM tlog_hash WHERE idx IN (");

    for (i = 0; i < ctx->nwant; i++) {
        mana_buf_addf(sql, "%s%lld", i ? "," : "", (long long) ctx->want[i]);
    }

    mana_buf_adds(sql, ") ORDER BY idx");
}


static ngx_int_t
ngx_http_mana_log_start(ngx_http_request_t *r, ngx_http_mana_log_ctx_t *ctx)
{
    mana_buf_t               sql;
    ngx_pool_cleanup_t      *cln;
    ngx_http_mana_db_job_t  *job;

    mana_buf_init(&sql);
    ngx_http_mana_log_sql(&sql, ctx);

    cln = ngx_pool_cleanup_add(r->pool, 0);
    job = mana_buf_failed(&sql) ? NULL
          : ngx_http_mana_db_job_create(ngx_http_mana_db_pool, sql.len);

    if (cln == NULL || job == NULL) {
        mana_buf_free(&sql);
        if (job) {
            ngx_http_mana_db_cancel(job);
        }
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_memcpy(job->sql.data, sql.data, sql.len);
    mana_buf_free(&sql);

    job->handler = ngx_http_mana_log_done;
    job->result = ngx_http_mana_log_rows;
    job->data = ctx;

    if (ngx_http_mana_db_post(job) != NGX_OK) {
        ngx_http_mana_db_cancel(job);
        return ngx_http_mana_log_text(r, NGX_HTTP_SERVICE_UNAVAILABLE,
                                      "The log is unavailable right now: "
                                      "try again in a minute.\n");
    }

    ctx->job = job;
    cln->handler = ngx_http_mana_log_cleanup;
    cln->data = ctx;

    r->main->count++;

    return NGX_DONE;
}


/* where index idx sits in want, or -1 */

static ngx_int_t
ngx_http_mana_log_find(ngx_http_mana_log_ctx_t *ctx, int64_t idx)
{
    ngx_uint_t  lo, hi, mid;

    lo = 0;
    hi = ctx->nwant;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;

        if (ctx->want[mid] == idx) {
            return (ngx_int_t) mid;
        }

        if (ctx->want[mid] < idx) {
            lo = mid + 1;

        } else {
            hi = mid;
        }
    }

    return -1;
}


static void
ngx_http_mana_log_rows(ngx_http_mana_db_job_t *job, ngx_uint_t stmt,
    MYSQL_RES *res)
{
    off_t                     idx;
    ngx_int_t                 at;
    MYSQL_ROW                 row;
    unsigned long            *len;
    ngx_http_mana_log_ctx_t  *ctx = job->data;

    if (ctx->kind == NGX_HTTP_MANA_LOG_CHECKPOINT
        || ctx->kind == NGX_HTTP_MANA_LOG_TRUST)
    {
        row = mysql_fetch_row(res);
        len = row ? mysql_fetch_lengths(res) : NULL;

        if (row == NULL || row[0] == NULL) {
            return;
        }

        ctx->doc.data = ngx_pnalloc(ctx->request->pool, len[0]);
        if (ctx->doc.data == NULL) {
            ctx->no_memory = 1;
            return;
        }

        ngx_memcpy(ctx->doc.data, row[0], len[0]);
        ctx->doc.len = len[0];
        ctx->found = 1;

        return;
    }

    if (stmt == 0) {
        row = mysql_fetch_row(res);
        len = row ? mysql_fetch_lengths(res) : NULL;

        if (row && row[0]) {
            idx = ngx_atoof((u_char *) row[0], len[0]);
            ctx->size = idx == NGX_ERROR ? -1 : (int64_t) idx;
        }

        return;
    }

    while ((row = mysql_fetch_row(res)) != NULL) {
        len = mysql_fetch_lengths(res);

        if (row[0] == NULL || row[1] == NULL || len[1] > ctx->slot
            || len[1] == 0)
        {
            continue;
        }

        idx = ngx_atoof((u_char *) row[0], len[0]);
        at = idx == NGX_ERROR ? -1 : ngx_http_mana_log_find(ctx, idx);

        if (at < 0) {
            continue;
        }

        ngx_memcpy(ctx->rows + at * ctx->slot, row[1], len[1]);
        ctx->row_len[at] = len[1];
    }
}


static void
ngx_http_mana_log_done(ngx_http_mana_db_job_t *job)
{
    ngx_int_t                 rc;
    ngx_http_request_t       *r;
    ngx_http_mana_log_ctx_t  *ctx = job->data;

    ctx->job = NULL;
    r = ctx->request;

    if (job->rc != NGX_OK) {
        rc = ctx->kind == NGX_HTTP_MANA_LOG_INCLUSION
             || ctx->kind == NGX_HTTP_MANA_LOG_CONSISTENCY
             || ctx->kind == NGX_HTTP_MANA_LOG_TRUST
             ? ngx_http_mana_log_json_error(r, NGX_HTTP_SERVICE_UNAVAILABLE,
                   "unavailable", "the database is unavailable: try again "
                   "in a minute")
             : ngx_http_mana_log_text(r, NGX_HTTP_SERVICE_UNAVAILABLE,
                   "The log is unavailable right now: try again in a "
                   "minute.\n");

    } else if (ctx->no_memory) {
        rc = NGX_HTTP_INTERNAL_SERVER_ERROR;

    } else {
        rc = ngx_http_mana_log_reply(r, ctx);
    }

    ngx_http_finalize_request(r, rc);
}


static void
ngx_http_mana_log_cleanup(void *data)
{
    ngx_http_mana_log_ctx_t  *ctx = data;

    if (ctx->job) {
        ngx_http_mana_db_cancel(ctx->job);
        ctx->job = NULL;
    }
}


/*
 * The stored hashes at idx[0..n) into out, from the rows that came back;
 * NGX_ERROR when one is missing (the log's tables disagree with its
 * checkpoint: the log is broken, and says so in error.log).
 */
static ngx_int_t
ngx_http_mana_log_hashes(ngx_http_mana_log_ctx_t *ctx, const int64_t *idx,
    int n, unsigned char (*out)[MANA_TLOG_HASH_LEN])
{
    int        i;
    ngx_int_t  at;

    for (i = 0; i < n; i++) {
        at = ngx_http_mana_log_find(ctx, idx[i]);

        if (at < 0 || ctx->row_len[at] != MANA_TLOG_HASH_LEN) {
            ngx_log_error(NGX_LOG_ERR, ctx->request->connection->log, 0,
                          "mana log: stored hash %L is missing from tlog_hash "
                          "though the checkpoint covers it", idx[i]);
            return NGX_ERROR;
        }

        ngx_memcpy(out[i], ctx->rows + at * ctx->slot, MANA_TLOG_HASH_LEN);
    }

    return NGX_OK;
}


static ngx_int_t
ngx_http_mana_log_reply_tile(ngx_http_request_t *r,
    ngx_http_mana_log_ctx_t *ctx)
{
    u_char      *body, *p;
    size_t       len, put;
    ngx_uint_t   i;
    const char  *cache;

    if (ctx->size < 0 || !mana_tlog_tile_in_tree(&ctx->tile, ctx->size)) {
        return ngx_http_mana_log_text(r, NGX_HTTP_NOT_FOUND,
                                      "Not found: the latest checkpoint does "
                                      "not cover this tile.\n");
    }

    body = ngx_pnalloc(r->pool, ctx->nwant * (ctx->slot + 2));
    if (body == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = body;
    len = ctx->nwant * (ctx->slot + 2);

    for (i = 0; i < ctx->nwant; i++) {
        if (ctx->row_len[i] == 0
            || (ctx->kind == NGX_HTTP_MANA_LOG_TILE
                && ctx->row_len[i] != MANA_TLOG_HASH_LEN))
        {
            ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                          "mana log: %s %L is missing though the checkpoint "
                          "covers it",
                          ctx->kind == NGX_HTTP_MANA_LOG_TILE
                          ? "stored hash" : "leaf", ctx->want[i]);
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        if (ctx->kind == NGX_HTTP_MANA_LOG_TILE) {
            p = ngx_cpymem(p, ctx->rows + i * ctx->slot, MANA_TLOG_HASH_LEN);
            continue;
        }

        put = mana_tlog_bundle_put(p, len - (p - body), ctx->rows
                                   + i * ctx->slot, ctx->row_len[i]);
        if (put == 0) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        p += put;
    }

    /* a full tile never changes; a partial one is replaced by a wider one */
    cache = ctx->tile.width == MANA_TLOG_TILE_WIDTH
            ? "public, max-age=31536000, immutable"
            : "public, max-age=60";

    return ngx_http_mana_log_send(r, NGX_HTTP_OK, "application/octet-stream",
                                  cache, body, p - body);
}


static void
ngx_http_mana_log_b64(mana_buf_t *b, const unsigned char *h)
{
    mana_buf_adds(b, "\"");
    mana_base64_encode_buf(MANA_BASE64_STD, b, h, MANA_TLOG_HASH_LEN);
    mana_buf_adds(b, "\"");
}


static ngx_int_t
ngx_http_mana_log_reply_proof(ngx_http_request_t *r,
    ngx_http_mana_log_ctx_t *ctx)
{
    int             n;
    u_char         *body;
    size_t          i, proof_len;
    int64_t         idx[MANA_TLOG_MAX_INDEXES];
    mana_buf_t      b;
    unsigned char   root_b[MANA_TLOG_HASH_LEN], first[MANA_TLOG_HASH_LEN];
    unsigned char   hashes[MANA_TLOG_MAX_INDEXES][MANA_TLOG_HASH_LEN];
    unsigned char   proof[MANA_TLOG_MAX_PROOF][MANA_TLOG_HASH_LEN];
    mana_tlog_rc_e  rc;

    if (ctx->size < 0 || ctx->b > ctx->size) {
        return ngx_http_mana_log_json_error(r, NGX_HTTP_BAD_REQUEST,
                   "out_of_range", "%s %L is beyond the latest checkpoint "
                   "(size %L)",
                   ctx->kind == NGX_HTTP_MANA_LOG_INCLUSION ? "size" : "new",
                   ctx->b, ctx->size < 0 ? 0 : ctx->size);
    }

    /* the root of b */
    n = mana_tlog_tree_hash_indexes(ctx->b, idx);
    if (n < 0 || ngx_http_mana_log_hashes(ctx, idx, n, hashes) != NGX_OK
        || mana_tlog_tree_hash_from(ctx->b,
                                    (const unsigned char (*)[32]) hashes, n,
                                    root_b) != MANA_TLOG_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    /* leaf a's hash, or the root of a */
    if (ctx->kind == NGX_HTTP_MANA_LOG_INCLUSION) {
        idx[0] = mana_tlog_stored_hash_index(0, ctx->a);
        if (ngx_http_mana_log_hashes(ctx, idx, 1, hashes) != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        ngx_memcpy(first, hashes[0], MANA_TLOG_HASH_LEN);
        n = mana_tlog_prove_record_indexes(ctx->b, ctx->a, idx);

    } else {
        n = mana_tlog_tree_hash_indexes(ctx->a, idx);
        if (n < 0 || ngx_http_mana_log_hashes(ctx, idx, n, hashes) != NGX_OK
            || mana_tlog_tree_hash_from(ctx->a,
                                        (const unsigned char (*)[32]) hashes,
                                        n, first) != MANA_TLOG_OK)
        {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        n = mana_tlog_prove_tree_indexes(ctx->b, ctx->a, idx);
    }

    if (n < 0 || ngx_http_mana_log_hashes(ctx, idx, n, hashes) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    /* and the proof, checked before it leaves: a broken log says nothing */
    if (ctx->kind == NGX_HTTP_MANA_LOG_INCLUSION) {
        rc = mana_tlog_prove_record_from(ctx->b, ctx->a,
                 (const unsigned char (*)[32]) hashes, n, proof, &proof_len);

        if (rc == MANA_TLOG_OK) {
            rc = mana_tlog_check_record((const unsigned char (*)[32]) proof,
                                        proof_len, ctx->b, root_b, ctx->a,
                                        first);
        }

    } else {
        rc = mana_tlog_prove_tree_from(ctx->b, ctx->a,
                 (const unsigned char (*)[32]) hashes, n, proof, &proof_len);

        if (rc == MANA_TLOG_OK) {
            rc = mana_tlog_check_tree((const unsigned char (*)[32]) proof,
                                      proof_len, ctx->b, root_b, ctx->a,
                                      first);
        }
    }

    if (rc != MANA_TLOG_OK) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "mana log: the stored hashes give no valid proof "
                      "(%L, %L): %d", ctx->a, ctx->b, (int) rc);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    mana_buf_init(&b);

    if (ctx->kind == NGX_HTTP_MANA_LOG_INCLUSION) {
        mana_buf_addf(&b, "{\"index\":%lld,\"size\":%lld,\"leaf_hash\":",
                      (long long) ctx->a, (long long) ctx->b);
        ngx_http_mana_log_b64(&b, first);
        mana_buf_adds(&b, ",\"root_hash\":");
        ngx_http_mana_log_b64(&b, root_b);

    } else {
        mana_buf_addf(&b, "{\"old\":%lld,\"new\":%lld,\"old_root_hash\":",
                      (long long) ctx->a, (long long) ctx->b);
        ngx_http_mana_log_b64(&b, first);
        mana_buf_adds(&b, ",\"new_root_hash\":");
        ngx_http_mana_log_b64(&b, root_b);
    }

    mana_buf_adds(&b, ",\"proof\":[");

    for (i = 0; i < proof_len; i++) {
        if (i) {
            mana_buf_adds(&b, ",");
        }

        ngx_http_mana_log_b64(&b, proof[i]);
    }

    mana_buf_adds(&b, "]}\n");

    body = mana_buf_failed(&b) ? NULL : ngx_pnalloc(r->pool, b.len);
    if (body == NULL) {
        mana_buf_free(&b);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_memcpy(body, b.data, b.len);
    n = (int) b.len;
    mana_buf_free(&b);

    /* the proof between two signed sizes never changes */
    return ngx_http_mana_log_send(r, NGX_HTTP_OK, "application/json",
                                  "public, max-age=86400", body, n);
}


static ngx_int_t
ngx_http_mana_log_reply(ngx_http_request_t *r, ngx_http_mana_log_ctx_t *ctx)
{
    switch (ctx->kind) {

    case NGX_HTTP_MANA_LOG_CHECKPOINT:
        if (!ctx->found) {
            return ngx_http_mana_log_text(r, NGX_HTTP_NOT_FOUND,
                                          "No checkpoint has been signed "
                                          "yet: the log is empty or its "
                                          "first checkpoint is still to "
                                          "come.\n");
        }

        /* a new one is signed whenever the log grows */
        return ngx_http_mana_log_send(r, NGX_HTTP_OK,
                                      "text/plain; charset=utf-8", "no-cache",
                                      ctx->doc.data, ctx->doc.len);

    case NGX_HTTP_MANA_LOG_TRUST:
        if (!ctx->found) {
            return ngx_http_mana_log_json_error(r, NGX_HTTP_NOT_FOUND,
                       "not_found", "no trust list has been signed yet "
                       "(mmctl key trust-list)");
        }

        /* a revoked key must reach verifiers soon */
        return ngx_http_mana_log_send(r, NGX_HTTP_OK, "application/json",
                                      "no-cache", ctx->doc.data,
                                      ctx->doc.len);

    case NGX_HTTP_MANA_LOG_TILE:
    case NGX_HTTP_MANA_LOG_ENTRIES:
        return ngx_http_mana_log_reply_tile(r, ctx);

    default:
        return ngx_http_mana_log_reply_proof(r, ctx);
    }
}


static ngx_int_t
ngx_http_mana_log_text(ngx_http_request_t *r, ngx_uint_t status,
    const char *text)
{
    return ngx_http_mana_log_send(r, status, "text/plain; charset=utf-8",
                                  "no-store", (u_char *) text,
                                  ngx_strlen(text));
}


/* shared with the status API, whose errors read alike */

ngx_int_t
ngx_http_mana_log_json_error(ngx_http_request_t *r, ngx_uint_t status,
    const char *code, const char *fmt, ...)
{
    u_char      *body, msg[256], *last;
    va_list      args;
    mana_buf_t   b;
    ngx_int_t    rc;

    va_start(args, fmt);
    last = ngx_vslprintf(msg, msg + sizeof(msg), fmt, args);
    va_end(args);

    mana_buf_init(&b);
    mana_buf_adds(&b, "{\"error\":{\"code\":");
    mana_buf_add_json_str(&b, code, ngx_strlen(code));
    mana_buf_adds(&b, ",\"message\":");
    mana_buf_add_json_str(&b, (const char *) msg, last - msg);
    mana_buf_adds(&b, "}}\n");

    body = mana_buf_failed(&b) ? NULL : ngx_pnalloc(r->pool, b.len);
    if (body == NULL) {
        mana_buf_free(&b);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_memcpy(body, b.data, b.len);
    rc = ngx_http_mana_log_send(r, status, "application/json", "no-store",
                                body, b.len);
    mana_buf_free(&b);

    return rc;
}


ngx_int_t
ngx_http_mana_log_send(ngx_http_request_t *r, ngx_uint_t status,
    const char *type, const char *cache, u_char *body, size_t len)
{
    ngx_uint_t        i;
    ngx_table_elt_t  *h;

    /* public documents: monitors and verifier pages may read them anywhere */
    static ngx_str_t  keys[] = {
        ngx_string("Cache-Control"),
        ngx_string("Access-Control-Allow-Origin"),
        ngx_string("X-Content-Type-Options")
    };

    ngx_str_t  values[] = {
        { ngx_strlen(cache), (u_char *) cache },
        ngx_string("*"),
        ngx_string("nosniff")
    };

    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        h = ngx_list_push(&r->headers_out.headers);
        if (h == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        h->hash = 1;
        h->key = keys[i];
        h->value = values[i];
    }

    return ngx_http_mana_send(r, status, type, body, len);
}
