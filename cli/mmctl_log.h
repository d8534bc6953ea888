
/*
 * What the "log" noun's files share: the signed checkpoints of the
 * issuance log as tlog_checkpoint stores them.
 */

#ifndef _MMCTL_LOG_H_INCLUDED_
#define _MMCTL_LOG_H_INCLUDED_


#include <stdint.h>

#include "mmctl.h"
#include "mana_buf.h"
#include "mana_tlog.h"


typedef struct {
    int64_t         size;
    unsigned char   root[MANA_TLOG_HASH_LEN];
    mana_buf_t      note;
} mmctl_log_checkpoint_t;


/* mmctl_log.c */

/*
 * The n latest checkpoints, newest first, into cp[0..*found); a row
 * whose root is not 32 bytes is an error that names it.
 */
int mmctl_log_checkpoints(mmctl_ctx_t *ctx, mmctl_log_checkpoint_t *cp,
    size_t n, size_t *found);
void mmctl_log_checkpoints_free(mmctl_log_checkpoint_t *cp, size_t n);


/* mmctl_log_verify.c */
int mmctl_log_verify(mmctl_ctx_t *ctx, mmctl_args_t *args);


#endif /* _MMCTL_LOG_H_INCLUDED_ */
