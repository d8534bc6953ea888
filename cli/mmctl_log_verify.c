
/*
 * "mmctl log verify": the stored issuance log against what was signed.
 * Nothing stored is taken on trust: every stored hash is recomputed from
 * the leaves, the roots from those, and the signed checkpoints are
 * checked with the log's public key; a row changed behind mmctl's back,
 * a leaf or a hash, shows as a failure that names it.  Every check runs,
 * so that one failure does not hide another.
 */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mmctl_log.h"
#include "mmctl_cert.h"
#include "mmctl_key.h"
#include "mmctl_tlog.h"
#include "mmctl_text.h"
#include "mmctl_catalogue.h"
#include "mana_base64.h"
#include "mana_note.h"


enum {
    MMCTL_LOG_VER_CERT = 0,
    MMCTL_LOG_VER_LOG_KEY
};


typedef struct {
    mmctl_ctx_t     *ctx;
    json_t          *checks;
    size_t           failed;
    char             first[512];    /* the first failure, for the error */
} mmctl_log_report_t;


/* the log recomputed from its leaves, held in memory */
typedef struct {
    int64_t          size;
    unsigned char  (*leaf)[MANA_TLOG_LEAF_MAX];
    size_t          *leaf_len;
    unsigned char  (*hash)[MANA_TLOG_HASH_LEN];    /* the stored order */
    int64_t          nhash;
} mmctl_log_tree_t;


static void mmctl_log_check(mmctl_log_report_t *r, int ok, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));


static void
mmctl_log_check(mmctl_log_report_t *r, int ok, const char *fmt, ...)
{
    char     text[512];
    va_list  ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);

    if (!ok && r->failed++ == 0) {
        snprintf(r->first, sizeof(r->first), "%s", text);
    }

    json_array_append_new(r->checks, json_pack("{s:s,s:b}", "check", text,
                                               "ok", ok));

    if (!r->ctx->json) {
        printf("%-4s  %s\n", ok ? "ok" : "FAIL", text);
    }
}


/* a mana_tlog_read_pt over the recomputed hashes */

static int
mmctl_log_tree_read(void *data, const int64_t *indexes, size_t n,
    unsigned char (*out)[MANA_TLOG_HASH_LEN])
{
    size_t             i;
    mmctl_log_tree_t  *t = data;

    for (i = 0; i < n; i++) {
        if (indexes[i] < 0 || indexes[i] >= t->nhash) {
            return -1;
        }

        memcpy(out[i], t->hash[indexes[i]], MANA_TLOG_HASH_LEN);
    }

    return 0;
}


static void
mmctl_log_tree_free(mmctl_log_tree_t *t)
{
    free(t->leaf);
    free(t->leaf_len);
    free(t->hash);
}


/*
 * Reads tlog_leaf whole, checks that it holds leaves 0 .. size-1, each a
 * well-formed leaf, and computes every stored hash from them as appends
 * would have.  A failure is reported; MMCTL_OK unless the database or
 * memory failed.
 */

