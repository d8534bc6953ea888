/*
 * The issuance log's tree maths: RFC 6962 roots, the stored-hash order,
 * proofs for every pair of sizes of small logs (and that no altered proof
 * passes), real Certificate Transparency proofs, proofs near the largest
 * tree, tiles, entry bundles and leaves.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "tap.h"
#include "mana_base64.h"
#include "mana_hex.h"
#include "mana_tlog.h"


/* the decoder as these tests use it: the length, or -1 */
static long
b64dec(unsigned char *dst, size_t cap, const char *src, size_t n)
{
    size_t  len;

    return mana_base64_decode(MANA_BASE64_STD, dst, cap, &len, src, n) == 0
           ? (long) len : -1;
}


typedef unsigned char  hash_t[MANA_TLOG_HASH_LEN];

/* an in-memory stored-hash table, as the database holds it */
typedef struct {
    hash_t   *h;
    int64_t   n;
    int64_t   cap;
    int       reads;
    int       unordered;
} store_t;


static int
store_read(void *ctx, const int64_t *idx, size_t n, unsigned char (*out)[32])
{
    size_t    i;
    store_t  *s = ctx;

    s->reads++;

    for (i = 0; i < n; i++) {
        if (idx[i] < 0 || idx[i] >= s->n) {
            return -1;
        }

        if (i > 0 && idx[i] <= idx[i - 1]) {
            s->unordered++;
        }

        memcpy(out[i], s->h[idx[i]], 32);
    }

    return 0;
}


static int
store_append(store_t *s, int64_t n, const void *leaf, size_t len)
{
    size_t  i, count;
    hash_t  lh, out[MANA_TLOG_MAX_LEVEL + 1];

    if (mana_tlog_leaf_hash(lh, leaf, len) != 0
        || mana_tlog_stored_hashes(n, lh, store_read, s, out, &count)
           != MANA_TLOG_OK
        || s->n != mana_tlog_stored_hash_index(0, n))
    {
        return -1;
    }

    if (s->n + (int64_t) count > s->cap) {
        s->cap = (s->cap + (int64_t) count) * 2;
        s->h = realloc(s->h, (size_t) s->cap * sizeof(hash_t));
        if (s->h == NULL) {
            return -1;
        }
    }

    for (i = 0; i < count; i++) {
        memcpy(s->h[s->n++], out[i], 32);
    }

    return 0;
}


static void
to_hex(char out[65], const unsigned char h[32])
{
    mana_hex_encode(out, h, 32);
    out[64] = '\0';
}


/* RFC 6962 MTH straight from the definition, over leaf hashes */
static void
naive_mth(unsigned char out[32], hash_t *leaves, int64_t lo, int64_t hi)
{
    int64_t  k;
    hash_t   l, r;

    if (hi - lo == 1) {
        memcpy(out, leaves[lo], 32);
        return;
    }

    for (k = 1; k < hi - lo; k <<= 1) { /* void */ }
    k >>= 1;

    naive_mth(l, leaves, lo, lo + k);
    naive_mth(r, leaves, lo + k, hi);
    mana_tlog_node_hash(out, l, r);
}


static void
test_rfc6962_roots(void)
{
    int           i;
    char          hex[65];
    hash_t        root;
    store_t       s = { 0 };
    size_t        len;
    unsigned char leaf[16];

    static const char  *leaves[] = {
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
        "606162636465666768696a6b6c6d6e6f"
    };
    static const char  *roots[] = {
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
    };

    ok(mana_tlog_tree_hash(0, store_read, &s, root) == MANA_TLOG_OK,
       "the empty tree has a hash");
    to_hex(hex, root);
    is_str(hex, roots[0], "RFC 6962 root of size 0 is SHA-256 of nothing");

    for (i = 0; i < 8; i++) {
        len = strlen(leaves[i]) / 2;
        mana_hex_decode(leaf, leaves[i], len);
        ok(store_append(&s, i, leaf, len) == 0, "leaf %d appended", i);

        ok(mana_tlog_tree_hash(i + 1, store_read, &s, root) == MANA_TLOG_OK,
           "tree hash of size %d", i + 1);
        to_hex(hex, root);
        is_str(hex, roots[i + 1], "RFC 6962 root of size %d", i + 1);
    }

    free(s.h);
}


static void
test_stored_hash_index(void)
{
    int      level, l2, bad;
    int64_t  n, n2, x, i, count, base;

    /* the first stored hashes, worked out by hand from the layout */
    ok(mana_tlog_stored_hash_index(0, 0) == 0
       && mana_tlog_stored_hash_index(0, 1) == 1
       && mana_tlog_stored_hash_index(1, 0) == 2
       && mana_tlog_stored_hash_index(0, 2) == 3
       && mana_tlog_stored_hash_index(0, 3) == 4
       && mana_tlog_stored_hash_index(1, 1) == 5
       && mana_tlog_stored_hash_index(2, 0) == 6
       && mana_tlog_stored_hash_index(0, 4) == 7,
       "leaf 3 stores its hash and the roots of (1,1) and (2,0) at 4, 5, 6");

    bad = 0;
    for (level = 0; level <= MANA_TLOG_MAX_LEVEL; level++) {
        for (i = 0; i < 300; i++) {
            /* small n, and n up to the last node of the largest tree */
            n = i < 150 ? i : (MANA_TLOG_MAX_SIZE >> level) - (i - 149);
            if (n < 0 || n >= (MANA_TLOG_MAX_SIZE >> level)) {
                continue;
            }

            x = mana_tlog_stored_hash_index(level, n);
            if (x < 0 || mana_tlog_split_stored_hash_index(x, &l2, &n2) != 0
                || l2 != level || n2 != n)
            {
                if (bad++ == 0) {
                    printf("# (%d, %lld) -> %lld -> (%d, %lld)\n", level,
                           (long long) n, (long long) x, l2, (long long) n2);
                }
            }
        }
    }
    ok(bad == 0, "split(index(level, n)) == (level, n) at every level, "
       "small and large n");

    bad = 0;
    for (x = 0; x < 20000; x++) {
        if (mana_tlog_split_stored_hash_index(x, &l2, &n2) != 0
            || mana_tlog_stored_hash_index(l2, n2) != x)
        {
            bad++;
        }
    }
    ok(bad == 0, "every index 0..19999 is some (level, n) and back");

    count = mana_tlog_stored_hash_count(MANA_TLOG_MAX_SIZE);
    bad = 0;
    for (base = count - 5000; base < count; base++) {
        if (mana_tlog_split_stored_hash_index(base, &l2, &n2) != 0
            || mana_tlog_stored_hash_index(l2, n2) != base)
        {
            bad++;
        }
    }
    ok(bad == 0, "the last 5000 indexes of the largest tree split and back");

    ok(mana_tlog_split_stored_hash_index(count, &l2, &n2) == -1
       && mana_tlog_split_stored_hash_index(-1, &l2, &n2) == -1,
       "indexes outside the largest tree are refused");
    ok(mana_tlog_stored_hash_index(-1, 0) == -1
       && mana_tlog_stored_hash_index(MANA_TLOG_MAX_LEVEL + 1, 0) == -1
       && mana_tlog_stored_hash_index(0, -1) == -1
       && mana_tlog_stored_hash_index(0, MANA_TLOG_MAX_SIZE) == -1
       && mana_tlog_stored_hash_index(10, MANA_TLOG_MAX_SIZE >> 10) == -1
       && mana_tlog_stored_hash_index(10, (MANA_TLOG_MAX_SIZE >> 10) - 1)
          >= 0,
       "levels and node numbers outside the largest tree are refused");
    ok(mana_tlog_stored_hash_count(-1) == -1
       && mana_tlog_stored_hash_count(MANA_TLOG_MAX_SIZE + 1) == -1
       && mana_tlog_stored_hash_count(0) == 0
       && mana_tlog_stored_hash_count(1) == 1
       && mana_tlog_stored_hash_count(2) == 3
       && mana_tlog_stored_hash_count(4) == 7,
       "stored hash counts of small trees; sizes out of range refused");
}


