/*
 * GET <location><kid, 16 hex>/<cti, 24 hex>: a certificate's status for
 * machines (docs/certificates.md, "The status API").
 *
 * The workers hold no private key, so the answer is not signed itself: it
 * carries the latest signed checkpoint, exactly as stored, and inclusion
 * proofs at that checkpoint's size of the certificate's issuance leaf and,
 * when there is one, its revocation leaf.  A client checks the checkpoint
 * with the log key of the trust list and each proof against its root.  It
 * holds nothing the leaves do not already publish: no name, no number, no
 * claim of the certificate.
 *
 * Two batches: the checkpoint and the certificate's row with its leaves,
 * then the stored hashes the proofs need, which depend on the first.  Each
 * proof is checked against the checkpoint's root before it leaves: a
 * broken log answers 500, never a proof that does not hold.
 */

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_mana_module.h"
#include "mana_base64.h"
#include "mana_buf.h"
#include "mana_hex.h"
#include "mana_mm1.h"
#include "mana_tlog.h"


#define NGX_HTTP_MANA_STATUS_KID_HEX  (2 * MANA_TLOG_KID_LEN)
#define NGX_HTTP_MANA_STATUS_CTI_HEX  (2 * MANA_MM1_CTI_LEN)
/* one root, and a leaf hash and a proof for each of two leaves */
#define NGX_HTTP_MANA_STATUS_MAX_WANT  (3 * MANA_TLOG_MAX_INDEXES)
/* "2026-11-28T04:37:00Z" */
#define NGX_HTTP_MANA_STATUS_TIME_LEN  20


typedef struct {
    int64_t                      index;     /* -1: none */
    u_char                       leaf[MANA_TLOG_LEAF_MAX];
    size_t                       leaf_len;  /* 0: the row is missing */
    unsigned char                proof[MANA_TLOG_MAX_PROOF]
                                      [MANA_TLOG_HASH_LEN];
    size_t                       proof_len;
} ngx_http_mana_status_leaf_t;


typedef struct {
    ngx_http_request_t          *request;
    ngx_http_mana_db_job_t      *job;

    unsigned char                kid[MANA_TLOG_KID_LEN];
    unsigned char                cti[MANA_MM1_CTI_LEN];
    char                         kid_hex[NGX_HTTP_MANA_STATUS_KID_HEX];
    char                         cti_hex[NGX_HTTP_MANA_STATUS_CTI_HEX];

    /* the latest checkpoint: size -1 when none is signed yet */
    int64_t                      size;
    unsigned char                root[MANA_TLOG_HASH_LEN];
    ngx_str_t                    note;

    /* the certificate; an empty time is a NULL */
    char                         status[16];
    char                         issued_at[NGX_HTTP_MANA_STATUS_TIME_LEN];
    char                         expires_at[NGX_HTTP_MANA_STATUS_TIME_LEN];
    char                         revoked_at[NGX_HTTP_MANA_STATUS_TIME_LEN];
    ngx_int_t                    reason;    /* -1: none */
    ngx_http_mana_status_leaf_t  issuance;
    ngx_http_mana_status_leaf_t  revocation;

    /* the stored hashes of the second batch, ascending and distinct */
    int64_t                      want[NGX_HTTP_MANA_STATUS_MAX_WANT];
    ngx_uint_t                   nwant;
    unsigned char                hash[NGX_HTTP_MANA_STATUS_MAX_WANT]
                                     [MANA_TLOG_HASH_LEN];
    u_char                       got[NGX_HTTP_MANA_STATUS_MAX_WANT];

    unsigned                     found:1;
    unsigned                     expired:1;
    unsigned                     broken:1;
    unsigned                     no_memory:1;
} ngx_http_mana_status_ctx_t;


static ngx_int_t ngx_http_mana_status_parse(ngx_http_mana_status_ctx_t *ctx,
    u_char *path, size_t len);
static ngx_int_t ngx_http_mana_status_post(ngx_http_mana_status_ctx_t *ctx,
    mana_buf_t *sql, ngx_http_mana_db_handler_pt handler);
static void ngx_http_mana_status_row(ngx_http_mana_db_job_t *job,
    ngx_uint_t stmt, MYSQL_RES *res);
