/*
 * The webhook signature: X-Hub-Signature-256: sha256=<64 hex digits>,
 * HMAC-SHA256 of the raw body bytes keyed with the app secret.
 */

#ifndef MANA_HMAC_H
#define MANA_HMAC_H

#include <stddef.h>


typedef enum {
    MANA_SIG_OK = 0,
    MANA_SIG_MALFORMED,     /* not "sha256=" followed by 64 hex digits */
    MANA_SIG_MISMATCH
} mana_sig_rc_e;


mana_sig_rc_e mana_hub_signature_check(const unsigned char *secret,
    size_t secret_len, const unsigned char *body, size_t body_len,
    const char *header, size_t header_len);

/* the header value for a body: "sha256=" and 64 hex digits, NUL-ended */
int mana_hub_signature(char out[72], const unsigned char *secret,
    size_t secret_len, const unsigned char *body, size_t body_len);

#endif /* MANA_HMAC_H */
