
/*
 * The issuance log as mmctl writes it: appending a leaf inside the
 * caller's transaction, and reading stored hashes for lib/mana_tlog.c.
 */

#ifndef _MMCTL_TLOG_H_INCLUDED_
#define _MMCTL_TLOG_H_INCLUDED_


#include <stdint.h>

#include "mmctl.h"
#include "mana_tlog.h"


/*
 * Locks tlog_state's row (in the caller's transaction) and gives its
 * size: the index the next leaf takes.  Two issuers wait on this lock, so
 * no index is ever taken twice.
 */
int mmctl_tlog_lock(mmctl_ctx_t *ctx, int64_t *size);

/* the size, read without a lock (in the caller's snapshot, if any) */
int mmctl_tlog_size(mmctl_ctx_t *ctx, int64_t *size);

/*
 * Appends leaf at index size (the size mmctl_tlog_lock() gave, in the same
 * transaction): its row, its stored hashes and the new size.
 */
int mmctl_tlog_append(mmctl_ctx_t *ctx, int64_t size,
    const unsigned char *leaf, size_t len);

/* a mana_tlog_read_pt over tlog_hash; ctx is the mmctl_ctx_t */
int mmctl_tlog_read(void *ctx, const int64_t *indexes, size_t n,
    unsigned char (*out)[MANA_TLOG_HASH_LEN]);


#endif /* _MMCTL_TLOG_H_INCLUDED_ */
