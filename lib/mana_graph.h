/*
 * What the Graph API's answer to a send means for the outbox row: sent
 * (with the new wamid), retry later, fail for good, or resend as a
 * template.  Codes and classes from the Cloud API reference; decisions are
 * made on "code", never on titles.
 */

#ifndef MANA_GRAPH_H
#define MANA_GRAPH_H

#include <stddef.h>

#include "mana_buf.h"


typedef enum {
    MANA_SEND_OK = 0,       /* accepted: wamid set */
    MANA_SEND_RETRY,        /* temporary: back off and send again */
    MANA_SEND_FAIL,         /* permanent for this message */
    MANA_SEND_TEMPLATE,     /* 131047: outside the 24-hour window */
    MANA_SEND_AUTH          /* 190: the token is rejected; the operator must act */
} mana_send_verdict_e;


typedef struct {
    mana_send_verdict_e  verdict;
    long long            code;          /* Graph error code, or 0 */
    char                 wamid[192];
    char                 error[512];    /* code, message, details */
} mana_send_result_t;


/*
 * Classifies an HTTP answer (status 0: no answer at all - a refused or
 * reset connection, a timeout).
 */
void mana_graph_classify(mana_send_result_t *res, unsigned status,
    const char *body, size_t len);

/*
 * How long to wait (in the unit of base and max) before attempt number
 * "attempts" (1 = the first retry): exponential from base, capped at max,
 * with +-25% jitter from "random".
 */
unsigned mana_graph_backoff(unsigned attempts, unsigned base, unsigned max,
    unsigned random);

/* the template message that replaces a free-form one outside the window */
int mana_graph_template(mana_buf_t *out, const char *to, const char *name,
    const char *lang);

#endif /* MANA_GRAPH_H */
