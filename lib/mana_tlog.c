/*
 * The Merkle tree maths of the issuance log. The walks follow RFC 6962
 * section 2.1 exactly as Go's sumdb/tlog does (its proofs verify against
 * Certificate Transparency logs); every walk comes in two forms that visit
 * the tree in the same order: one lists the stored hashes it needs, the
 * other consumes them.
 */

#include <pthread.h>
#include <string.h>

#include <openssl/evp.h>

#include "mana_tlog.h"


typedef unsigned char  mana_tlog_hash_t[MANA_TLOG_HASH_LEN];

/* the stored hash indexes a walk needs, bounded */
typedef struct {
    int64_t                 *idx;
    size_t                   n;
    int                      overflow;
} mana_tlog_need_t;

/* the stored hashes a walk consumes, in the order the first walk listed */
typedef struct {
    const mana_tlog_hash_t  *h;
    size_t                   n;
    size_t                   next;
} mana_tlog_have_t;

/* a proof being built or run, leaf side first */
typedef struct {
    mana_tlog_hash_t        *h;
    size_t                   n;
} mana_tlog_proof_t;


static pthread_once_t   mana_tlog_md_once = PTHREAD_ONCE_INIT;
static EVP_MD          *mana_tlog_md;


static void
mana_tlog_md_fetch(void)
{
    mana_tlog_md = EVP_MD_fetch(NULL, "SHA256", NULL);
}


/*
 * SHA-256 fetched once: OpenSSL 3 looks EVP_sha256() up again on every
 * digest, which triples the cost of a node hash, and proofs are many
 * node hashes
 */
static const EVP_MD *
mana_tlog_sha256(void)
{
    pthread_once(&mana_tlog_md_once, mana_tlog_md_fetch);

    return mana_tlog_md ? mana_tlog_md : EVP_sha256();
}


int
mana_tlog_leaf_hash(unsigned char out[MANA_TLOG_HASH_LEN], const void *leaf,
    size_t len)
{
    int                         rc;
    unsigned int                n;
    EVP_MD_CTX                 *ctx;
    static const unsigned char  zero = 0x00;

    ctx = EVP_MD_CTX_new();
    if (ctx == NULL) {
        return -1;
    }

    rc = EVP_DigestInit_ex(ctx, mana_tlog_sha256(), NULL) == 1
         && EVP_DigestUpdate(ctx, &zero, 1) == 1
         && EVP_DigestUpdate(ctx, leaf, len) == 1
         && EVP_DigestFinal_ex(ctx, out, &n) == 1
         && n == MANA_TLOG_HASH_LEN;

    EVP_MD_CTX_free(ctx);

    return rc ? 0 : -1;
}


int
mana_tlog_node_hash(unsigned char out[MANA_TLOG_HASH_LEN],
    const unsigned char left[MANA_TLOG_HASH_LEN],
    const unsigned char right[MANA_TLOG_HASH_LEN])
{
    unsigned int   n;
    unsigned char  buf[1 + 2 * MANA_TLOG_HASH_LEN];

    buf[0] = 0x01;
    memcpy(buf + 1, left, MANA_TLOG_HASH_LEN);
    memcpy(buf + 1 + MANA_TLOG_HASH_LEN, right, MANA_TLOG_HASH_LEN);

    /* out may be left or right: buf holds copies */
    if (EVP_Digest(buf, sizeof(buf), out, &n, mana_tlog_sha256(), NULL) != 1
        || n != MANA_TLOG_HASH_LEN)
    {
        return -1;
    }

    return 0;
}


/* k, the largest power of two below n (1 for n <= 2), and its log */
static int64_t
mana_tlog_maxpow2(int64_t n, int *level)
{
    int  l;

    l = 0;

    while (((int64_t) 1 << (l + 1)) < n) {
        l++;
    }

    if (level) {
        *level = l;
    }

    return (int64_t) 1 << l;
}