static void ngx_http_mana_status_looked_up(ngx_http_mana_db_job_t *job);
static void ngx_http_mana_status_hash_rows(ngx_http_mana_db_job_t *job,
    ngx_uint_t stmt, MYSQL_RES *res);
static void ngx_http_mana_status_proved(ngx_http_mana_db_job_t *job);
static void ngx_http_mana_status_cleanup(void *data);
static ngx_int_t ngx_http_mana_status_prove(ngx_http_mana_status_ctx_t *ctx);
static ngx_int_t ngx_http_mana_status_reply(ngx_http_mana_status_ctx_t *ctx);
static ngx_int_t ngx_http_mana_status_unavailable(ngx_http_request_t *r);


ngx_int_t
ngx_http_mana_status_handler(ngx_http_request_t *r)
{
    u_char                      *path;
    size_t                       len;
    ngx_int_t                    rc;
    mana_buf_t                   sql;
    ngx_pool_cleanup_t          *cln;
    ngx_http_core_loc_conf_t    *clcf;
    ngx_http_mana_status_ctx_t  *ctx;

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        return NGX_HTTP_NOT_ALLOWED;
    }

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    ctx = ngx_pcalloc(r->pool, sizeof(ngx_http_mana_status_ctx_t));
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->request = r;
    ctx->size = -1;
    ctx->reason = -1;
    ctx->issuance.index = -1;
    ctx->revocation.index = -1;

    clcf = ngx_http_get_module_loc_conf(r, ngx_http_core_module);

    path = r->uri.data;
    len = r->uri.len;

    if (len >= clcf->name.len
        && ngx_strncmp(path, clcf->name.data, clcf->name.len) == 0)
    {
        path += clcf->name.len;
        len -= clcf->name.len;
    }

    if (len > 0 && *path == '/') {
        path++;
        len--;
    }

    if (ngx_http_mana_status_parse(ctx, path, len) != NGX_OK) {
        return ngx_http_mana_log_json_error(r, NGX_HTTP_BAD_REQUEST,
                   "bad_request", "expected <kid>/<cti>: the key id as 16 "
                   "hex digits and the certificate id as 24");
    }

    /* the latest checkpoint, and the certificate with both its leaves */
    mana_buf_init(&sql);
    mana_buf_adds(&sql, "SELECT size, root, note FROM tlog_checkpoint "
                        "ORDER BY size DESC LIMIT 1;\n"
                        "SELECT c.status, "
                        "DATE_FORMAT(c.issued_at, '%Y-%m-%dT%H:%i:%SZ'), "
                        "DATE_FORMAT(c.expires_at, '%Y-%m-%dT%H:%i:%SZ'), "
                        "DATE_FORMAT(c.revoked_at, '%Y-%m-%dT%H:%i:%SZ'), "
                        "c.revoke_reason, "
                        "c.expires_at IS NOT NULL "
                        "AND c.expires_at <= UTC_TIMESTAMP(), "
                        "c.log_index, li.leaf, c.revocation_index, lr.leaf "
                        "FROM certificate c "
                        "LEFT JOIN tlog_leaf li ON li.idx = c.log_index "
                        "LEFT JOIN tlog_leaf lr "
                        "ON lr.idx = c.revocation_index WHERE c.cti = ");
    mana_buf_add_sql_bytes(&sql, ctx->cti, MANA_MM1_CTI_LEN);
    mana_buf_adds(&sql, " AND c.kid = ");
    mana_buf_add_sql_bytes(&sql, ctx->kid, MANA_TLOG_KID_LEN);

    cln = ngx_pool_cleanup_add(r->pool, 0);
    if (cln == NULL) {
        mana_buf_free(&sql);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    cln->handler = ngx_http_mana_status_cleanup;
    cln->data = ctx;

    rc = ngx_http_mana_status_post(ctx, &sql, ngx_http_mana_status_looked_up);

    if (rc == NGX_BUSY) {
        return ngx_http_mana_status_unavailable(r);
    }

    if (rc != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    r->main->count++;

    return NGX_DONE;
}


/* exactly "<16 hex>/<24 hex>", either case */

static ngx_int_t
ngx_http_mana_status_parse(ngx_http_mana_status_ctx_t *ctx, u_char *path,
    size_t len)
{
    if (len != NGX_HTTP_MANA_STATUS_KID_HEX + 1 + NGX_HTTP_MANA_STATUS_CTI_HEX
        || path[NGX_HTTP_MANA_STATUS_KID_HEX] != '/'
        || mana_hex_decode(ctx->kid, (const char *) path, MANA_TLOG_KID_LEN)
           != 0
        || mana_hex_decode(ctx->cti, (const char *) path
                           + NGX_HTTP_MANA_STATUS_KID_HEX + 1,
                           MANA_MM1_CTI_LEN)
           != 0)
    {
        return NGX_ERROR;
    }

    /* echoed in lower case, the one spelling the log's tools print */
    mana_hex_encode(ctx->kid_hex, ctx->kid, MANA_TLOG_KID_LEN);
    mana_hex_encode(ctx->cti_hex, ctx->cti, MANA_MM1_CTI_LEN);

    return NGX_OK;
}


/*
 * Posts sql (and frees it): NGX_OK, NGX_BUSY when the pool refuses it (its
 * wait queue is full: a client should come back later), NGX_ERROR
 */
static ngx_int_t
ngx_http_mana_status_post(ngx_http_mana_status_ctx_t *ctx, mana_buf_t *sql,
    ngx_http_mana_db_handler_pt handler)
{
    ngx_http_mana_db_job_t  *job;

    job = mana_buf_failed(sql) ? NULL
          : ngx_http_mana_db_job_create(ngx_http_mana_db_pool, sql->len);

    if (job == NULL) {
        mana_buf_free(sql);
        return NGX_ERROR;
    }

    ngx_memcpy(job->sql.data, sql->data, sql->len);
    mana_buf_free(sql);

    job->handler = handler;
    job->result = handler == ngx_http_mana_status_looked_up
                  ? ngx_http_mana_status_row
                  : ngx_http_mana_status_hash_rows;
    job->data = ctx;

    if (ngx_http_mana_db_post(job) != NGX_OK) {
        ngx_http_mana_db_cancel(job);
        return NGX_BUSY;
    }

    ctx->job = job;

    return NGX_OK;
}


static void
ngx_http_mana_status_time(char *dst, const char *s, unsigned long len)
{
    if (s != NULL && len == NGX_HTTP_MANA_STATUS_TIME_LEN) {
        ngx_memcpy(dst, s, len);
    }
}


static int64_t
ngx_http_mana_status_number(const char *s, unsigned long len)
{
    off_t  n;

    if (s == NULL) {
        return -1;
    }

    n = ngx_atoof((u_char *) s, len);

    return n == NGX_ERROR || n >= MANA_TLOG_MAX_SIZE ? -1 : (int64_t) n;
}


static void
ngx_http_mana_status_leaf(ngx_http_mana_status_ctx_t *ctx,
    ngx_http_mana_status_leaf_t *l, const char *index, unsigned long index_len,
    const char *leaf, unsigned long leaf_len)
{
    if (index == NULL) {
        return;
    }

    l->index = ngx_http_mana_status_number(index, index_len);

    if (l->index < 0) {
        ctx->broken = 1;
        return;
    }

    if (leaf != NULL && leaf_len > 0 && leaf_len <= MANA_TLOG_LEAF_MAX) {
        ngx_memcpy(l->leaf, leaf, leaf_len);
        l->leaf_len = leaf_len;
    }
}


static void
ngx_http_mana_status_row(ngx_http_mana_db_job_t *job, ngx_uint_t stmt,
    MYSQL_RES *res)
{
    MYSQL_ROW                    row;
    unsigned long               *len;
    ngx_http_mana_status_ctx_t  *ctx = job->data;

    row = mysql_fetch_row(res);
    if (row == NULL) {
        return;
    }

    len = mysql_fetch_lengths(res);

    if (stmt == 0) {
        if (row[0] == NULL || row[1] == NULL || row[2] == NULL
            || len[1] != MANA_TLOG_HASH_LEN)
        {
            ctx->broken = 1;
            return;
        }

        ctx->size = ngx_http_mana_status_number(row[0], len[0]);
        ngx_memcpy(ctx->root, row[1], MANA_TLOG_HASH_LEN);

        ctx->note.data = ngx_pnalloc(ctx->request->pool, len[2]);
        if (ctx->note.data == NULL) {
            ctx->no_memory = 1;
            return;
        }

        ngx_memcpy(ctx->note.data, row[2], len[2]);
        ctx->note.len = len[2];

        if (ctx->size < 0) {
            ctx->broken = 1;
        }

        return;
    }

    if (row[0] == NULL || len[0] >= sizeof(ctx->status) || row[6] == NULL) {
        ctx->broken = 1;
        return;
    }

    ctx->found = 1;
    ngx_memcpy(ctx->status, row[0], len[0]);
    ngx_http_mana_status_time(ctx->issued_at, row[1], len[1]);
    ngx_http_mana_status_time(ctx->expires_at, row[2], len[2]);
    ngx_http_mana_status_time(ctx->revoked_at, row[3], len[3]);

    if (row[4] != NULL) {
        ctx->reason = ngx_atoi((u_char *) row[4], len[4]);
    }

    ctx->expired = row[5] != NULL && len[5] == 1 && row[5][0] == '1';

    ngx_http_mana_status_leaf(ctx, &ctx->issuance, row[6], len[6], row[7],
                              len[7]);
    ngx_http_mana_status_leaf(ctx, &ctx->revocation, row[8], len[8], row[9],
                              len[9]);
}


static int
ngx_http_mana_status_cmp(const void *one, const void *two)
{
    int64_t  a = *(const int64_t *) one;
    int64_t  b = *(const int64_t *) two;

    return a < b ? -1 : a > b;
}


/* where index idx sits in want, or -1 */

static ngx_int_t
ngx_http_mana_status_find(ngx_http_mana_status_ctx_t *ctx, int64_t idx)
{
    int64_t  *p;

    p = bsearch(&idx, ctx->want, ctx->nwant, sizeof(int64_t),
                ngx_http_mana_status_cmp);

    return p ? p - ctx->want : -1;
}


static void
ngx_http_mana_status_want(ngx_http_mana_status_ctx_t *ctx,
    const int64_t *idx, int n)
{
    int         i;
    ngx_uint_t  j, k;

    for (i = 0; i < n; i++) {
        ctx->want[ctx->nwant++] = idx[i];
    }

    ngx_qsort(ctx->want, ctx->nwant, sizeof(int64_t),
              ngx_http_mana_status_cmp);

    for (j = 0, k = 0; j < ctx->nwant; j++) {
        if (k == 0 || ctx->want[k - 1] != ctx->want[j]) {
            ctx->want[k++] = ctx->want[j];
        }
    }

    ctx->nwant = k;
}


/* a leaf the checkpoint covers: its hash and its proof; -1 out of range */

static ngx_int_t
ngx_http_mana_status_want_leaf(ngx_http_mana_status_ctx_t *ctx,
    ngx_http_mana_status_leaf_t *l)
{
    int      n;
    int64_t  idx[MANA_TLOG_MAX_INDEXES];

    if (l->index < 0 || l->index >= ctx->size) {
        return NGX_OK;
    }

    idx[0] = mana_tlog_stored_hash_index(0, l->index);
    if (idx[0] < 0) {
        return NGX_ERROR;
    }

    ngx_http_mana_status_want(ctx, idx, 1);

    n = mana_tlog_prove_record_indexes(ctx->size, l->index, idx);
    if (n < 0) {
        return NGX_ERROR;
    }

    ngx_http_mana_status_want(ctx, idx, n);

    return NGX_OK;
}


static void
ngx_http_mana_status_looked_up(ngx_http_mana_db_job_t *job)
{
    int                          n;
    int64_t                      idx[MANA_TLOG_MAX_INDEXES];
    ngx_int_t                    rc;
    ngx_uint_t                   i;
    mana_buf_t                   sql;
    ngx_http_request_t          *r;
    ngx_http_mana_status_ctx_t  *ctx = job->data;

    ctx->job = NULL;
    r = ctx->request;

    if (job->rc != NGX_OK) {
        ngx_http_finalize_request(r, ngx_http_mana_status_unavailable(r));
        return;
    }

    if (ctx->no_memory) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    if (ctx->broken || (ctx->found && ctx->issuance.leaf_len == 0)
        || (ctx->revocation.index >= 0 && ctx->revocation.leaf_len == 0))
    {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "mana status: certificate %*s: its row, its leaves or "
                      "the latest checkpoint are missing or malformed",
                      (size_t) NGX_HTTP_MANA_STATUS_CTI_HEX, ctx->cti_hex);
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    if (!ctx->found || ctx->size <= 0) {
        ngx_http_finalize_request(r, ngx_http_mana_status_reply(ctx));
        return;
    }

    n = mana_tlog_tree_hash_indexes(ctx->size, idx);

    if (n < 0
        || ngx_http_mana_status_want_leaf(ctx, &ctx->issuance) != NGX_OK
        || ngx_http_mana_status_want_leaf(ctx, &ctx->revocation) != NGX_OK)
    {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    ngx_http_mana_status_want(ctx, idx, n);

    mana_buf_init(&sql);
    mana_buf_adds(&sql, "SELECT idx, hash FROM tlog_hash WHERE idx IN (");

    for (i = 0; i < ctx->nwant; i++) {
        mana_buf_addf(&sql, "%s%lld", i ? "," : "", (long long) ctx->want[i]);
    }

    mana_buf_adds(&sql, ")");

    rc = ngx_http_mana_status_post(ctx, &sql, ngx_http_mana_status_proved);

    if (rc == NGX_BUSY) {
        ngx_http_finalize_request(r, ngx_http_mana_status_unavailable(r));

    } else if (rc != NGX_OK) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
    }
}


static void
ngx_http_mana_status_hash_rows(ngx_http_mana_db_job_t *job, ngx_uint_t stmt,
    MYSQL_RES *res)
{
    int64_t                      idx;
    ngx_int_t                    at;
    MYSQL_ROW                    row;
    unsigned long               *len;
    ngx_http_mana_status_ctx_t  *ctx = job->data;

    while ((row = mysql_fetch_row(res)) != NULL) {
        len = mysql_fetch_lengths(res);

        if (row[0] == NULL || row[1] == NULL
            || len[1] != MANA_TLOG_HASH_LEN)
        {
            continue;
        }

        idx = ngx_http_mana_status_number(row[0], len[0]);
        at = idx < 0 ? -1 : ngx_http_mana_status_find(ctx, idx);

        if (at >= 0) {
            ngx_memcpy(ctx->hash[at], row[1], MANA_TLOG_HASH_LEN);
            ctx->got[at] = 1;
        }
    }
}


static void
ngx_http_mana_status_proved(ngx_http_mana_db_job_t *job)
{
    ngx_int_t                    rc;
    ngx_http_request_t          *r;
    ngx_http_mana_status_ctx_t  *ctx = job->data;

    ctx->job = NULL;
    r = ctx->request;

    if (job->rc != NGX_OK) {
        rc = ngx_http_mana_status_unavailable(r);

    } else if (ngx_http_mana_status_prove(ctx) != NGX_OK) {
        rc = NGX_HTTP_INTERNAL_SERVER_ERROR;

    } else {
        rc = ngx_http_mana_status_reply(ctx);
    }

    ngx_http_finalize_request(r, rc);
}


static void
ngx_http_mana_status_cleanup(void *data)
{
    ngx_http_mana_status_ctx_t  *ctx = data;

    if (ctx->job) {
        ngx_http_mana_db_cancel(ctx->job);
        ctx->job = NULL;
    }
}


/* the stored hashes at idx[0..n) into out; NGX_ERROR when one is missing */

static ngx_int_t
ngx_http_mana_status_hashes(ngx_http_mana_status_ctx_t *ctx,
    const int64_t *idx, int n, unsigned char (*out)[MANA_TLOG_HASH_LEN])
{
    int        i;
    ngx_int_t  at;

    for (i = 0; i < n; i++) {
        at = ngx_http_mana_status_find(ctx, idx[i]);

        if (at < 0 || !ctx->got[at]) {
            ngx_log_error(NGX_LOG_ERR, ctx->request->connection->log, 0,
                          "mana status: stored hash %L is missing from "
                          "tlog_hash though the checkpoint covers it",
                          idx[i]);
            return NGX_ERROR;
        }

        ngx_memcpy(out[i], ctx->hash[at], MANA_TLOG_HASH_LEN);
    }

    return NGX_OK;
}


/*
 * The leaf's proof at the checkpoint's size, checked against the signed
 * root with the hash of the leaf bytes the answer carries: what a client
 * will check, the module checks first.
 */
static ngx_int_t
ngx_http_mana_status_prove_leaf(ngx_http_mana_status_ctx_t *ctx,
    ngx_http_mana_status_leaf_t *l)
{
    int                n;
    int64_t            idx[MANA_TLOG_MAX_INDEXES];
    unsigned char      h[MANA_TLOG_HASH_LEN];
    unsigned char      hashes[MANA_TLOG_MAX_INDEXES][MANA_TLOG_HASH_LEN];
    mana_tlog_rc_e     rc;
    mana_tlog_leaf_t   parsed;

    if (l->index < 0 || l->index >= ctx->size) {
        return NGX_OK;
    }

    if (mana_tlog_leaf_parse(&parsed, l->leaf, l->leaf_len) != 0
        || ngx_memcmp(parsed.kid, ctx->kid, MANA_TLOG_KID_LEN) != 0
        || mana_tlog_leaf_hash(h, l->leaf, l->leaf_len) != 0)
    {
        ngx_log_error(NGX_LOG_ERR, ctx->request->connection->log, 0,
                      "mana status: leaf %L is not a leaf of key %*s",
                      l->index, (size_t) NGX_HTTP_MANA_STATUS_KID_HEX,
                      ctx->kid_hex);
        return NGX_ERROR;
    }

    n = mana_tlog_prove_record_indexes(ctx->size, l->index, idx);
    if (n < 0 || ngx_http_mana_status_hashes(ctx, idx, n, hashes) != NGX_OK) {
        return NGX_ERROR;
    }

    rc = mana_tlog_prove_record_from(ctx->size, l->index,
             (const unsigned char (*)[MANA_TLOG_HASH_LEN]) hashes, n,
             l->proof, &l->proof_len);

    if (rc == MANA_TLOG_OK) {
        rc = mana_tlog_check_record(
                 (const unsigned char (*)[MANA_TLOG_HASH_LEN]) l->proof,
                 l->proof_len, ctx->size, ctx->root, l->index, h);
    }

    if (rc != MANA_TLOG_OK) {
        ngx_log_error(NGX_LOG_ERR, ctx->request->connection->log, 0,
                      "mana status: leaf %L does not prove against the "
                      "checkpoint of size %L: %d", l->index, ctx->size,
                      (int) rc);
        return NGX_ERROR;
    }

    return NGX_OK;
}


static ngx_int_t
ngx_http_mana_status_prove(ngx_http_mana_status_ctx_t *ctx)
{
    int             n;
    int64_t         idx[MANA_TLOG_MAX_INDEXES];
    unsigned char   root[MANA_TLOG_HASH_LEN];
    unsigned char   hashes[MANA_TLOG_MAX_INDEXES][MANA_TLOG_HASH_LEN];

    /* the stored hashes must give the root the checkpoint signed */
    n = mana_tlog_tree_hash_indexes(ctx->size, idx);

    if (n < 0 || ngx_http_mana_status_hashes(ctx, idx, n, hashes) != NGX_OK
        || mana_tlog_tree_hash_from(ctx->size,
               (const unsigned char (*)[MANA_TLOG_HASH_LEN]) hashes, n, root)
           != MANA_TLOG_OK)
    {
        return NGX_ERROR;
    }

    if (ngx_memcmp(root, ctx->root, MANA_TLOG_HASH_LEN) != 0) {
        ngx_log_error(NGX_LOG_ERR, ctx->request->connection->log, 0,
                      "mana status: the stored hashes do not give the root "
                      "of the checkpoint of size %L", ctx->size);
        return NGX_ERROR;
    }

    if (ngx_http_mana_status_prove_leaf(ctx, &ctx->issuance) != NGX_OK
        || ngx_http_mana_status_prove_leaf(ctx, &ctx->revocation) != NGX_OK)
    {
        return NGX_ERROR;
    }

    return NGX_OK;
}


static void
ngx_http_mana_status_add_time(mana_buf_t *b, const char *name,
    const char *t)
{
    mana_buf_addf(b, ",\"%s\":", name);

    if (t[0] == '\0') {
        mana_buf_adds(b, "null");
        return;
    }

    mana_buf_add_json_str(b, t, NGX_HTTP_MANA_STATUS_TIME_LEN);
}


static void
ngx_http_mana_status_add_leaf(mana_buf_t *b, ngx_http_mana_status_ctx_t *ctx,
    const char *name, ngx_http_mana_status_leaf_t *l)
{
    size_t  i;

    mana_buf_addf(b, ",\"%s\":{\"index\":%lld,\"leaf\":\"", name,
                  (long long) l->index);
    mana_base64_encode_buf(MANA_BASE64_STD, b, l->leaf, l->leaf_len);
    mana_buf_adds(b, "\"");

    /* appended after the latest checkpoint: the next one will cover it */
    if (l->index >= ctx->size) {
        mana_buf_adds(b, ",\"pending\":true}");
        return;
    }

    mana_buf_adds(b, ",\"proof\":[");

    for (i = 0; i < l->proof_len; i++) {
        mana_buf_adds(b, i ? ",\"" : "\"");
        mana_base64_encode_buf(MANA_BASE64_STD, b, l->proof[i],
                               MANA_TLOG_HASH_LEN);
        mana_buf_adds(b, "\"");
    }

    mana_buf_adds(b, "]}");
}


static ngx_int_t
ngx_http_mana_status_reply(ngx_http_mana_status_ctx_t *ctx)
{
    u_char              *body;
    ngx_int_t            rc;
    ngx_uint_t           status;
    mana_buf_t           b;
    const char          *verdict;
    ngx_http_request_t  *r;

    r = ctx->request;

    mana_buf_init(&b);
    mana_buf_adds(&b, "{\"kid\":\"");
    mana_buf_add(&b, ctx->kid_hex, NGX_HTTP_MANA_STATUS_KID_HEX);
    mana_buf_adds(&b, "\",\"cti\":\"");
    mana_buf_add(&b, ctx->cti_hex, NGX_HTTP_MANA_STATUS_CTI_HEX);
    mana_buf_adds(&b, "\",\"status\":");

    if (!ctx->found) {
        status = NGX_HTTP_NOT_FOUND;
        mana_buf_adds(&b, "\"unknown\"}\n");
        goto send;
    }

    status = NGX_HTTP_OK;

    /* revoked or superseded outrank an expiry: the log records them */
    verdict = ngx_strcmp(ctx->status, "valid") != 0 ? ctx->status
              : ctx->expired ? "expired" : "valid";

    mana_buf_add_json_str(&b, verdict, ngx_strlen(verdict));
    ngx_http_mana_status_add_time(&b, "issued_at", ctx->issued_at);
    ngx_http_mana_status_add_time(&b, "expires_at", ctx->expires_at);
    ngx_http_mana_status_add_time(&b, "revoked_at", ctx->revoked_at);

    if (ctx->reason >= 0) {
        mana_buf_addf(&b, ",\"reason\":%d", (int) ctx->reason);

    } else {
        mana_buf_adds(&b, ",\"reason\":null");
    }

    mana_buf_adds(&b, ",\"checkpoint\":");

    if (ctx->size < 0) {
        mana_buf_adds(&b, "null");

    } else {
        mana_buf_add_json_str(&b, (const char *) ctx->note.data,
                              ctx->note.len);
    }

    ngx_http_mana_status_add_leaf(&b, ctx, "issuance", &ctx->issuance);

    if (ctx->revocation.index >= 0) {
        ngx_http_mana_status_add_leaf(&b, ctx, "revocation",
                                      &ctx->revocation);
    }

    mana_buf_adds(&b, "}\n");

send:

    body = mana_buf_failed(&b) ? NULL : ngx_pnalloc(r->pool, b.len);
    if (body == NULL) {
        mana_buf_free(&b);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_memcpy(body, b.data, b.len);

    /* a revocation must reach clients at once */
    rc = ngx_http_mana_log_send(r, status, "application/json", "no-cache",
                                body, b.len);
    mana_buf_free(&b);

    return rc;
}


static ngx_int_t
ngx_http_mana_status_unavailable(ngx_http_request_t *r)
{
    return ngx_http_mana_log_json_error(r, NGX_HTTP_SERVICE_UNAVAILABLE,
                                        "unavailable", "the database is "
                                        "unavailable: try again in a "
                                        "minute");
}