static int
mmctl_log_tree_build(mmctl_log_report_t *r, int64_t size,
    mmctl_log_tree_t *t)
{
    int                 gap;
    size_t              nh, i, leaf_len;
    int64_t             n, idx, bad;
    MYSQL_RES          *res;
    MYSQL_ROW           row;
    mmctl_ctx_t        *ctx = r->ctx;
    unsigned long      *len;
    mana_tlog_leaf_t    parsed;
    unsigned char       lh[MANA_TLOG_HASH_LEN];
    unsigned char       out[MANA_TLOG_MAX_LEVEL + 1][MANA_TLOG_HASH_LEN];

    memset(t, 0, sizeof(mmctl_log_tree_t));

    t->nhash = mana_tlog_stored_hash_count(size);

    if (t->nhash < 0) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "the log's size %lld "
                           "is out of range", (long long) size);
    }

    t->leaf = malloc((size_t) (size ? size : 1) * MANA_TLOG_LEAF_MAX);
    t->leaf_len = calloc((size_t) (size ? size : 1), sizeof(size_t));
    t->hash = malloc((size_t) (t->nhash ? t->nhash : 1) * MANA_TLOG_HASH_LEN);

    if (t->leaf == NULL || t->leaf_len == NULL || t->hash == NULL) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory for "
                           "a log of %lld leaves", (long long) size);
    }

    if (mysql_query(ctx->mysql, "SELECT idx, leaf FROM tlog_leaf ORDER BY idx")
        != 0
        || (res = mysql_use_result(ctx->mysql)) == NULL)
    {
        return mmctl_query_error(ctx, "cannot read tlog_leaf");
    }

    n = 0;
    gap = 0;
    bad = -1;

    while ((row = mysql_fetch_row(res)) != NULL) {
        len = mysql_fetch_lengths(res);
        idx = (int64_t) strtoll(row[0], NULL, 10);

        if (idx != n || n >= size) {
            gap = 1;
            continue;
        }

        leaf_len = (row[1] && len[1] <= MANA_TLOG_LEAF_MAX) ? len[1] : 0;

        if (leaf_len == 0
            || mana_tlog_leaf_parse(&parsed, (unsigned char *) row[1],
                                    leaf_len) != 0)
        {
            if (bad < 0) {
                bad = n;
            }
        }

        if (leaf_len) {
            memcpy(t->leaf[n], row[1], leaf_len);
        }

        t->leaf_len[n] = leaf_len;
        n++;
    }

    mysql_free_result(res);

    t->size = n;

    mmctl_log_check(r, !gap && n == size, "tlog_leaf holds leaves 0 to %lld, "
                    "no gap, none beyond (found %lld in order)",
                    (long long) size - 1, (long long) n);

    if (bad >= 0) {
        mmctl_log_check(r, 0, "leaf %lld is not a well-formed issuance or "
                        "revocation leaf", (long long) bad);
    }

    for (idx = 0; idx < n; idx++) {
        if (mana_tlog_leaf_hash(lh, t->leaf[idx], t->leaf_len[idx]) != 0
            || mana_tlog_stored_hashes(idx, lh, mmctl_log_tree_read, t, out,
                                       &nh) != MANA_TLOG_OK)
        {
            return mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot compute "
                               "the hashes of leaf %lld", (long long) idx);
        }

        for (i = 0; i < nh; i++) {
            memcpy(t->hash[mana_tlog_stored_hash_index(0, idx) + (int64_t) i],
                   out[i], MANA_TLOG_HASH_LEN);
        }
    }

    /* a short tree: only the hashes its leaves give are meaningful */
    t->nhash = mana_tlog_stored_hash_count(n);

    return MMCTL_OK;
}


/* tlog_hash, row by row, against the hashes recomputed from the leaves */

static int
mmctl_log_compare_hashes(mmctl_log_report_t *r, mmctl_log_tree_t *t)
{
    int             level;
    int64_t         idx, next, node, bad, rows;
    MYSQL_RES      *res;
    MYSQL_ROW       row;
    mmctl_ctx_t    *ctx = r->ctx;
    unsigned long  *len;

    if (mysql_query(ctx->mysql, "SELECT idx, hash FROM tlog_hash ORDER BY idx")
        != 0
        || (res = mysql_use_result(ctx->mysql)) == NULL)
    {
        return mmctl_query_error(ctx, "cannot read tlog_hash");
    }

    next = 0;
    bad = -1;
    rows = 0;

    while ((row = mysql_fetch_row(res)) != NULL) {
        len = mysql_fetch_lengths(res);
        idx = (int64_t) strtoll(row[0], NULL, 10);
        rows++;

        if (bad >= 0) {
            continue;
        }

        if (idx != next || idx >= t->nhash || row[1] == NULL
            || len[1] != MANA_TLOG_HASH_LEN
            || memcmp(row[1], t->hash[idx], MANA_TLOG_HASH_LEN) != 0)
        {
            bad = idx != next ? next : idx;
        }

        next++;
    }

    mysql_free_result(res);

    if (bad < 0 && rows != t->nhash) {
        bad = rows < t->nhash ? rows : t->nhash;
    }

    if (bad < 0) {
        mmctl_log_check(r, 1, "tlog_hash: all %lld stored hashes are the "
                        "hashes recomputed from tlog_leaf", (long long) rows);
        return MMCTL_OK;
    }

    if (bad >= t->nhash || mana_tlog_split_stored_hash_index(bad, &level,
                                                             &node) != 0)
    {
        mmctl_log_check(r, 0, "tlog_hash: %lld rows where the leaves give "
                        "%lld hashes", (long long) rows,
                        (long long) t->nhash);

    } else if (level == 0) {
        mmctl_log_check(r, 0, "tlog_hash row %lld, the hash of leaf %lld, is "
                        "not the hash of that leaf in tlog_leaf (the leaf or "
                        "the hash was altered)", (long long) bad,
                        (long long) node);

    } else {
        mmctl_log_check(r, 0, "tlog_hash row %lld, the hash of leaves %lld to "
                        "%lld, is not the hash recomputed from tlog_leaf",
                        (long long) bad, (long long) (node << level),
                        (long long) (((node + 1) << level) - 1));
    }

    return MMCTL_OK;
}


