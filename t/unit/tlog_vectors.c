/*
 * Prints the roots and proofs lib/mana_tlog.c computes for a log whose
 * leaf i is "mana leaf <i>", for t/09-tlog-independent.t to compare with
 * RFC 9162 computed from its definitions:
 *
 *   root <size> <hex>
 *   incl <size> <index> <hex>,<hex>,...      (an empty proof is "-")
 *   cons <old size> <size> <hex>,<hex>,...
 *
 * Proofs go the way the nginx module will make them: list the stored
 * hashes needed, fetch them, compute from them.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mana_hex.h"
#include "mana_tlog.h"


typedef unsigned char  hash_t[MANA_TLOG_HASH_LEN];

static hash_t   *stored;
static int64_t   n_stored;


static void
fetch(const int64_t *idx, int n, hash_t *out)
{
    int  i;

    for (i = 0; i < n; i++) {
        if (idx[i] < 0 || idx[i] >= n_stored) {
            fprintf(stderr, "index %lld not stored\n", (long long) idx[i]);
            exit(1);
        }

        memcpy(out[i], stored[idx[i]], MANA_TLOG_HASH_LEN);
    }
}


static void
print_hashes(const hash_t *h, size_t n)
{
    size_t  i;
    char    hex[2 * MANA_TLOG_HASH_LEN + 1];

    if (n == 0) {
        printf(" -");
    }

    for (i = 0; i < n; i++) {
        mana_hex_encode(hex, h[i], MANA_TLOG_HASH_LEN);
        hex[2 * MANA_TLOG_HASH_LEN] = '\0';
        printf("%s%s", i ? "," : " ", hex);
    }

    printf("\n");
}


static void
fail(const char *what, int64_t t, int64_t n)
{
    fprintf(stderr, "%s failed at %lld, %lld\n", what, (long long) t,
            (long long) n);
    exit(1);
}


int
main(int argc, char **argv)
{
    int      m;
    char     leaf[32];
    size_t   len, count;
    int64_t  size, t, n, idx[MANA_TLOG_MAX_INDEXES];
    hash_t   lh, h[MANA_TLOG_MAX_INDEXES], out[MANA_TLOG_MAX_PROOF];

    size = argc > 1 ? atoll(argv[1]) : 70;
    if (size < 1 || size > 1000) {
        fprintf(stderr, "usage: tlog_vectors [size 1..1000]\n");
        return 2;
    }

    stored = calloc((size_t) mana_tlog_stored_hash_count(size), sizeof(hash_t));

    for (n = 0; n < size; n++) {
        len = (size_t) snprintf(leaf, sizeof(leaf), "mana leaf %lld",
                                (long long) n);

        m = mana_tlog_stored_hashes_indexes(n, idx);
        fetch(idx, m, h);

        if (mana_tlog_leaf_hash(lh, leaf, len) != 0
            || mana_tlog_stored_hashes_from(n, lh, (const hash_t *) h,
                                            (size_t) m, out, &count)
               != MANA_TLOG_OK)
        {
            fail("append", n, 0);
        }

        memcpy(stored[n_stored], out, count * sizeof(hash_t));
        n_stored += (int64_t) count;
    }

    for (t = 0; t <= size; t++) {
        m = mana_tlog_tree_hash_indexes(t, idx);
        fetch(idx, m, h);

        if (mana_tlog_tree_hash_from(t, (const hash_t *) h, (size_t) m, out[0])
            != MANA_TLOG_OK)
        {
            fail("tree hash", t, 0);
        }

        printf("root %lld", (long long) t);
        print_hashes((const hash_t *) out, 1);

        for (n = 0; n < t; n++) {
            m = mana_tlog_prove_record_indexes(t, n, idx);
            fetch(idx, m, h);

            if (mana_tlog_prove_record_from(t, n, (const hash_t *) h,
                                            (size_t) m, out, &count)
                != MANA_TLOG_OK)
            {
                fail("inclusion proof", t, n);
            }

            printf("incl %lld %lld", (long long) t, (long long) n);
            print_hashes((const hash_t *) out, count);
        }

        for (n = 1; n <= t; n++) {
            m = mana_tlog_prove_tree_indexes(t, n, idx);
            fetch(idx, m, h);

            if (mana_tlog_prove_tree_from(t, n, (const hash_t *) h,
                                          (size_t) m, out, &count)
                != MANA_TLOG_OK)
            {
                fail("consistency proof", t, n);
            }

            printf("cons %lld %lld", (long long) n, (long long) t);
            print_hashes((const hash_t *) out, count);
        }
    }

    free(stored);

    return 0;
}
