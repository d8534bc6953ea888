
/*
 * The "app" noun: applications citizens made through the bot, listed,
 * shown, and decided by an officer.  mmctl_app.c reads; mmctl_app_decide.c
 * approves (issuing the certificate) and rejects, each in one transaction
 * with the status history and the citizen's notification.
 */

#ifndef _MMCTL_APP_H_INCLUDED_
#define _MMCTL_APP_H_INCLUDED_


#include "mmctl.h"
#include "mana_buf.h"


/* a reason given by the officer: request_history.note holds 512 chars */
#define MMCTL_APP_REASON_MAX  512


/* the one option of each: approve's --expires, reject's --reason */
#define MMCTL_APP_APPROVE_EXPIRES  0
#define MMCTL_APP_REJECT_REASON    0


int mmctl_app_approve(mmctl_ctx_t *ctx, mmctl_args_t *args);
int mmctl_app_reject(mmctl_ctx_t *ctx, mmctl_args_t *args);

/*
 * One statement's whole result, or NULL after an mmctl_query_error() (or
 * an "out of memory" error when sql failed to build).
 */
MYSQL_RES *mmctl_app_query(mmctl_ctx_t *ctx, const char *what,
    const mana_buf_t *sql);


#endif /* _MMCTL_APP_H_INCLUDED_ */