typedef struct {
    int  root, record, record_bad, tree, tree_bad, order;
} pair_errors_t;


/* every inclusion proof in the tree of size t, and what must not pass */
static void
check_records(store_t *s, hash_t *leaves, int64_t t, const hash_t th,
    pair_errors_t *e)
{
    size_t   plen, k, b;
    int64_t  n, m;
    hash_t   proof[MANA_TLOG_MAX_PROOF + 1], other;

    for (n = 0; n < t; n++) {
        if (mana_tlog_prove_record(t, n, store_read, s, proof, &plen)
            != MANA_TLOG_OK
            || mana_tlog_check_record((const hash_t *) proof, plen, t, th, n,
                                      leaves[n]) != MANA_TLOG_OK)
        {
            e->record++;
            continue;
        }

        for (k = 0; k < plen; k++) {
            for (b = 0; b < 32; b++) {
                proof[k][b] ^= 0x01;
                if (mana_tlog_check_record((const hash_t *) proof, plen, t,
                                           th, n, leaves[n]) == MANA_TLOG_OK)
                {
                    e->record_bad++;
                }
                proof[k][b] ^= 0x01;
            }
        }

        for (m = 0; m < t; m++) {
            if (m != n
                && mana_tlog_check_record((const hash_t *) proof, plen, t, th,
                                          m, leaves[n]) == MANA_TLOG_OK)
            {
                e->record_bad++;
            }
        }

        /* the wrong leaf, one hash short or one too many */
        memcpy(other, leaves[n], 32);
        other[31] ^= 0x80;
        if (mana_tlog_check_record((const hash_t *) proof, plen, t, th, n,
                                   other) == MANA_TLOG_OK
            || (plen > 0
                && mana_tlog_check_record((const hash_t *) proof, plen - 1, t,
                                          th, n, leaves[n]) == MANA_TLOG_OK))
        {
            e->record_bad++;
        }

        memcpy(proof[plen], th, 32);
        if (mana_tlog_check_record((const hash_t *) proof, plen + 1, t, th, n,
                                   leaves[n]) == MANA_TLOG_OK)
        {
            e->record_bad++;
        }
    }
}


static void
check_trees(store_t *s, hash_t *roots, int64_t t, pair_errors_t *e)
{
    size_t   plen, k, b;
    int64_t  n, m;
    hash_t   proof[MANA_TLOG_MAX_PROOF + 1];

    for (n = 1; n <= t; n++) {
        if (mana_tlog_prove_tree(t, n, store_read, s, proof, &plen)
            != MANA_TLOG_OK
            || mana_tlog_check_tree((const hash_t *) proof, plen, t,
                                    roots[t], n, roots[n]) != MANA_TLOG_OK)
        {
            e->tree++;
            continue;
        }

        for (k = 0; k < plen; k++) {
            for (b = 0; b < 32; b++) {
                proof[k][b] ^= 0x01;
                if (mana_tlog_check_tree((const hash_t *) proof, plen, t,
                                         roots[t], n, roots[n])
                    == MANA_TLOG_OK)
                {
                    e->tree_bad++;
                }
                proof[k][b] ^= 0x01;
            }
        }

        /* another old size, with its true root, is not proved by it */
        for (m = 1; m <= t; m++) {
            if (m != n
                && mana_tlog_check_tree((const hash_t *) proof, plen, t,
                                        roots[t], m, roots[m])
                   == MANA_TLOG_OK)
            {
                e->tree_bad++;
            }
        }

        /* a wrong old root, a wrong new root, a hash short */
        if ((n > 1 && mana_tlog_check_tree((const hash_t *) proof, plen, t,
                                           roots[t], n, roots[n - 1])
                      == MANA_TLOG_OK)
            || (t > 1 && mana_tlog_check_tree((const hash_t *) proof, plen, t,
                                              roots[t - 1], n, roots[n])
                         == MANA_TLOG_OK)
            || (plen > 0 && mana_tlog_check_tree((const hash_t *) proof,
                                                 plen - 1, t, roots[t], n,
                                                 roots[n]) == MANA_TLOG_OK))
        {
            e->tree_bad++;
        }
    }
}


/* the indexes an operation asks for are ascending, as a B-tree likes */
static int
ascending(const int64_t *idx, int n)
{
    int  i;

    for (i = 1; i < n; i++) {
        if (idx[i] <= idx[i - 1]) {
            return 0;
        }
    }

    return n >= 0;
}


#define LOG_SIZE  90