static int
mana_tlog_trailing_ones(int64_t n)
{
    int  m;

    for (m = 0; n & 1; n >>= 1) {
        m++;
    }

    return m;
}


/* the storage order without range checks: callers have checked */
static int64_t
mana_tlog_index(int level, int64_t n)
{
    int      l;
    int64_t  i;

    /* level L's n-th hash is stored right after level L+1's (2n+1)-th */
    for (l = level; l > 0; l--) {
        n = 2 * n + 1;
    }

    /* level 0's n-th hash is at n + n/2 + n/4 + ... */
    for (i = 0; n > 0; n >>= 1) {
        i += n;
    }

    return i + level;
}


int64_t
mana_tlog_stored_hash_index(int level, int64_t n)
{
    if (level < 0 || level > MANA_TLOG_MAX_LEVEL || n < 0
        || n >= (MANA_TLOG_MAX_SIZE >> level))
    {
        return -1;
    }

    return mana_tlog_index(level, n);
}


int64_t
mana_tlog_stored_hash_count(int64_t size)
{
    int64_t  count, i;

    if (size < 0 || size > MANA_TLOG_MAX_SIZE) {
        return -1;
    }

    if (size == 0) {
        return 0;
    }

    /* the hashes up to the last leaf's, and the subtrees it completes */
    count = mana_tlog_index(0, size - 1) + 1;

    for (i = size - 1; i & 1; i >>= 1) {
        count++;
    }

    return count;
}


int
mana_tlog_split_stored_hash_index(int64_t index, int *level, int64_t *n)
{
    int64_t  m, at, next;

    if (index < 0 || index >= mana_tlog_stored_hash_count(MANA_TLOG_MAX_SIZE))
    {
        return -1;
    }

    /*
     * index(0, m) is 2m - popcount(m): not above index for m = index / 2,
     * and the leaf whose append stored this hash is at most log2(index)
     * leaves further on
     */
    m = index / 2;
    at = mana_tlog_index(0, m);

    for ( ;; ) {
        /* appending leaf m stores 1 + trailing_ones(m) hashes */
        next = at + 1 + mana_tlog_trailing_ones(m);
        if (next > index) {
            break;
        }

        m++;
        at = next;
    }

    /* the hash stored with leaf m: one of (0, m), (1, m/2), (2, m/4), ... */
    *level = (int) (index - at);
    *n = m >> *level;

    return 0;
}


static void
mana_tlog_need(mana_tlog_need_t *need, int64_t index)
{
    if (need->n == MANA_TLOG_MAX_INDEXES) {
        need->overflow = 1;
        return;
    }

    need->idx[need->n++] = index;
}


/*
 * The hash of leaves [lo, hi): the complete subtrees it splits into, left
 * to right, are each one stored hash.
 */
static void
mana_tlog_subtree_indexes(int64_t lo, int64_t hi, mana_tlog_need_t *need)
{
    int      level;
    int64_t  k;

    while (lo < hi) {
        k = mana_tlog_maxpow2(hi - lo + 1, &level);
        mana_tlog_need(need, mana_tlog_index(level, lo >> level));
        lo += k;
    }
}


static mana_tlog_rc_e
mana_tlog_subtree_hash(int64_t lo, int64_t hi, mana_tlog_have_t *have,
    unsigned char out[MANA_TLOG_HASH_LEN])
{
    size_t                  parts, i;
    const mana_tlog_hash_t *h;

    for (parts = 0; lo < hi; parts++) {
        lo += mana_tlog_maxpow2(hi - lo + 1, NULL);
    }

    if (parts == 0 || have->n - have->next < parts) {
        return MANA_TLOG_READ;
    }

    h = have->h + have->next;
    have->next += parts;

    /* the rightmost part is the deepest: fold from the right */
    memcpy(out, h[parts - 1], MANA_TLOG_HASH_LEN);

    for (i = parts - 1; i > 0; i--) {
        if (mana_tlog_node_hash(out, h[i - 1], out) != 0) {
            return MANA_TLOG_CRYPTO;
        }
    }

    return MANA_TLOG_OK;
}


