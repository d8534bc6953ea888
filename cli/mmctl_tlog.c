
/*
 * Appending to the issuance log (docs/certificates-log.md): one leaf row,
 * the stored hashes it completes, and the new size, all in the
 * transaction of the certificate or revocation the leaf records, so the
 * log and the certificates never disagree.
 */

#include <stdlib.h>
#include <string.h>

#include "mmctl_tlog.h"
#include "mana_buf.h"


static int mmctl_tlog_state(mmctl_ctx_t *ctx, int lock, int64_t *size);


int
mmctl_tlog_lock(mmctl_ctx_t *ctx, int64_t *size)
{
    return mmctl_tlog_state(ctx, 1, size);
}


int
mmctl_tlog_size(mmctl_ctx_t *ctx, int64_t *size)
{
    return mmctl_tlog_state(ctx, 0, size);
}


static int
mmctl_tlog_state(mmctl_ctx_t *ctx, int lock, int64_t *size)
{
    char           *end;
    MYSQL_RES      *res;
    MYSQL_ROW       row;
    unsigned long long  v;

    if (mysql_query(ctx->mysql,
                    lock ? "SELECT size FROM tlog_state WHERE id = 1 "
                           "FOR UPDATE"
                         : "SELECT size FROM tlog_state WHERE id = 1")
        != 0
        || (res = mysql_store_result(ctx->mysql)) == NULL)
    {
        return mmctl_query_error(ctx, lock ? "cannot lock the issuance log"
                                           : "cannot read the issuance "
                                             "log's size");
    }

    row = mysql_fetch_row(res);

    if (row == NULL || row[0] == NULL) {
        mysql_free_result(res);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "the issuance log "
                           "has no tlog_state row: run \"mmctl db "
                           "migrate\"");
    }

    v = strtoull(row[0], &end, 10);
    mysql_free_result(res);

    if (*end != '\0' || v >= (unsigned long long) MANA_TLOG_MAX_SIZE) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "the issuance log "
                           "is full or its size is not a number");
    }

    *size = (int64_t) v;

    return MMCTL_OK;
}


int
mmctl_tlog_read(void *data, const int64_t *indexes, size_t n,
    unsigned char (*out)[MANA_TLOG_HASH_LEN])
{
    size_t          i, found;
    int64_t         idx;
    MYSQL_RES      *res;
    MYSQL_ROW       row;
    mana_buf_t      sql;
    mmctl_ctx_t    *ctx = data;
    unsigned long  *len;

    if (n == 0) {
        return 0;
    }

    mana_buf_init(&sql);
    mana_buf_adds(&sql, "SELECT idx, hash FROM tlog_hash WHERE idx IN (");

    for (i = 0; i < n; i++) {
        mana_buf_addf(&sql, "%s%lld", i ? "," : "", (long long) indexes[i]);
    }

    mana_buf_adds(&sql, ")");

    if (mana_buf_failed(&sql)
        || mysql_real_query(ctx->mysql, sql.data, sql.len) != 0
        || (res = mysql_store_result(ctx->mysql)) == NULL)
    {
        mana_buf_free(&sql);
        return -1;
    }

    mana_buf_free(&sql);

    /* the rows come in any order: each goes where its index was asked */
    found = 0;

    while ((row = mysql_fetch_row(res)) != NULL) {
        len = mysql_fetch_lengths(res);

        if (row[0] == NULL || row[1] == NULL
            || len[1] != MANA_TLOG_HASH_LEN)
        {
            mysql_free_result(res);
            return -1;
        }

        idx = (int64_t) strtoll(row[0], NULL, 10);

        for (i = 0; i < n; i++) {
            if (indexes[i] == idx) {
                memcpy(out[i], row[1], MANA_TLOG_HASH_LEN);
                found++;
            }
        }
    }

    mysql_free_result(res);

    return found == n ? 0 : -1;
}


int
mmctl_tlog_append(mmctl_ctx_t *ctx, int64_t size, const unsigned char *leaf,
    size_t len)
{
    size_t          i, nh;
    int64_t         first;
    mana_buf_t      sql;
    unsigned char   lh[MANA_TLOG_HASH_LEN];
    unsigned char   hashes[MANA_TLOG_MAX_LEVEL + 1][MANA_TLOG_HASH_LEN];

    if (mana_tlog_leaf_hash(lh, leaf, len) != 0) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot hash the "
                           "log leaf");
    }

    if (mana_tlog_stored_hashes(size, lh, mmctl_tlog_read, ctx, hashes, &nh)
        != MANA_TLOG_OK)
    {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot compute the "
                           "log's new hashes: a stored hash of the first "
                           "%lld leaves is missing or malformed",
                           (long long) size);
    }

    first = mana_tlog_stored_hash_index(0, size);

    mana_buf_init(&sql);
    mana_buf_addf(&sql, "INSERT INTO tlog_leaf (idx, leaf) VALUES (%lld, ",
                  (long long) size);
    mana_buf_add_sql_bytes(&sql, leaf, len);
    mana_buf_adds(&sql, ")");

    if (mana_buf_failed(&sql)) {
        mana_buf_free(&sql);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    if (mysql_real_query(ctx->mysql, sql.data, sql.len) != 0) {
        mana_buf_free(&sql);
        return mmctl_query_error(ctx, "cannot append the log leaf");
    }

    mana_buf_free(&sql);

    /* the hashes appending leaf n stores follow one another from first */
    mana_buf_init(&sql);
    mana_buf_adds(&sql, "INSERT INTO tlog_hash (idx, hash) VALUES ");

    for (i = 0; i < nh; i++) {
        mana_buf_addf(&sql, "%s(%lld, ", i ? ", " : "",
                      (long long) (first + (int64_t) i));
        mana_buf_add_sql_bytes(&sql, hashes[i], MANA_TLOG_HASH_LEN);
        mana_buf_adds(&sql, ")");
    }

    if (mana_buf_failed(&sql)) {
        mana_buf_free(&sql);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    if (mysql_real_query(ctx->mysql, sql.data, sql.len) != 0) {
        mana_buf_free(&sql);
        return mmctl_query_error(ctx, "cannot store the log's hashes");
    }

    mana_buf_free(&sql);

    return mmctl_exec(ctx, "cannot grow the issuance log",
                      "UPDATE tlog_state SET size = size + 1 WHERE id = 1");
}