/* the signature and text of one stored checkpoint */

static void
mmctl_log_check_note(mmctl_log_report_t *r, const char *which,
    mmctl_log_checkpoint_t *cp, const mana_note_key_t *known, size_t nknown)
{
    size_t                   text_len;
    mana_note_rc_e           rc;
    mana_note_checkpoint_t   parsed;

    rc = mana_note_open(cp->note.data, cp->note.len, known, nknown,
                        &text_len, NULL);

    if (rc != MANA_NOTE_OK) {
        mmctl_log_check(r, 0, "%s checkpoint (size %lld): %s", which,
                        (long long) cp->size,
                        rc == MANA_NOTE_BAD_SIGNATURE
                        ? "its signature does not verify with the log key"
                        : rc == MANA_NOTE_UNVERIFIED
                        ? "no log key signed it"
                        : "it is not a well-formed signed note");
        return;
    }

    if (mana_note_checkpoint_parse(&parsed, cp->note.data, text_len) != 0
        || parsed.size != cp->size
        || memcmp(parsed.root, cp->root, MANA_TLOG_HASH_LEN) != 0)
    {
        mmctl_log_check(r, 0, "%s checkpoint (size %lld): the signed text "
                        "does not say the size and root of its row", which,
                        (long long) cp->size);
        return;
    }

    mmctl_log_check(r, 1, "%s checkpoint (size %lld): signed by the log key",
                    which, (long long) cp->size);
}


/* the leaf at index idx proved in the checkpoint cp from tlog_hash */

static void
mmctl_log_check_inclusion(mmctl_log_report_t *r, const char *what,
    int64_t idx, const unsigned char *leaf, size_t len,
    const mmctl_log_checkpoint_t *cp)
{
    size_t          proof_len;
    unsigned char   lh[MANA_TLOG_HASH_LEN];
    unsigned char   proof[MANA_TLOG_MAX_PROOF][MANA_TLOG_HASH_LEN];

    if (idx >= cp->size) {
        mmctl_log_check(r, 0, "%s (leaf %lld): not yet in the latest "
                        "checkpoint (size %lld): run \"mmctl log "
                        "checkpoint\"", what, (long long) idx,
                        (long long) cp->size);
        return;
    }

    mmctl_log_check(r,
        mana_tlog_leaf_hash(lh, leaf, len) == 0
        && mana_tlog_prove_record(cp->size, idx, mmctl_tlog_read, r->ctx,
                                  proof, &proof_len) == MANA_TLOG_OK
        && mana_tlog_check_record(proof, proof_len, cp->size, cp->root, idx,
                                  lh) == MANA_TLOG_OK,
        "%s (leaf %lld): included in the checkpoint of size %lld", what,
        (long long) idx, (long long) cp->size);
}