static mana_tlog_rc_e
mana_tlog_have_all(const mana_tlog_have_t *have, mana_tlog_rc_e rc)
{
    /* hashes left over mean the caller's rows do not match the request */
    if (rc == MANA_TLOG_OK && have->next != have->n) {
        return MANA_TLOG_READ;
    }

    return rc;
}


/* --- appending ----------------------------------------------------------- */


int
mana_tlog_stored_hashes_indexes(int64_t n, int64_t *idx)
{
    int  m, i;

    if (n < 0 || n >= MANA_TLOG_MAX_SIZE) {
        return -1;
    }

    /* each trailing 1 bit of n completes a subtree with its left sibling */
    m = mana_tlog_trailing_ones(n);

    for (i = 0; i < m; i++) {
        idx[m - 1 - i] = mana_tlog_index(i, (n >> i) - 1);
    }

    return m;
}


mana_tlog_rc_e
mana_tlog_stored_hashes_from(int64_t n,
    const unsigned char leaf_hash[MANA_TLOG_HASH_LEN],
    const unsigned char (*hashes)[MANA_TLOG_HASH_LEN], size_t n_hashes,
    unsigned char (*out)[MANA_TLOG_HASH_LEN], size_t *n_out)
{
    int  m, i;

    if (n < 0 || n >= MANA_TLOG_MAX_SIZE) {
        return MANA_TLOG_RANGE;
    }

    m = mana_tlog_trailing_ones(n);

    if (n_hashes != (size_t) m) {
        return MANA_TLOG_READ;
    }

    memcpy(out[0], leaf_hash, MANA_TLOG_HASH_LEN);

    for (i = 0; i < m; i++) {
        if (mana_tlog_node_hash(out[i + 1], hashes[m - 1 - i], out[i]) != 0) {
            return MANA_TLOG_CRYPTO;
        }
    }

    *n_out = (size_t) m + 1;

    return MANA_TLOG_OK;
}


mana_tlog_rc_e
mana_tlog_stored_hashes(int64_t n,
    const unsigned char leaf_hash[MANA_TLOG_HASH_LEN], mana_tlog_read_pt read,
    void *ctx, unsigned char (*out)[MANA_TLOG_HASH_LEN], size_t *n_out)
{
    int               m;
    int64_t           idx[MANA_TLOG_MAX_INDEXES];
    mana_tlog_hash_t  h[MANA_TLOG_MAX_INDEXES];

    m = mana_tlog_stored_hashes_indexes(n, idx);
    if (m < 0) {
        return MANA_TLOG_RANGE;
    }

    if (m > 0 && read(ctx, idx, (size_t) m, h) != 0) {
        return MANA_TLOG_READ;
    }

    return mana_tlog_stored_hashes_from(n, leaf_hash,
                                        (const mana_tlog_hash_t *) h,
                                        (size_t) m, out, n_out);
}


/* --- the tree hash ------------------------------------------------------- */


int
mana_tlog_tree_hash_indexes(int64_t size, int64_t *idx)
{
    mana_tlog_need_t  need = { idx, 0, 0 };

    if (size < 0 || size > MANA_TLOG_MAX_SIZE) {
        return -1;
    }

    mana_tlog_subtree_indexes(0, size, &need);

    return need.overflow ? -1 : (int) need.n;
}


mana_tlog_rc_e
mana_tlog_tree_hash_from(int64_t size,
    const unsigned char (*hashes)[MANA_TLOG_HASH_LEN], size_t n_hashes,
    unsigned char out[MANA_TLOG_HASH_LEN])
{
    unsigned int      n;
    mana_tlog_have_t  have = { hashes, n_hashes, 0 };

    if (size < 0 || size > MANA_TLOG_MAX_SIZE) {
        return MANA_TLOG_RANGE;
    }

    if (size == 0) {
        /* RFC 9162: the empty tree's hash is SHA-256 of nothing */
        if (n_hashes != 0) {
            return MANA_TLOG_READ;
        }

        return EVP_Digest("", 0, out, &n, mana_tlog_sha256(), NULL) == 1
               ? MANA_TLOG_OK : MANA_TLOG_CRYPTO;
    }

    return mana_tlog_have_all(&have,
                              mana_tlog_subtree_hash(0, size, &have, out));
}