static void
test_every_pair(void)
{
    int            m;
    char           leaf[32];
    size_t         len;
    int64_t        t, n, idx[MANA_TLOG_MAX_INDEXES];
    store_t        s = { 0 };
    hash_t        *leaves, *roots, naive;
    pair_errors_t  e;

    leaves = calloc(LOG_SIZE, sizeof(hash_t));
    roots = calloc(LOG_SIZE + 1, sizeof(hash_t));

    for (t = 1; t <= LOG_SIZE; t++) {
        len = (size_t) snprintf(leaf, sizeof(leaf), "mana leaf %lld",
                                (long long) (t - 1));
        mana_tlog_leaf_hash(leaves[t - 1], leaf, len);

        memset(&e, 0, sizeof(e));

        if (store_append(&s, t - 1, leaf, len) != 0
            || s.n != mana_tlog_stored_hash_count(t)
            || mana_tlog_tree_hash(t, store_read, &s, roots[t])
               != MANA_TLOG_OK)
        {
            e.root++;
        }

        naive_mth(naive, leaves, 0, t);
        if (memcmp(naive, roots[t], 32) != 0) {
            e.root++;
        }

        check_records(&s, leaves, t, roots[t], &e);
        check_trees(&s, roots, t, &e);

        m = mana_tlog_tree_hash_indexes(t, idx);
        e.order += !ascending(idx, m);
        m = mana_tlog_stored_hashes_indexes(t, idx);
        e.order += !ascending(idx, m);

        for (n = 0; n < t; n++) {
            m = mana_tlog_prove_record_indexes(t, n, idx);
            e.order += !ascending(idx, m);
            m = mana_tlog_prove_tree_indexes(t, n + 1, idx);
            e.order += !ascending(idx, m);
        }

        ok(e.root == 0, "size %lld: stored hashes, count and root as RFC 6962",
           (long long) t);
        ok(e.record == 0 && e.record_bad == 0,
           "size %lld: every inclusion proof checks; no altered byte, other "
           "index or leaf passes (%d, %d)", (long long) t, e.record,
           e.record_bad);
        ok(e.tree == 0 && e.tree_bad == 0,
           "size %lld: every consistency proof checks; no altered byte, other "
           "size or root passes (%d, %d)", (long long) t, e.tree, e.tree_bad);
        ok(e.order == 0, "size %lld: indexes asked for in ascending order",
           (long long) t);
    }

    ok(s.unordered == 0, "the reader was only ever asked in ascending order");

    free(leaves);
    free(roots);
    free(s.h);
}


static void
test_ranges(void)
{
    size_t   plen;
    int64_t  idx[MANA_TLOG_MAX_INDEXES];
    hash_t   h = { 0 }, proof[MANA_TLOG_MAX_PROOF + 1], out[2];
    store_t  s = { 0 };

    memset(proof, 0, sizeof(proof));

    ok(mana_tlog_prove_record(0, 0, store_read, &s, proof, &plen)
       == MANA_TLOG_RANGE
       && mana_tlog_prove_record(5, 5, store_read, &s, proof, &plen)
          == MANA_TLOG_RANGE
       && mana_tlog_prove_record(5, -1, store_read, &s, proof, &plen)
          == MANA_TLOG_RANGE
       && mana_tlog_prove_record(MANA_TLOG_MAX_SIZE + 1, 0, store_read, &s,
                                 proof, &plen) == MANA_TLOG_RANGE,
       "inclusion proofs outside the tree are refused");
    ok(mana_tlog_prove_tree(5, 0, store_read, &s, proof, &plen)
       == MANA_TLOG_RANGE
       && mana_tlog_prove_tree(5, 6, store_read, &s, proof, &plen)
          == MANA_TLOG_RANGE
       && mana_tlog_prove_tree(0, 0, store_read, &s, proof, &plen)
          == MANA_TLOG_RANGE,
       "consistency proofs from 0 or to a smaller tree are refused");
    ok(mana_tlog_tree_hash(-1, store_read, &s, h) == MANA_TLOG_RANGE
       && mana_tlog_tree_hash(MANA_TLOG_MAX_SIZE + 1, store_read, &s, h)
          == MANA_TLOG_RANGE
       && mana_tlog_tree_hash_indexes(MANA_TLOG_MAX_SIZE + 1, idx) == -1,
       "tree sizes beyond the largest tree are refused");
    ok(mana_tlog_stored_hashes(MANA_TLOG_MAX_SIZE, h, store_read, &s, out,
                               &plen) == MANA_TLOG_RANGE
       && mana_tlog_stored_hashes(-1, h, store_read, &s, out, &plen)
          == MANA_TLOG_RANGE,
       "no leaf can be appended beyond the largest tree");
    ok(mana_tlog_check_record((const hash_t *) proof, MANA_TLOG_MAX_PROOF + 1,
                              MANA_TLOG_MAX_SIZE, h, 0, h)
       == MANA_TLOG_BAD_PROOF
       && mana_tlog_check_tree((const hash_t *) proof,
                               MANA_TLOG_MAX_PROOF + 1, MANA_TLOG_MAX_SIZE, h,
                               1, h) == MANA_TLOG_BAD_PROOF,
       "a proof longer than any tree needs is refused before it is read");
    ok(mana_tlog_check_record((const hash_t *) proof, 0, 1, h, 1, h)
       == MANA_TLOG_RANGE
       && mana_tlog_check_tree((const hash_t *) proof, 0, 1, h, 2, h)
          == MANA_TLOG_RANGE,
       "checks of indexes outside the tree are refused");
    ok(mana_tlog_tree_hash(3, store_read, &s, h) == MANA_TLOG_READ,
       "a reader without the rows fails the operation");

    /* the non-blocking path: rows that do not match what was asked */
    ok(mana_tlog_tree_hash_from(3, (const hash_t *) proof, 1, h)
       == MANA_TLOG_READ
       && mana_tlog_tree_hash_from(3, (const hash_t *) proof, 3, h)
          == MANA_TLOG_READ
       && mana_tlog_tree_hash_from(3, (const hash_t *) proof, 2, h)
          == MANA_TLOG_OK,
       "_from() insists on exactly the hashes _indexes() listed");
    ok(mana_tlog_prove_record_from(6, 2, (const hash_t *) proof, 2, proof,
                                   &plen) == MANA_TLOG_READ
       && mana_tlog_stored_hashes_from(3, h, (const hash_t *) proof, 1, out,
                                       &plen) == MANA_TLOG_READ,
       "too few hashes for a proof or an append are refused");
}


/*
 * Near the largest tree: a log whose leaves are all the same has one
 * subtree hash per level, so its stored hashes cost nothing to make up.
 */
static hash_t  uniform[MANA_TLOG_MAX_LEVEL + 1];

static int
uniform_read(void *ctx, const int64_t *idx, size_t n,
    unsigned char (*out)[32])
{
    int      level;
    size_t   i;
    int64_t  node;

    (void) ctx;

    for (i = 0; i < n; i++) {
        if (mana_tlog_split_stored_hash_index(idx[i], &level, &node) != 0) {
            return -1;
        }

        memcpy(out[i], uniform[level], 32);
    }

    return 0;
}