static int
mmctl_log_check_cert(mmctl_log_report_t *r, const char *id,
    const mmctl_log_tree_t *t, const mmctl_log_checkpoint_t *cp)
{
    int             rc;
    char            what[128];
    int64_t         i, found;
    mmctl_cert_t   *c;
    mmctl_certs_t   certs;
    unsigned char   leaf[MANA_TLOG_LEAF_MAX];

    rc = mmctl_cert_find(r->ctx, id, 0, &certs, &c);
    if (rc != MMCTL_OK) {
        return rc;
    }

    snprintf(what, sizeof(what), "certificate %s: issuance", c->cti_hex);

    if (mmctl_cert_issuance_leaf(c, leaf) != 0) {
        mmctl_certs_free(&certs);
        return mmctl_error(r->ctx, MMCTL_FAILED, "failed", "cannot make the "
                           "issuance leaf of %s", c->cti_hex);
    }

    if (c->log_index >= t->size
        || t->leaf_len[c->log_index] != MANA_TLOG_ISSUANCE_LEAF_LEN
        || memcmp(t->leaf[c->log_index], leaf, MANA_TLOG_ISSUANCE_LEAF_LEN)
           != 0)
    {
        mmctl_log_check(r, 0, "%s: leaf %lld is not the leaf of the "
                        "certificate's row", what, (long long) c->log_index);

    } else {
        mmctl_log_check_inclusion(r, what, c->log_index, leaf,
                                  MANA_TLOG_ISSUANCE_LEAF_LEN, cp);
    }

    if (c->revoked_at >= 0) {
        snprintf(what, sizeof(what), "certificate %s: revocation",
                 c->cti_hex);

        found = -1;

        if (c->reason >= 0
            && mana_tlog_revocation_leaf(leaf, c->kid, c->cti,
                                         MANA_MM1_CTI_LEN,
                                         (uint64_t) c->revoked_at,
                                         (unsigned) c->reason) == 0)
        {
            for (i = 0; i < t->size && found < 0; i++) {
                if (t->leaf_len[i] == MANA_TLOG_REVOCATION_LEAF_LEN
                    && memcmp(t->leaf[i], leaf, MANA_TLOG_REVOCATION_LEAF_LEN)
                       == 0)
                {
                    found = i;
                }
            }
        }

        if (found < 0) {
            mmctl_log_check(r, 0, "%s: revoked in its row, but no leaf of "
                            "the log records that revocation", what);

        } else {
            mmctl_log_check_inclusion(r, what, found, leaf,
                                      MANA_TLOG_REVOCATION_LEAF_LEN, cp);
        }
    }

    mmctl_certs_free(&certs);

    return MMCTL_OK;
}


/* the keys a checkpoint may be signed with: the pinned one, or the db's */

static int
mmctl_log_known_keys(mmctl_ctx_t *ctx, const char *vkey,
    mana_note_key_t *known, size_t *nknown)
{
    int            rc;
    size_t         i;
    mmctl_keys_t   keys;

    *nknown = 0;

    if (vkey) {
        if (mana_note_key_parse(&known[0], vkey, strlen(vkey)) != 0) {
            return mmctl_usage_error(ctx, "--log-key \"%s\": expected a "
                                     "verifier key NAME+HASH+KEY", vkey);
        }

        *nknown = 1;
        return MMCTL_OK;
    }

    rc = mmctl_key_read(ctx, "purpose = 'log'", 0, &keys);
    if (rc != MMCTL_OK) {
        return rc;
    }

    for (i = 0; i < keys.n && *nknown < MANA_NOTE_MAX_KNOWN; i++) {
        if (mana_note_key_from_public(&known[*nknown], keys.v[i].name,
                                      strlen(keys.v[i].name), keys.v[i].pub)
            == 0)
        {
            (*nknown)++;
        }
    }

    mmctl_keys_free(&keys);

    if (*nknown == 0) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "there is no log key "
                           "to check the checkpoints with");
    }

    return MMCTL_OK;
}