mana_tlog_rc_e
mana_tlog_tree_hash(int64_t size, mana_tlog_read_pt read, void *ctx,
    unsigned char out[MANA_TLOG_HASH_LEN])
{
    int               m;
    int64_t           idx[MANA_TLOG_MAX_INDEXES];
    mana_tlog_hash_t  h[MANA_TLOG_MAX_INDEXES];

    m = mana_tlog_tree_hash_indexes(size, idx);
    if (m < 0) {
        return MANA_TLOG_RANGE;
    }

    if (m > 0 && read(ctx, idx, (size_t) m, h) != 0) {
        return MANA_TLOG_READ;
    }

    return mana_tlog_tree_hash_from(size, (const mana_tlog_hash_t *) h,
                                    (size_t) m, out);
}


/* --- inclusion proofs ---------------------------------------------------- */


static void
mana_tlog_record_indexes(int64_t lo, int64_t hi, int64_t n,
    mana_tlog_need_t *need)
{
    int64_t  k;

    if (lo + 1 == hi) {
        return;
    }

    k = mana_tlog_maxpow2(hi - lo, NULL);

    if (n < lo + k) {
        mana_tlog_record_indexes(lo, lo + k, n, need);
        mana_tlog_subtree_indexes(lo + k, hi, need);

    } else {
        mana_tlog_subtree_indexes(lo, lo + k, need);
        mana_tlog_record_indexes(lo + k, hi, n, need);
    }
}


/* walks down towards n, recording the hash of each path not taken */
static mana_tlog_rc_e
mana_tlog_record_proof(int64_t lo, int64_t hi, int64_t n,
    mana_tlog_have_t *have, mana_tlog_proof_t *p)
{
    int64_t           k;
    mana_tlog_rc_e    rc;
    mana_tlog_hash_t  th;

    if (lo + 1 == hi) {
        /* the verifier knows the leaf hash */
        return MANA_TLOG_OK;
    }

    k = mana_tlog_maxpow2(hi - lo, NULL);

    if (n < lo + k) {
        rc = mana_tlog_record_proof(lo, lo + k, n, have, p);
        if (rc == MANA_TLOG_OK) {
            rc = mana_tlog_subtree_hash(lo + k, hi, have, th);
        }

    } else {
        rc = mana_tlog_subtree_hash(lo, lo + k, have, th);
        if (rc == MANA_TLOG_OK) {
            rc = mana_tlog_record_proof(lo + k, hi, n, have, p);
        }
    }

    if (rc != MANA_TLOG_OK) {
        return rc;
    }

    if (p->n == MANA_TLOG_MAX_PROOF) {
        return MANA_TLOG_RANGE;
    }

    memcpy(p->h[p->n++], th, MANA_TLOG_HASH_LEN);

    return MANA_TLOG_OK;
}


int
mana_tlog_prove_record_indexes(int64_t t, int64_t n, int64_t *idx)
{
    mana_tlog_need_t  need = { idx, 0, 0 };

    if (t < 1 || t > MANA_TLOG_MAX_SIZE || n < 0 || n >= t) {
        return -1;
    }

    mana_tlog_record_indexes(0, t, n, &need);

    return need.overflow ? -1 : (int) need.n;
}


