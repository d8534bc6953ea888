/*
 * The public issuance log: a Merkle tree log as in RFC 6962 / RFC 9162
 * section 2.1, stored as in Go's golang.org/x/mod/sumdb/tlog.
 *
 * Storage. Every hash the tree will ever need is stored once, in a dense
 * linear order (mana_tlog_stored_hash_index): appending leaf n stores its
 * leaf hash and the roots of the 1 + trailing_ones(n) complete subtrees it
 * finishes, about two rows per leaf, and nothing stored is ever rewritten.
 * Tree hashes and proofs for any size are computed from stored hashes.
 *
 * Two ways to call. Every operation that reads stored hashes comes in
 * three functions:
 *
 *   mana_tlog_X_indexes(..., idx)      which stored hashes X needs, in the
 *                                      order X wants them (at most
 *                                      MANA_TLOG_MAX_INDEXES, ascending)
 *   mana_tlog_X_from(..., hashes, n)   X computed from exactly those hashes
 *   mana_tlog_X(..., read, ctx)        both, with a reader callback between
 *
 * mmctl uses mana_tlog_X() with a reader that runs a blocking SELECT. The
 * nginx module must not block, so it calls mana_tlog_X_indexes(), sends
 * one query for those rows (SELECT ... WHERE idx IN (...)) through its
 * non-blocking pool, and when the rows arrive puts them in the same order
 * and calls mana_tlog_X_from(). The indexes of several operations may be
 * fetched in one query (a checkpoint's tree hash and a proof, say); each
 * _from() call gets its own slice, in its own order.
 *
 * Bounds. Tree sizes are at most MANA_TLOG_MAX_SIZE (2^53, so that every
 * size and index is exact in a JavaScript number on the verification
 * page); sizes, indexes and proof lengths outside their range are refused,
 * never trusted.
 */

#ifndef MANA_TLOG_H
#define MANA_TLOG_H

#include <stddef.h>
#include <stdint.h>


#define MANA_TLOG_HASH_LEN     32
#define MANA_TLOG_MAX_SIZE     ((int64_t) 1 << 53)
#define MANA_TLOG_MAX_LEVEL    53
/* hashes in any inclusion or consistency proof */
#define MANA_TLOG_MAX_PROOF    (MANA_TLOG_MAX_LEVEL + 1)
/* stored hashes any one operation reads (tiles excepted) */
#define MANA_TLOG_MAX_INDEXES  128


typedef enum {
    MANA_TLOG_OK = 0,
    MANA_TLOG_RANGE,        /* a size or index out of range */
    MANA_TLOG_READ,         /* the reader failed, or gave the wrong count */
    MANA_TLOG_BAD_PROOF,    /* wrong length, or does not lead to the root */
    MANA_TLOG_CRYPTO        /* OpenSSL failed */
} mana_tlog_rc_e;


/*
 * Reads the stored hashes at indexes[0..n) into out[0..n); 0 on success,
 * -1 on any failure (a missing row is a failure).
 */
typedef int (*mana_tlog_read_pt)(void *ctx, const int64_t *indexes, size_t n,
    unsigned char (*out)[MANA_TLOG_HASH_LEN]);


/* SHA-256(0x00 || leaf) and SHA-256(0x01 || left || right); -1 on failure */
int mana_tlog_leaf_hash(unsigned char out[MANA_TLOG_HASH_LEN],
    const void *leaf, size_t len);
int mana_tlog_node_hash(unsigned char out[MANA_TLOG_HASH_LEN],
    const unsigned char left[MANA_TLOG_HASH_LEN],
    const unsigned char right[MANA_TLOG_HASH_LEN]);

/*
 * The storage order. The hash of the subtree at (level, n) covers leaves
 * [n << level, (n + 1) << level); -1 when that is outside the largest
 * tree. split is the inverse; stored_hash_count(size) is how many stored
 * hashes a tree of that size has (-1 for a size out of range).
 */
int64_t mana_tlog_stored_hash_index(int level, int64_t n);
int mana_tlog_split_stored_hash_index(int64_t index, int *level,
    int64_t *n);
int64_t mana_tlog_stored_hash_count(int64_t size);


/*
 * Appending leaf n (the tree has n leaves before): out receives the
 * 1 + trailing_ones(n) hashes to store at mana_tlog_stored_hash_index(0, n)
 * onwards (*n_out of them, at most MANA_TLOG_MAX_LEVEL + 1).
 */