static void
test_large_trees(void)
{
    int       i, level, m, max_idx, bad;
    size_t    plen, max_proof;
    int64_t   t, n, idx[MANA_TLOG_MAX_INDEXES];
    hash_t    th, oh, proof[MANA_TLOG_MAX_PROOF];
    uint64_t  r;

    mana_tlog_leaf_hash(uniform[0], "same", 4);
    for (level = 1; level <= MANA_TLOG_MAX_LEVEL; level++) {
        mana_tlog_node_hash(uniform[level], uniform[level - 1],
                            uniform[level - 1]);
    }

    bad = 0;
    max_idx = 0;
    max_proof = 0;
    r = 88172645463325252ULL;

    for (i = 0; i < 400; i++) {
        /* xorshift: sizes of every magnitude up to the largest */
        r ^= r << 13;
        r ^= r >> 7;
        r ^= r << 17;

        t = i < 4 ? MANA_TLOG_MAX_SIZE - i
                  : (int64_t) (r % (uint64_t) MANA_TLOG_MAX_SIZE) >> (i % 50)
                    | 1;
        n = (int64_t) ((r >> 11) % (uint64_t) t);
        if (i == 0) {
            n = t - 1;
        }

        m = mana_tlog_prove_record_indexes(t, n, idx);
        max_idx = m > max_idx ? m : max_idx;
        m = mana_tlog_prove_tree_indexes(t, n + 1, idx);
        max_idx = m > max_idx ? m : max_idx;

        if (mana_tlog_tree_hash(t, uniform_read, NULL, th) != MANA_TLOG_OK
            || mana_tlog_tree_hash(n + 1, uniform_read, NULL, oh)
               != MANA_TLOG_OK
            || mana_tlog_prove_record(t, n, uniform_read, NULL, proof, &plen)
               != MANA_TLOG_OK
            || mana_tlog_check_record((const hash_t *) proof, plen, t, th, n,
                                      uniform[0]) != MANA_TLOG_OK)
        {
            bad++;
            continue;
        }

        max_proof = plen > max_proof ? plen : max_proof;

        if (mana_tlog_prove_tree(t, n + 1, uniform_read, NULL, proof, &plen)
            != MANA_TLOG_OK
            || mana_tlog_check_tree((const hash_t *) proof, plen, t, th, n + 1,
                                    oh) != MANA_TLOG_OK)
        {
            bad++;
        }

        max_proof = plen > max_proof ? plen : max_proof;
    }

    ok(bad == 0, "400 trees up to 2^53 leaves: proofs made and checked");
    ok(max_idx > 60 && max_idx <= MANA_TLOG_MAX_INDEXES,
       "the most stored hashes one proof read: %d (bound %d)", max_idx,
       MANA_TLOG_MAX_INDEXES);
    ok(max_proof >= 53 && max_proof <= MANA_TLOG_MAX_PROOF,
       "the longest proof: %zu hashes (bound %d)", max_proof,
       MANA_TLOG_MAX_PROOF);
}


/*
 * Proofs from a real Certificate Transparency log (Google's Argon 2020:
 * get-sth, get-entries for leaf 10000, get-proof-by-hash and
 * get-sth-consistency from size 3654490), as kept in the test data of
 * golang.org/x/mod/sumdb/tlog.
 */
static const char  *ct_leaf =
    "AAAAAAFelPhqUwAAAAViMIIFXjCCBEagAwIBAgIRAOodHzZdqWIFzYyl/SovhCMwDQYJKoZI"
    "hvcNAQELBQAwgZAxCzAJBgNVBAYTAkdCMRswGQYDVQQIExJHcmVhdGVyIE1hbmNoZXN0ZXIx"
    "EDAOBgNVBAcTB1NhbGZvcmQxGjAYBgNVBAoTEUNPTU9ETyBDQSBMaW1pdGVkMTYwNAYDVQQD"
    "Ey1DT01PRE8gUlNBIERvbWFpbiBWYWxpZGF0aW9uIFNlY3VyZSBTZXJ2ZXIgQ0EwHhcNMTcw"
    "MjE1MDAwMDAwWhcNMjAwNDE2MjM1OTU5WjBfMSEwHwYDVQQLExhEb21haW4gQ29udHJvbCBW"
    "YWxpZGF0ZWQxHTAbBgNVBAsTFFBvc2l0aXZlU1NMIFdpbGRjYXJkMRswGQYDVQQDDBIqLmxh"
    "bmRsb3Jkcy5jb20uYXUwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQCtPBKKHj4z"
    "drGlCjgTHzb5gx9JCs97DwvBz60f14gDufF2haWbOxyJ0a3opAMsZnOr8HkARVCwxdqG/PTf"
    "ACcb0QM7FOlzvxGqxataTYiChwvkkif8F9GlJw69HuHgzhusPf1Ytfk3ps1PRC14MkyrS4kw"
    "Prk/Le4XdkqRpRw62wG4V6IkbzsNMEOl1H8EgUbfyapdOcVxHjIzvBVy56fBRKG05Fr5wNq3"
    "Acak5kYZdNsLhhmlrqAfAjiombW3hb3V5blJdRC0BDdYHv2+zKey6LqJ1FDoXo6IzbzPpC+a"
    "ifZy47YX+/N1U64Qn5xlDg7mOP8JXfkNJHbU1TJZHif5AgMBAAGjggHhMIIB3TAfBgNVHSME"
    "GDAWgBSQr2o6lFoL2JDqElZz30O0Oija5zAdBgNVHQ4EFgQUNQSLjkoz01I+iuuoC5lgEp0a"
    "nhcwDgYDVR0PAQH/BAQDAgWgMAwGA1UdEwEB/wQCMAAwHQYDVR0lBBYwFAYIKwYBBQUHAwEG"
    "CCsGAQUFBwMCME8GA1UdIARIMEYwOgYLKwYBBAGyMQECAgcwKzApBggrBgEFBQcCARYdaHR0"
    "cHM6Ly9zZWN1cmUuY29tb2RvLmNvbS9DUFMwCAYGZ4EMAQIBMFQGA1UdHwRNMEswSaBHoEWG"
    "Q2h0dHA6Ly9jcmwuY29tb2RvY2EuY29tL0NPTU9ET1JTQURvbWFpblZhbGlkYXRpb25TZWN1"
    "cmVTZXJ2ZXJDQS5jcmwwgYUGCCsGAQUFBwEBBHkwdzBPBggrBgEFBQcwAoZDaHR0cDovL2Ny"
    "dC5jb21vZG9jYS5jb20vQ09NT0RPUlNBRG9tYWluVmFsaWRhdGlvblNlY3VyZVNlcnZlckNB"
    "LmNydDAkBggrBgEFBQcwAYYYaHR0cDovL29jc3AuY29tb2RvY2EuY29tMC8GA1UdEQQoMCaC"
    "EioubGFuZGxvcmRzLmNvbS5hdYIQbGFuZGxvcmRzLmNvbS5hdTANBgkqhkiG9w0BAQsFAAOC"
    "AQEACyHqxUzrexToY7tOv4+kyGPP2D27P1tQpyzeAl1bPObiMhNK2b9vvBLDWAaqm8c0YL1h"
    "+DBdLoWzf3xFsIkTCVCjWJTNSNlcYtgRk6or1s7jWsfXzWqsnPjPPmTIOCw7EfH7Yme3oxPs"
    "3UUsmShAgPwNohAtL9GqlqMiKM6v1WU3NHt01jEoNP23LRa6KeNK6AH6WHJykzL223IlhgXj"
    "HTeuQj6lR+TNrQXJuhwTXYe+20rrpPQxc1Pn7AqnvfWgmicRQ7gdIcr4V6+ecTvLfNOaJ0ZY"
    "e5G5giuAAdTm7F57pk04f4gyZNYKrj88mvbkoriN8b6jcWExtrYO6bm2TwAA";