mana_tlog_rc_e
mana_tlog_prove_record_from(int64_t t, int64_t n,
    const unsigned char (*hashes)[MANA_TLOG_HASH_LEN], size_t n_hashes,
    unsigned char (*proof)[MANA_TLOG_HASH_LEN], size_t *proof_len)
{
    mana_tlog_rc_e     rc;
    mana_tlog_have_t   have = { hashes, n_hashes, 0 };
    mana_tlog_proof_t  p = { proof, 0 };

    if (t < 1 || t > MANA_TLOG_MAX_SIZE || n < 0 || n >= t) {
        return MANA_TLOG_RANGE;
    }

    rc = mana_tlog_have_all(&have, mana_tlog_record_proof(0, t, n, &have, &p));
    if (rc == MANA_TLOG_OK) {
        *proof_len = p.n;
    }

    return rc;
}


mana_tlog_rc_e
mana_tlog_prove_record(int64_t t, int64_t n, mana_tlog_read_pt read,
    void *ctx, unsigned char (*proof)[MANA_TLOG_HASH_LEN], size_t *proof_len)
{
    int               m;
    int64_t           idx[MANA_TLOG_MAX_INDEXES];
    mana_tlog_hash_t  h[MANA_TLOG_MAX_INDEXES];

    m = mana_tlog_prove_record_indexes(t, n, idx);
    if (m < 0) {
        return MANA_TLOG_RANGE;
    }

    if (m > 0 && read(ctx, idx, (size_t) m, h) != 0) {
        return MANA_TLOG_READ;
    }

    return mana_tlog_prove_record_from(t, n, (const mana_tlog_hash_t *) h,
                                       (size_t) m, proof, proof_len);
}


/*
 * Runs the proof for leaves [lo, hi): the subtree hash it implies. The
 * proof's last hash belongs to the top of the walk, so each level takes
 * one hash off the end and hands the rest down.
 */
static mana_tlog_rc_e
mana_tlog_run_record_proof(const mana_tlog_hash_t *p, size_t plen,
    int64_t lo, int64_t hi, int64_t n, const unsigned char *leaf,
    unsigned char out[MANA_TLOG_HASH_LEN])
{
    int64_t           k;
    mana_tlog_rc_e    rc;
    mana_tlog_hash_t  th;

    if (lo + 1 == hi) {
        /* a proof with hashes to spare is not a proof of this leaf */
        if (plen != 0) {
            return MANA_TLOG_BAD_PROOF;
        }

        memcpy(out, leaf, MANA_TLOG_HASH_LEN);
        return MANA_TLOG_OK;
    }

    if (plen == 0) {
        return MANA_TLOG_BAD_PROOF;
    }

    k = mana_tlog_maxpow2(hi - lo, NULL);

    if (n < lo + k) {
        rc = mana_tlog_run_record_proof(p, plen - 1, lo, lo + k, n, leaf, th);
        if (rc != MANA_TLOG_OK) {
            return rc;
        }

        return mana_tlog_node_hash(out, th, p[plen - 1]) == 0
               ? MANA_TLOG_OK : MANA_TLOG_CRYPTO;
    }

    rc = mana_tlog_run_record_proof(p, plen - 1, lo + k, hi, n, leaf, th);
    if (rc != MANA_TLOG_OK) {
        return rc;
    }

    return mana_tlog_node_hash(out, p[plen - 1], th) == 0
           ? MANA_TLOG_OK : MANA_TLOG_CRYPTO;
}


mana_tlog_rc_e
mana_tlog_check_record(const unsigned char (*proof)[MANA_TLOG_HASH_LEN],
    size_t proof_len, int64_t t, const unsigned char th[MANA_TLOG_HASH_LEN],
    int64_t n, const unsigned char h[MANA_TLOG_HASH_LEN])
{
    mana_tlog_rc_e    rc;
    mana_tlog_hash_t  root;

    if (t < 1 || t > MANA_TLOG_MAX_SIZE || n < 0 || n >= t) {
        return MANA_TLOG_RANGE;
    }

    if (proof_len > MANA_TLOG_MAX_PROOF) {
        return MANA_TLOG_BAD_PROOF;
    }

    rc = mana_tlog_run_record_proof(proof, proof_len, 0, t, n, h, root);
    if (rc != MANA_TLOG_OK) {
        return rc;
    }

    /* roots are public: no need for a constant-time comparison */
    return memcmp(root, th, MANA_TLOG_HASH_LEN) == 0 ? MANA_TLOG_OK
                                                     : MANA_TLOG_BAD_PROOF;
}