int mana_tlog_stored_hashes_indexes(int64_t n, int64_t *idx);
mana_tlog_rc_e mana_tlog_stored_hashes_from(int64_t n,
    const unsigned char leaf_hash[MANA_TLOG_HASH_LEN],
    const unsigned char (*hashes)[MANA_TLOG_HASH_LEN], size_t n_hashes,
    unsigned char (*out)[MANA_TLOG_HASH_LEN], size_t *n_out);
mana_tlog_rc_e mana_tlog_stored_hashes(int64_t n,
    const unsigned char leaf_hash[MANA_TLOG_HASH_LEN], mana_tlog_read_pt read,
    void *ctx, unsigned char (*out)[MANA_TLOG_HASH_LEN], size_t *n_out);

/* The root of the tree of the first size leaves (SHA-256("") when empty) */
int mana_tlog_tree_hash_indexes(int64_t size, int64_t *idx);
mana_tlog_rc_e mana_tlog_tree_hash_from(int64_t size,
    const unsigned char (*hashes)[MANA_TLOG_HASH_LEN], size_t n_hashes,
    unsigned char out[MANA_TLOG_HASH_LEN]);
mana_tlog_rc_e mana_tlog_tree_hash(int64_t size, mana_tlog_read_pt read,
    void *ctx, unsigned char out[MANA_TLOG_HASH_LEN]);

/*
 * The inclusion proof ("audit path", RFC 9162 2.1.3) of leaf n in the tree
 * of size t, leaf side first: *proof_len hashes, at most MANA_TLOG_MAX_PROOF.
 */
int mana_tlog_prove_record_indexes(int64_t t, int64_t n, int64_t *idx);
mana_tlog_rc_e mana_tlog_prove_record_from(int64_t t, int64_t n,
    const unsigned char (*hashes)[MANA_TLOG_HASH_LEN], size_t n_hashes,
    unsigned char (*proof)[MANA_TLOG_HASH_LEN], size_t *proof_len);
mana_tlog_rc_e mana_tlog_prove_record(int64_t t, int64_t n,
    mana_tlog_read_pt read, void *ctx,
    unsigned char (*proof)[MANA_TLOG_HASH_LEN], size_t *proof_len);
/* MANA_TLOG_OK when proof leads from leaf hash h at index n to root th */
mana_tlog_rc_e mana_tlog_check_record(
    const unsigned char (*proof)[MANA_TLOG_HASH_LEN], size_t proof_len,
    int64_t t, const unsigned char th[MANA_TLOG_HASH_LEN], int64_t n,
    const unsigned char h[MANA_TLOG_HASH_LEN]);

/*
 * The consistency proof (RFC 9162 2.1.4) that the tree of size t extends
 * the tree of size n, 1 <= n <= t (empty when n == t).
 */
int mana_tlog_prove_tree_indexes(int64_t t, int64_t n, int64_t *idx);
mana_tlog_rc_e mana_tlog_prove_tree_from(int64_t t, int64_t n,
    const unsigned char (*hashes)[MANA_TLOG_HASH_LEN], size_t n_hashes,
    unsigned char (*proof)[MANA_TLOG_HASH_LEN], size_t *proof_len);
mana_tlog_rc_e mana_tlog_prove_tree(int64_t t, int64_t n,
    mana_tlog_read_pt read, void *ctx,
    unsigned char (*proof)[MANA_TLOG_HASH_LEN], size_t *proof_len);
/* MANA_TLOG_OK when proof shows root th of size t extends root h of n */
mana_tlog_rc_e mana_tlog_check_tree(
    const unsigned char (*proof)[MANA_TLOG_HASH_LEN], size_t proof_len,
    int64_t t, const unsigned char th[MANA_TLOG_HASH_LEN], int64_t n,
    const unsigned char h[MANA_TLOG_HASH_LEN]);


/*
 * Tiles (C2SP tlog-tiles, height 8): tile/<L>/<N>[.p/<W>] holds W hashes of
 * tree level 8 * L, the N * 256-th onwards; tile/entries/<N>[.p/<W>] holds
 * the leaves N * 256 onwards as an entry bundle. The server answers both
 * from stored hashes and leaf rows.
 */

#define MANA_TLOG_TILE_HEIGHT    8
#define MANA_TLOG_TILE_WIDTH     256
#define MANA_TLOG_TILE_ENTRIES   (-1)
/* the longest path mana_tlog_tile_path() writes, with its terminator */
#define MANA_TLOG_TILE_PATH_MAX  64

typedef struct {
    int       level;        /* 0..6, or MANA_TLOG_TILE_ENTRIES */
    int64_t   n;
    unsigned  width;        /* 1..256; 256 is a full tile */
} mana_tlog_tile_t;