static const char  *ct_audit_path[] = {
    "T46AmJsuOM/gFiGlUp+IJJebp+1Z5qratFNW7U0JyOQ=",
    "9Jj1Feodn42uRYEfffkV4HF/EIPFQ5Zo9IwkxbQ2uhk=",
    "D53/1oCNebF4J59HHgioovKZxrmrKcVuCVhy3Izg8Ck=",
    "wSFDgGSrsXRPA+1c8WHoAFCsWeUv8NDyP/Q/SgsyVyY=",
    "516/RcwsgdwdzHn18v1dJHqBkgFUbNhmCIWOGjsMJaE=",
    "naTFY2ajLFgrgs5XUl+zJYZnnlJksLGsA1VYwpLfqbY=",
    "mKBRJo6qao+0Kdh/rhGkZUbHUAxMhrtrclrTpIbNjIg=",
    "Co4ueOFE7lpifLio94irxxsv1wFMMaK3tPu2ZQkHlro=",
    "yRgy800K6JMYCC05sWfqF2kvCg2riT/pVM+nEa6V5+0=",
    "n2O38XJZC8/Wpbwi9HhgVizlUyeUHVZvYyQB1607MRc=",
    "go3tAjuNfNSCj87y2Rg1xOroDknGN1eaf3cgvzObf7Q=",
    "8D0Mj3/J7ySSnFb0afIHYXv6rlOhECnsebY6XKi1IR8=",
    "6rcez46ZU8M5vPiWVMAUfJfAOV0pPP/mch/lYzZhj/M=",
    "2rtIeXrPvSdUyHc5maIgSAVB2BzaKaupWxSAiVayDE4=",
    "nniW/IMFQPN5xw8UsHFn7CRStYbm1gLu7NNa6kkRqJQ=",
    "mRPPi7sQS22MduIEyvcNzCNFqIt6kLwYPkNKrVtIcu8=",
    "JvTivzESNS9wHI8aph5a7uieVmtS/p9PciMZ5D6GyOo=",
    "UTyQd+Ym0wY4zG+qK806bBORwi1CSVvFQ/KknnqoZj8=",
    "hXODrqN+ff+U6zPqRQ+ZQKs6im1fPcxIerDSfNwflhE=",
    "II6GE+WY/DrpZzfHztLwkR46o37zVkNLCyPYlf68zA0=",
    "d609kWWcNBllbA8Jb/ad4XAVVGnScLRmtP8FYyr+Dck=",
    "rikBsP0G0gioXRpBFED2CzQdSLrGPvRd0bEcbEZw1rI=",
    "GXIElfmnRuWfbA4z7ubV/UwlpSRUbUeec7oL5HDDnh0=",
    "pR0SH/NYP6s9+8azWwaeUXA4Ze/3WCIgMfh5YW6wvcE=",
    "f3GuAKYVrF8RBg3s15jvA/YvV9oAliWtzP/imwPhQVA=",
    "WHn8zDxlVgkV+lSlmzaOdfSBrTHoRr5nT3d76q0KKWE=",
    "f2uV2ZxVgULzLPKuZcowRY3ZY7fRlX59iDBjV1R8kNQ=",
    "NzQVjJsvQwbi7WStMr9oFkh9VbHfK7LB6o7WwAqwNTs=",
    "C0LttBeYHZHgL+032JIcJC3CTBIyza/hsbmJUgJfmDI=",
    "nixU5CWTFVDlF4BGdcU6kA7WSYurEpe9jRWc+F/7sOc=",
    NULL
};

static const char  *ct_consistency[] = {
    "80Sfbj6UQEdVSZCSIgh9NMPj3vCBzcc1A48B2crJSWg=",
    "FZcrgAHUk6nNPviJZq8kEK6jCG1d18pJOFE45ZDc1TQ=",
    "Q67reWXmPBo1UfmwBap4Xi9PMPfFdUSSw3WGlRZdG7k=",
    "eJ7CyhR4PxzBxDIsWgrVYW1eFUb9ndgf46tFmiqVrxA=",
    "QrDwp062Grm5WY8KdrhFsBuuNjGzRox2Jb8PmVL5OYw=",
    "XM4YMjMEdLH/XJam/ZWyaP14k3cmsOtnPsOWQ54lW1s=",
    "SGiBh+jOTGccXU48ZzgQ88lRcBmtB4wz4oSDndv2QTg=",
    "WAS6txqNLYKGL1GdBdpqmV42TTfn6cJsuDsqLXuTCNI=",
    "QFmRS0rirUA7ZN3lxFjDncV+E1OCrn3NUB4RCp+5fzc=",
    "Hdbp7It2XBNZmNDBpCN/KPd7vfVqxgzwOosqVIaEA9E=",
    "mxvHL0ZiblBdD7j7pIa1jlfB0gSqfJ6oX0UGo7L0VsU=",
    "q5hjyvoW6TL/PThgcitpDcSTrnKX2p1+aqscqH2euRA=",
    "jTOWDqt3IHj2NVFeezyBz2ofpru+ztEywqKUAfFclKI=",
    "GIRn0w3HqJdvU9j1WVD//eR6lk2AaTVjyzjsJNP8U88=",
    "x52GJvxG81fnQBrgOTbll1A5tz95/LXK0Ag1NhB0r1I=",
    "6/0OqrcTgc3o5dD5PymmoC96lB9yLPFuTHVvLy8fSGk=",
    "Gf+iKLfcXO5l4JEFmsZvSdG5q1uEeWPfYLrds6pmjz0=",
    "DGuaco+McyM3AfRSF6qX7RwSetwe2ieYJmxw5e9rVx0=",
    "2tQJ9V32hnYp+fdpP6TcjmgJmLeNVOMKM0Ml1kk4cNU=",
    "3PapK+IkyJr8I9yAErAmzuZezzLMzsg+PfeRCgNW8NQ=",
    "s6xiYeejb+wtqHA+URJZ2I/SCPyIW8coP6aB00FJbMY=",
    "z9lSpmdTcr5M5ZzKlc4EPh3SrSypKFdk6JUF/UccaZU=",
    "GXIElfmnRuWfbA4z7ubV/UwlpSRUbUeec7oL5HDDnh0=",
    "pR0SH/NYP6s9+8azWwaeUXA4Ze/3WCIgMfh5YW6wvcE=",
    "f3GuAKYVrF8RBg3s15jvA/YvV9oAliWtzP/imwPhQVA=",
    "WHn8zDxlVgkV+lSlmzaOdfSBrTHoRr5nT3d76q0KKWE=",
    "f2uV2ZxVgULzLPKuZcowRY3ZY7fRlX59iDBjV1R8kNQ=",
    "NzQVjJsvQwbi7WStMr9oFkh9VbHfK7LB6o7WwAqwNTs=",
    "C0LttBeYHZHgL+032JIcJC3CTBIyza/hsbmJUgJfmDI=",
    "nixU5CWTFVDlF4BGdcU6kA7WSYurEpe9jRWc+F/7sOc=",
    NULL
};