/* --- consistency proofs -------------------------------------------------- */


static void
mana_tlog_tree_indexes(int64_t lo, int64_t hi, int64_t n,
    mana_tlog_need_t *need)
{
    int64_t  k;

    if (n == hi) {
        /* the old tree itself needs nothing: the verifier has its hash */
        if (lo != 0) {
            mana_tlog_subtree_indexes(lo, hi, need);
        }

        return;
    }

    k = mana_tlog_maxpow2(hi - lo, NULL);

    if (n <= lo + k) {
        mana_tlog_tree_indexes(lo, lo + k, n, need);
        mana_tlog_subtree_indexes(lo + k, hi, need);

    } else {
        mana_tlog_subtree_indexes(lo, lo + k, need);
        mana_tlog_tree_indexes(lo + k, hi, n, need);
    }
}


static mana_tlog_rc_e
mana_tlog_tree_proof(int64_t lo, int64_t hi, int64_t n,
    mana_tlog_have_t *have, mana_tlog_proof_t *p)
{
    int64_t           k;
    mana_tlog_rc_e    rc;
    mana_tlog_hash_t  th;

    if (n == hi) {
        if (lo == 0) {
            return MANA_TLOG_OK;
        }

        rc = mana_tlog_subtree_hash(lo, hi, have, th);

    } else {
        k = mana_tlog_maxpow2(hi - lo, NULL);

        if (n <= lo + k) {
            rc = mana_tlog_tree_proof(lo, lo + k, n, have, p);
            if (rc == MANA_TLOG_OK) {
                rc = mana_tlog_subtree_hash(lo + k, hi, have, th);
            }

        } else {
            rc = mana_tlog_subtree_hash(lo, lo + k, have, th);
            if (rc == MANA_TLOG_OK) {
                rc = mana_tlog_tree_proof(lo + k, hi, n, have, p);
            }
        }
    }

    if (rc != MANA_TLOG_OK) {
        return rc;
    }

    if (p->n == MANA_TLOG_MAX_PROOF) {
        return MANA_TLOG_RANGE;
    }

    memcpy(p->h[p->n++], th, MANA_TLOG_HASH_LEN);

    return MANA_TLOG_OK;
}


int
mana_tlog_prove_tree_indexes(int64_t t, int64_t n, int64_t *idx)
{
    mana_tlog_need_t  need = { idx, 0, 0 };

    if (t < 1 || t > MANA_TLOG_MAX_SIZE || n < 1 || n > t) {
        return -1;
    }

    mana_tlog_tree_indexes(0, t, n, &need);

    return need.overflow ? -1 : (int) need.n;
}


mana_tlog_rc_e
mana_tlog_prove_tree_from(int64_t t, int64_t n,
    const unsigned char (*hashes)[MANA_TLOG_HASH_LEN], size_t n_hashes,
    unsigned char (*proof)[MANA_TLOG_HASH_LEN], size_t *proof_len)
{
    mana_tlog_rc_e     rc;
    mana_tlog_have_t   have = { hashes, n_hashes, 0 };
    mana_tlog_proof_t  p = { proof, 0 };

    if (t < 1 || t > MANA_TLOG_MAX_SIZE || n < 1 || n > t) {
        return MANA_TLOG_RANGE;
    }

    rc = mana_tlog_have_all(&have, mana_tlog_tree_proof(0, t, n, &have, &p));
    if (rc == MANA_TLOG_OK) {
        *proof_len = p.n;
    }

    return rc;
}