/* writes the NUL-ended path "tile/..."; its length, or -1 for a bad tile */
int mana_tlog_tile_path(char buf[MANA_TLOG_TILE_PATH_MAX],
    const mana_tlog_tile_t *tile);
/*
 * Parses path[0..len) ("tile/..." with the log's prefix removed): only the
 * canonical spelling, and only tiles inside the largest tree; 0 or -1.
 */
int mana_tlog_tile_parse(mana_tlog_tile_t *tile, const char *path,
    size_t len);
/* the width tile n of a level has in a tree of size s (0: none yet) */
unsigned mana_tlog_tile_width(int level, int64_t n, int64_t size);
/* 1 when every hash (or entry) of the tile exists in a tree of size s */
int mana_tlog_tile_in_tree(const mana_tlog_tile_t *tile, int64_t size);
/*
 * The stored hash indexes whose hashes, concatenated, are the tile's
 * content (tile->width of them, idx room for MANA_TLOG_TILE_WIDTH); for an
 * entry bundle, the leaf indexes. -1 for a bad tile.
 */
int mana_tlog_tile_indexes(const mana_tlog_tile_t *tile, int64_t *idx);

/*
 * Entry bundles: each entry as a big-endian uint16 length and its bytes.
 * put writes one entry into dst (room for cap bytes): 2 + len, or 0 when
 * it does not fit or is longer than 65535 bytes. next reads one entry from
 * *pos (before end): 1 and the entry, 0 at the end, -1 when truncated.
 */
#define MANA_TLOG_ENTRY_MAX  65535

size_t mana_tlog_bundle_put(unsigned char *dst, size_t cap, const void *entry,
    size_t len);
int mana_tlog_bundle_next(const unsigned char **pos, const unsigned char *end,
    const unsigned char **entry, size_t *len);


/*
 * The leaves (public, no personal data):
 *
 *   issuance    0x01 || kid[8] || SHA-256(COSE_Sign1 bytes)[32]
 *                    || iat (u64 BE) || doctype (u16 BE)          51 bytes
 *   revocation  0x02 || kid[8] || SHA-256(cti)[32]
 *                    || revoked_at (u64 BE) || reason (u8)        50 bytes
 */

#define MANA_TLOG_LEAF_ISSUANCE        0x01
#define MANA_TLOG_LEAF_REVOCATION      0x02
#define MANA_TLOG_ISSUANCE_LEAF_LEN    51
#define MANA_TLOG_REVOCATION_LEAF_LEN  50
#define MANA_TLOG_LEAF_MAX             51
#define MANA_TLOG_KID_LEN              8

/* why a certificate was revoked; a new code needs new verifiers */
typedef enum {
    MANA_TLOG_REASON_UNSPECIFIED = 0,
    MANA_TLOG_REASON_KEY_COMPROMISE = 1,    /* the signing key leaked */
    MANA_TLOG_REASON_SUPERSEDED = 2,        /* replaced by a new certificate */
    MANA_TLOG_REASON_ISSUED_IN_ERROR = 3,   /* wrong facts or wrong person */
    MANA_TLOG_REASON_WITHDRAWN = 4,         /* cancelled by the office */
    MANA_TLOG_REASON_COUNT
} mana_tlog_reason_e;

typedef struct {
    unsigned       type;                    /* MANA_TLOG_LEAF_* */
    unsigned char  kid[MANA_TLOG_KID_LEN];
    unsigned char  digest[32];              /* of the COSE bytes, or of cti */
    uint64_t       time;                    /* iat, or revoked_at */
    unsigned       doctype;                 /* issuance only */
    unsigned       reason;                  /* revocation only */
} mana_tlog_leaf_t;


int mana_tlog_issuance_leaf(unsigned char out[MANA_TLOG_ISSUANCE_LEAF_LEN],
    const unsigned char kid[MANA_TLOG_KID_LEN], const unsigned char *cose,
    size_t cose_len, uint64_t iat, unsigned doctype);
int mana_tlog_revocation_leaf(
    unsigned char out[MANA_TLOG_REVOCATION_LEAF_LEN],
    const unsigned char kid[MANA_TLOG_KID_LEN], const unsigned char *cti,
    size_t cti_len, uint64_t revoked_at, unsigned reason);
/* 0, or -1 for anything but exactly one well-formed leaf */
int mana_tlog_leaf_parse(mana_tlog_leaf_t *leaf, const unsigned char *p,
    size_t len);
/* "superseded" and back; NULL or -1 for an unknown code or name */
const char *mana_tlog_reason_name(unsigned reason);
int mana_tlog_reason_code(const char *name, size_t len);

#endif /* MANA_TLOG_H */