static size_t
decode_hashes(hash_t *out, const char **b64)
{
    size_t  n;

    for (n = 0; b64[n]; n++) {
        if (b64dec(out[n], 32, b64[n], strlen(b64[n])) != 32) {
            return 0;
        }
    }

    return n;
}


static void
test_certificate_transparency(void)
{
    long           len;
    size_t         n_path, n_cons;
    hash_t         root, old, leaf_hash, path[64], cons[64];
    unsigned char  leaf[2048];
    const int64_t  size = 961984013;

    len = b64dec(leaf, sizeof(leaf), ct_leaf, strlen(ct_leaf));
    b64dec(root, 32, "dwlueapdd7LaOEnX2W2Wp9v2XE+KzejHRQGHwEx0oaM=",
                       44);
    b64dec(old, 32, "AuIZ5V6sDUj1vn3Y1K85oOaQ7y+FJJKtyRTl1edIKBQ=",
                       44);
    n_path = decode_hashes(path, ct_audit_path);
    n_cons = decode_hashes(cons, ct_consistency);

    ok(len > 0 && n_path == 30 && n_cons == 30, "CT test data decoded");

    mana_tlog_leaf_hash(leaf_hash, leaf, (size_t) len);

    ok(mana_tlog_check_record((const hash_t *) path, n_path, size, root, 10000,
                              leaf_hash) == MANA_TLOG_OK,
       "Argon 2020's audit path for leaf 10000 of 961984013 checks");
    ok(mana_tlog_check_record((const hash_t *) path, n_path, size, root, 10001,
                              leaf_hash) == MANA_TLOG_BAD_PROOF,
       "... not for leaf 10001");
    ok(mana_tlog_check_tree((const hash_t *) cons, n_cons, size, root, 3654490,
                            old) == MANA_TLOG_OK,
       "Argon 2020's consistency proof from 3654490 checks");
    ok(mana_tlog_check_tree((const hash_t *) cons, n_cons, size, root, 3654491,
                            old) == MANA_TLOG_BAD_PROOF,
       "... not from 3654491");
}


static void
test_tile_paths(void)
{
    int               i;
    char              buf[MANA_TLOG_TILE_PATH_MAX];
    mana_tlog_tile_t  t;

    static const struct {
        const char  *path;
        int          level;
        int64_t      n;
        unsigned     width;
    } good[] = {
        { "tile/0/000", 0, 0, 256 },
        { "tile/0/001", 0, 1, 256 },
        { "tile/0/001.p/5", 0, 1, 5 },
        { "tile/0/999.p/255", 0, 999, 255 },
        { "tile/0/x001/000", 0, 1000, 256 },
        { "tile/2/x001/x234/067", 2, 1234067, 256 },
        { "tile/1/x123/x456/078.p/2", 1, 123456078, 2 },
        { "tile/4/x008/191", 4, 8191, 256 },
        { "tile/entries/x003/x057/500.p/2", MANA_TLOG_TILE_ENTRIES, 3057500,
          2 },
        { "tile/entries/000.p/1", MANA_TLOG_TILE_ENTRIES, 0, 1 },
        { "tile/0/x035/x184/x372/x088/831", 0, 35184372088831LL, 256 },
        { "tile/6/000.p/32", 6, 0, 32 }
    };

    static const char  *bad[] = {
        "", "tile", "tile/", "tile/0", "tile/0/", "tile/0/1", "tile/0/01",
        "tile/0/0001", "tile/0/001/", "tile/00/001", "tile/01/001",
        "tile/-1/001", "tile/64/000", "tile/7/000", "tile/6/000",
        "tile/data/000", "tile/entries", "tile/entries/", "tile/0/x001",
        "tile/0/x001/", "tile/0/123/456", "tile/0/x000/001",
        "tile/0/x0001/000", "tile/0/x01/000", "tile/0/001.p/0",
        "tile/0/001.p/256", "tile/0/001.p/010", "tile/0/001.p/",
        "tile/0/001.p/5/", "tile/0/001.p/1000", "tile/0/001.q/5",
        "tile/0/001.p5", "tile/0/00a", "tile/a/000", "tile//000",
        "tile/0//000", "/tile/0/000", "tile/0/000 ", "Tile/0/000",
        "tile/0/+01", "tile/0/x035/x184/x372/x088/832",
        "tile/0/x999/x999/x999/x999/x999/x999/999",
        "tile/0/x001/x001/x001/x001/x001/x001/001",
        "tile/1/x137/x438/x953/472",
        "tile/6/000.p/33", "tile/4/x008/192", "tile/5/032"
    };

    for (i = 0; i < (int) (sizeof(good) / sizeof(good[0])); i++) {
        t.level = good[i].level;
        t.n = good[i].n;
        t.width = good[i].width;

        ok(mana_tlog_tile_path(buf, &t) == (int) strlen(good[i].path),
           "tile (%d, %lld, %u) written", t.level, (long long) t.n, t.width);
        is_str(buf, good[i].path, "as %s", good[i].path);

        memset(&t, 0xee, sizeof(t));
        ok(mana_tlog_tile_parse(&t, good[i].path, strlen(good[i].path)) == 0
           && t.level == good[i].level && t.n == good[i].n
           && t.width == good[i].width, "%s parsed", good[i].path);
    }

    for (i = 0; i < (int) (sizeof(bad) / sizeof(bad[0])); i++) {
        ok(mana_tlog_tile_parse(&t, bad[i], strlen(bad[i])) == -1,
           "'%s' refused", bad[i]);
    }

    ok(mana_tlog_tile_parse(&t, "tile/0/001\0", 11) == -1
       && mana_tlog_tile_parse(&t, "tile/0/001\n", 11) == -1,
       "a NUL or a newline after the path refused");
    ok(mana_tlog_tile_parse(&t, "tile/0/001.p/5", 12) == -1,
       "the length given is the path: a cut '.p/' refused");

    t.level = 0;
    t.n = 0;
    t.width = 0;
    ok(mana_tlog_tile_path(buf, &t) == -1, "a tile of width 0 is not written");
    t.width = 257;
    ok(mana_tlog_tile_path(buf, &t) == -1, "nor of width 257");
    t.width = 1;
    t.level = 7;
    ok(mana_tlog_tile_path(buf, &t) == -1, "nor above the largest tree");
}