int
mmctl_log_verify(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int                       rc, i;
    char                      root64[64];
    size_t                    found, nknown, k, proof_len;
    int64_t                   size;
    const char               *v;
    mmctl_log_tree_t          tree;
    mmctl_log_report_t        r;
    mana_note_key_t           known[MANA_NOTE_MAX_KNOWN];
    mmctl_log_checkpoint_t    cp[2];
    unsigned char             root[MANA_TLOG_HASH_LEN];
    unsigned char             proof[MANA_TLOG_MAX_PROOF][MANA_TLOG_HASH_LEN];

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    memset(known, 0, sizeof(known));

    rc = mmctl_log_known_keys(ctx, args->opt[MMCTL_LOG_VER_LOG_KEY], known,
                              &nknown);
    if (rc != MMCTL_OK) {
        return rc;
    }

    memset(&tree, 0, sizeof(tree));
    memset(&r, 0, sizeof(r));
    r.ctx = ctx;
    r.checks = json_array();
    found = 0;

    if (r.checks == NULL) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
        goto done;
    }

    /* one snapshot: appends committed meanwhile are not half seen */
    rc = mmctl_exec(ctx, "cannot start a transaction",
                    "START TRANSACTION WITH CONSISTENT SNAPSHOT");
    if (rc != MMCTL_OK) {
        goto done;
    }

    rc = mmctl_log_checkpoints(ctx, cp, 2, &found);
    if (rc != MMCTL_OK) {
        goto done;
    }

    if (found == 0) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "the log has no "
                         "checkpoint yet: \"mmctl log checkpoint\" signs "
                         "one");
        goto done;
    }

    rc = mmctl_tlog_size(ctx, &size);
    if (rc != MMCTL_OK) {
        goto done;
    }

    mmctl_log_check_note(&r, "latest", &cp[0], known, nknown);

    if (found == 2) {
        mmctl_log_check_note(&r, "previous", &cp[1], known, nknown);

        mmctl_log_check(&r,
            cp[1].size == 0
            || (mana_tlog_prove_tree(cp[0].size, cp[1].size, mmctl_tlog_read,
                                     ctx, proof, &proof_len) == MANA_TLOG_OK
                && mana_tlog_check_tree(proof, proof_len, cp[0].size,
                                        cp[0].root, cp[1].size, cp[1].root)
                   == MANA_TLOG_OK),
            "the latest checkpoint (size %lld) extends the previous one "
            "(size %lld)", (long long) cp[0].size, (long long) cp[1].size);
    }

    mmctl_log_check(&r, cp[0].size <= size, "the log's size %lld is at least "
                    "the latest checkpoint's", (long long) size);

    rc = mmctl_log_tree_build(&r, size, &tree);
    if (rc != MMCTL_OK) {
        goto done;
    }

    rc = mmctl_log_compare_hashes(&r, &tree);
    if (rc != MMCTL_OK) {
        goto done;
    }

    for (k = 0; k < found; k++) {
        mmctl_log_check(&r,
            cp[k].size <= tree.size
            && mana_tlog_tree_hash(cp[k].size, mmctl_log_tree_read, &tree,
                                   root) == MANA_TLOG_OK
            && memcmp(root, cp[k].root, sizeof(root)) == 0,
            "the %s checkpoint's root is the root of the first %lld leaves "
            "of tlog_leaf", k == 0 ? "latest" : "previous",
            (long long) cp[k].size);

        mmctl_log_check(&r,
            mana_tlog_tree_hash(cp[k].size, mmctl_tlog_read, ctx, root)
            == MANA_TLOG_OK
            && memcmp(root, cp[k].root, sizeof(root)) == 0,
            "the %s checkpoint's root is the root tlog_hash gives for size "
            "%lld", k == 0 ? "latest" : "previous", (long long) cp[k].size);
    }

    for (i = 0; (v = mmctl_args_next(args, MMCTL_LOG_VER_CERT, &i)); ) {
        rc = mmctl_log_check_cert(&r, v, &tree, &cp[0]);
        if (rc != MMCTL_OK) {
            goto done;
        }
    }

    mmctl_exec(ctx, "cannot end the transaction", "COMMIT");

    if (ctx->json) {
        mana_base64_encode(MANA_BASE64_STD, root64, cp[0].root,
                           MANA_TLOG_HASH_LEN);
        root64[mana_base64_encoded_len(MANA_BASE64_STD,
                                       MANA_TLOG_HASH_LEN)] = '\0';

        rc = mmctl_text_print_json(ctx, json_pack("{s:b,s:I,s:{s:I,s:s},s:O}",
                                   "ok", r.failed == 0,
                                   "size", (json_int_t) size,
                                   "checkpoint",
                                   "size", (json_int_t) cp[0].size,
                                   "root", root64,
                                   "checks", r.checks));
    }

    if (rc == MMCTL_OK && r.failed) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "the issuance log does "
                         "not verify (%zu check%s failed): %s", r.failed,
                         r.failed == 1 ? "" : "s", r.first);
    }

done:

    json_decref(r.checks);
    mmctl_log_tree_free(&tree);
    mmctl_log_checkpoints_free(cp, found);

    for (k = 0; k < nknown; k++) {
        mana_note_key_free(&known[k]);
    }

    return rc;
}
