/*
 * Messages mmctl queues to a citizen (mmctl_notify.c).
 */

#ifndef _MMCTL_NOTIFY_H_INCLUDED_
#define _MMCTL_NOTIFY_H_INCLUDED_


#include "mmctl.h"


/* the most placeholders a caller adds to {ref} and {service} */
#define MMCTL_NOTIFY_VARS  5


typedef struct {
    const char  *name;      /* "{number}" */
    const char  *value;
} mmctl_var_t;


/*
 * Queues the text key to the citizen, in the caller's transaction: {ref}
 * (ref, which also names the subject in errors), {service} (the service's
 * name in the citizen's language) and the NULL-terminated more filled in.
 * With doc_url, a document message of doc_name with the text as its
 * caption (the text alone when it is too long for one).
 */
int mmctl_notify(mmctl_ctx_t *ctx, unsigned long long citizen,
    const char *service_code, const char *ref, const char *key,
    const mmctl_var_t *more, const char *doc_url, const char *doc_name);


#endif /* _MMCTL_NOTIFY_H_INCLUDED_ */