static void
test_tiles(void)
{
    int               i, bad, m;
    char              leaf[32];
    size_t            len;
    int64_t           n, idx[MANA_TLOG_TILE_WIDTH];
    store_t           s = { 0 };
    hash_t            leaves[785], tiles[MANA_TLOG_TILE_WIDTH], mth, root;
    mana_tlog_tile_t  t;

    /* the example of C2SP tlog-tiles: a tree of size 70,000 */
    ok(mana_tlog_tile_width(0, 272, 70000) == 256
       && mana_tlog_tile_width(0, 273, 70000) == 112
       && mana_tlog_tile_width(0, 274, 70000) == 0
       && mana_tlog_tile_width(1, 0, 70000) == 256
       && mana_tlog_tile_width(1, 1, 70000) == 17
       && mana_tlog_tile_width(2, 0, 70000) == 1
       && mana_tlog_tile_width(3, 0, 70000) == 0
       && mana_tlog_tile_width(MANA_TLOG_TILE_ENTRIES, 273, 70000) == 112,
       "size 70,000: 273 full level 0 tiles and one of 112, a full and a 17 "
       "at level 1, a 1 at level 2");
    ok(mana_tlog_tile_width(0, 0, 256) == 256
       && mana_tlog_tile_width(1, 0, 256) == 1
       && mana_tlog_tile_width(0, 1, 256) == 0
       && mana_tlog_tile_width(0, 0, 0) == 0,
       "size 256: a full level 0 tile and a level 1 tile of width 1");

    for (i = 0; i < 785; i++) {
        len = (size_t) snprintf(leaf, sizeof(leaf), "tile leaf %d", i);
        mana_tlog_leaf_hash(leaves[i], leaf, len);
        store_append(&s, i, leaf, len);
    }

    /* level 0 tiles are the leaf hashes; level 1, subtrees of 256 */
    bad = 0;
    for (n = 0; n < 4; n++) {
        t.level = 0;
        t.n = n;
        t.width = mana_tlog_tile_width(0, n, 785);
        m = mana_tlog_tile_indexes(&t, idx);

        if (m != (n < 3 ? 256 : 17) || store_read(&s, idx, (size_t) m, tiles))
        {
            bad++;
            continue;
        }

        for (i = 0; i < m; i++) {
            bad += memcmp(tiles[i], leaves[n * 256 + i], 32) != 0;
        }
    }
    ok(bad == 0, "level 0 tiles of size 785: 3 full, one of 17, leaf hashes");

    t.level = 1;
    t.n = 0;
    t.width = mana_tlog_tile_width(1, 0, 785);
    m = mana_tlog_tile_indexes(&t, idx);
    bad = m != 3 || store_read(&s, idx, (size_t) m, tiles);
    for (i = 0; !bad && i < 3; i++) {
        naive_mth(mth, leaves, i * 256, (i + 1) * 256);
        bad += memcmp(tiles[i], mth, 32) != 0;
    }
    ok(bad == 0, "the level 1 tile holds the roots of the 3 full subtrees");

    /* the tree of 768 leaves from the level 1 tile alone */
    mana_tlog_node_hash(mth, tiles[0], tiles[1]);
    mana_tlog_node_hash(mth, mth, tiles[2]);
    mana_tlog_tree_hash(768, store_read, &s, root);
    ok(memcmp(mth, root, 32) == 0, "its hashes give the root of size 768");

    t.level = MANA_TLOG_TILE_ENTRIES;
    t.n = 2;
    t.width = 3;
    m = mana_tlog_tile_indexes(&t, idx);
    ok(m == 3 && idx[0] == 512 && idx[2] == 514,
       "an entry bundle lists its leaf indexes");

    mana_tlog_tile_parse(&t, "tile/0/003.p/17", 15);
    ok(mana_tlog_tile_in_tree(&t, 785), "tile/0/003.p/17 is in size 785");
    mana_tlog_tile_parse(&t, "tile/0/003.p/18", 15);
    ok(!mana_tlog_tile_in_tree(&t, 785), "tile/0/003.p/18 is not");
    mana_tlog_tile_parse(&t, "tile/0/003.p/5", 14);
    ok(mana_tlog_tile_in_tree(&t, 785), "a narrower partial tile is");
    mana_tlog_tile_parse(&t, "tile/0/004.p/1", 14);
    ok(!mana_tlog_tile_in_tree(&t, 785), "tile/0/004.p/1 is not");
    mana_tlog_tile_parse(&t, "tile/1/000", 10);
    ok(!mana_tlog_tile_in_tree(&t, 785), "the full level 1 tile is not yet");
    mana_tlog_tile_parse(&t, "tile/1/000.p/3", 14);
    ok(mana_tlog_tile_in_tree(&t, 785), "tile/1/000.p/3 is");
    mana_tlog_tile_parse(&t, "tile/entries/002", 16);
    ok(mana_tlog_tile_in_tree(&t, 785) && !mana_tlog_tile_in_tree(&t, 767),
       "tile/entries/002 is in size 785, not in 767");

    free(s.h);
}