mana_tlog_rc_e
mana_tlog_prove_tree(int64_t t, int64_t n, mana_tlog_read_pt read, void *ctx,
    unsigned char (*proof)[MANA_TLOG_HASH_LEN], size_t *proof_len)
{
    int               m;
    int64_t           idx[MANA_TLOG_MAX_INDEXES];
    mana_tlog_hash_t  h[MANA_TLOG_MAX_INDEXES];

    m = mana_tlog_prove_tree_indexes(t, n, idx);
    if (m < 0) {
        return MANA_TLOG_RANGE;
    }

    if (m > 0 && read(ctx, idx, (size_t) m, h) != 0) {
        return MANA_TLOG_READ;
    }

    return mana_tlog_prove_tree_from(t, n, (const mana_tlog_hash_t *) h,
                                     (size_t) m, proof, proof_len);
}


/*
 * Runs the consistency proof for leaves [lo, hi): the hashes of that range
 * in the old tree (oh) and in the new one (nh).
 */
static mana_tlog_rc_e
mana_tlog_run_tree_proof(const mana_tlog_hash_t *p, size_t plen, int64_t lo,
    int64_t hi, int64_t n, const unsigned char *old,
    unsigned char oh[MANA_TLOG_HASH_LEN], unsigned char nh[MANA_TLOG_HASH_LEN])
{
    int64_t               k;
    mana_tlog_rc_e        rc;
    const unsigned char  *last;

    if (n == hi) {
        if (lo == 0) {
            if (plen != 0) {
                return MANA_TLOG_BAD_PROOF;
            }

            memcpy(oh, old, MANA_TLOG_HASH_LEN);
            memcpy(nh, old, MANA_TLOG_HASH_LEN);
            return MANA_TLOG_OK;
        }

        if (plen != 1) {
            return MANA_TLOG_BAD_PROOF;
        }

        memcpy(oh, p[0], MANA_TLOG_HASH_LEN);
        memcpy(nh, p[0], MANA_TLOG_HASH_LEN);
        return MANA_TLOG_OK;
    }

    if (plen == 0) {
        return MANA_TLOG_BAD_PROOF;
    }

    k = mana_tlog_maxpow2(hi - lo, NULL);
    last = p[plen - 1];

    if (n <= lo + k) {
        rc = mana_tlog_run_tree_proof(p, plen - 1, lo, lo + k, n, old, oh, nh);
        if (rc != MANA_TLOG_OK) {
            return rc;
        }

        /* the right side is new: only the new tree's hash grows */
        return mana_tlog_node_hash(nh, nh, last) == 0 ? MANA_TLOG_OK
                                                      : MANA_TLOG_CRYPTO;
    }

    rc = mana_tlog_run_tree_proof(p, plen - 1, lo + k, hi, n, old, oh, nh);
    if (rc != MANA_TLOG_OK) {
        return rc;
    }

    if (mana_tlog_node_hash(oh, last, oh) != 0
        || mana_tlog_node_hash(nh, last, nh) != 0)
    {
        return MANA_TLOG_CRYPTO;
    }

    return MANA_TLOG_OK;
}


mana_tlog_rc_e
mana_tlog_check_tree(const unsigned char (*proof)[MANA_TLOG_HASH_LEN],
    size_t proof_len, int64_t t, const unsigned char th[MANA_TLOG_HASH_LEN],
    int64_t n, const unsigned char h[MANA_TLOG_HASH_LEN])
{
    mana_tlog_rc_e    rc;
    mana_tlog_hash_t  oh, nh;

    if (t < 1 || t > MANA_TLOG_MAX_SIZE || n < 1 || n > t) {
        return MANA_TLOG_RANGE;
    }

    if (proof_len > MANA_TLOG_MAX_PROOF) {
        return MANA_TLOG_BAD_PROOF;
    }

    rc = mana_tlog_run_tree_proof(proof, proof_len, 0, t, n, h, oh, nh);
    if (rc != MANA_TLOG_OK) {
        return rc;
    }

    return memcmp(oh, h, MANA_TLOG_HASH_LEN) == 0
           && memcmp(nh, th, MANA_TLOG_HASH_LEN) == 0
           ? MANA_TLOG_OK : MANA_TLOG_BAD_PROOF;
}