static void
test_bundles(void)
{
    int                   rc, count;
    size_t                off, n, len;
    unsigned char        *buf, big[MANA_TLOG_ENTRY_MAX + 1];
    const unsigned char  *pos, *entry;

    buf = malloc(3 * (MANA_TLOG_ENTRY_MAX + 2));
    memset(big, 'e', sizeof(big));

    off = 0;
    n = mana_tlog_bundle_put(buf, 100, "abc", 3);
    ok(n == 5 && memcmp(buf, "\x00\x03" "abc", 5) == 0,
       "an entry is a big-endian length and its bytes");
    off += n;
    off += mana_tlog_bundle_put(buf + off, 100, "", 0);
    n = mana_tlog_bundle_put(buf + off, MANA_TLOG_ENTRY_MAX + 2, big,
                             MANA_TLOG_ENTRY_MAX);
    ok(n == MANA_TLOG_ENTRY_MAX + 2 && buf[off] == 0xff && buf[off + 1] == 0xff,
       "an entry of 65535 bytes fits");
    off += n;

    ok(mana_tlog_bundle_put(buf, sizeof(big) + 2, big, sizeof(big)) == 0,
       "an entry of 65536 bytes does not");
    ok(mana_tlog_bundle_put(buf, 4, "abc", 3) == 0 && mana_tlog_bundle_put(buf,
       1, "", 0) == 0, "nor an entry larger than the room left");

    pos = buf;
    count = 0;
    while ((rc = mana_tlog_bundle_next(&pos, buf + off, &entry, &len)) == 1) {
        count++;
    }
    ok(rc == 0 && count == 3, "three entries read back");

    pos = buf;
    mana_tlog_bundle_next(&pos, buf + off, &entry, &len);
    ok(len == 3 && memcmp(entry, "abc", 3) == 0, "the first is 'abc'");

    pos = buf;
    mana_tlog_bundle_next(&pos, buf + off - 1, &entry, &len);
    mana_tlog_bundle_next(&pos, buf + off - 1, &entry, &len);
    ok(mana_tlog_bundle_next(&pos, buf + off - 1, &entry, &len) == -1,
       "an entry cut short is refused");
    pos = buf;
    ok(mana_tlog_bundle_next(&pos, buf + 1, &entry, &len) == -1,
       "half a length is refused");

    free(buf);
}


static void
test_leaves(void)
{
    unsigned char     leaf[MANA_TLOG_LEAF_MAX], bad[MANA_TLOG_LEAF_MAX + 1];
    char              hex[65];
    mana_tlog_leaf_t  l;

    static const unsigned char  kid[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    /* SHA-256("abc"), FIPS 180-2 appendix B.1 */
    static const char  *abc =
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    ok(mana_tlog_issuance_leaf(leaf, kid, (const unsigned char *) "abc", 3,
                               0x0102030405060708ULL, 0xabcd) == 0,
       "issuance leaf made");
    to_hex(hex, leaf + 9);
    ok(leaf[0] == 0x01 && memcmp(leaf + 1, kid, 8) == 0
       && strcmp(hex, abc) == 0
       && memcmp(leaf + 41, "\x01\x02\x03\x04\x05\x06\x07\x08", 8) == 0
       && leaf[49] == 0xab && leaf[50] == 0xcd,
       "0x01, kid, SHA-256 of the COSE bytes, iat and doctype big-endian");

    ok(mana_tlog_leaf_parse(&l, leaf, MANA_TLOG_ISSUANCE_LEAF_LEN) == 0
       && l.type == MANA_TLOG_LEAF_ISSUANCE && memcmp(l.kid, kid, 8) == 0
       && memcmp(l.digest, leaf + 9, 32) == 0
       && l.time == 0x0102030405060708ULL && l.doctype == 0xabcd,
       "and parsed back");
    ok(mana_tlog_leaf_parse(&l, leaf, MANA_TLOG_ISSUANCE_LEAF_LEN - 1) == -1,
       "an issuance leaf a byte short is refused");
    memcpy(bad, leaf, MANA_TLOG_ISSUANCE_LEAF_LEN);
    ok(mana_tlog_leaf_parse(&l, bad, MANA_TLOG_ISSUANCE_LEAF_LEN + 1) == -1,
       "a byte long too");
    ok(mana_tlog_issuance_leaf(leaf, kid, (const unsigned char *) "abc", 3, 0,
                               0x10000) == -1
       && mana_tlog_issuance_leaf(leaf, kid, (const unsigned char *) "", 0, 0,
                                  1) == -1,
       "a doctype beyond 16 bits or empty COSE bytes are refused");

    ok(mana_tlog_revocation_leaf(leaf, kid, (const unsigned char *) "abc", 3,
                                 1767225600, MANA_TLOG_REASON_SUPERSEDED)
       == 0, "revocation leaf made");
    to_hex(hex, leaf + 9);
    ok(leaf[0] == 0x02 && memcmp(leaf + 1, kid, 8) == 0
       && strcmp(hex, abc) == 0
       && memcmp(leaf + 41, "\x00\x00\x00\x00\x69\x55\xb9\x00", 8) == 0
       && leaf[49] == 2,
       "0x02, kid, SHA-256 of the cti, revoked_at big-endian, reason");
    ok(mana_tlog_leaf_parse(&l, leaf, MANA_TLOG_REVOCATION_LEAF_LEN) == 0
       && l.type == MANA_TLOG_LEAF_REVOCATION && l.time == 1767225600
       && l.reason == MANA_TLOG_REASON_SUPERSEDED,
       "and parsed back");

    leaf[49] = MANA_TLOG_REASON_COUNT;
    ok(mana_tlog_leaf_parse(&l, leaf, MANA_TLOG_REVOCATION_LEAF_LEN) == -1,
       "an unknown reason code is refused");
    ok(mana_tlog_revocation_leaf(leaf, kid, (const unsigned char *) "abc", 3,
                                 0, MANA_TLOG_REASON_COUNT) == -1,
       "and not written");
    leaf[49] = 0;
    leaf[0] = 0x03;
    ok(mana_tlog_leaf_parse(&l, leaf, MANA_TLOG_REVOCATION_LEAF_LEN) == -1
       && mana_tlog_leaf_parse(&l, leaf, 0) == -1,
       "an unknown leaf type, or nothing, is refused");
    leaf[0] = 0x02;
    ok(mana_tlog_leaf_parse(&l, leaf, MANA_TLOG_ISSUANCE_LEAF_LEN) == -1,
       "a revocation leaf of an issuance leaf's length is refused");

    is_str(mana_tlog_reason_name(MANA_TLOG_REASON_KEY_COMPROMISE),
           "key_compromise", "reason 1 is key_compromise");
    ok(mana_tlog_reason_code("issued_in_error", 15) == 3
       && mana_tlog_reason_code("withdrawn", 9) == 4
       && mana_tlog_reason_code("withdraw", 8) == -1
       && mana_tlog_reason_name(5) == NULL,
       "reason names and codes both ways; unknown ones refused");
}


int
main(void)
{
    test_rfc6962_roots();
    test_stored_hash_index();
    test_every_pair();
    test_ranges();
    test_large_trees();
    test_certificate_transparency();
    test_tile_paths();
    test_tiles();
    test_bundles();
    test_leaves();

    return done_testing();
}
