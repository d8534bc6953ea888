/*
 * Document links: the address Meta fetches a certificate's PDF from when
 * the citizen is sent it as a WhatsApp document message,
 *
 *     https://<verify host>/D/<token>
 *
 * The token is base64url (no padding) of 32 bytes:
 *
 *     cti (12) || expiry, unix seconds, big-endian (4) || mac (16)
 *
 * where mac is the first 16 bytes of HMAC-SHA256 under the document key
 * of "mana-doclink/1", a NUL, the cti and the expiry bytes.  The key lives
 * in a file both nginx (mana_document_key_file) and mmctl read; it never
 * leaves them.  A link names one certificate, cannot be altered to name
 * another, and stops working at its expiry.  See docs/document-links.md.
 */

#ifndef MANA_DOCLINK_H
#define MANA_DOCLINK_H

#include <stddef.h>
#include <stdint.h>

#include "mana_mm1.h"


#define MANA_DOCLINK_TOKEN_LEN  43          /* characters, without NUL */
#define MANA_DOCLINK_KEY_MIN    32          /* bytes of key, at least */
#define MANA_DOCLINK_TTL        (7 * 86400) /* a link lives a week */


typedef enum {
    MANA_DOCLINK_OK = 0,
    MANA_DOCLINK_MALFORMED,     /* not 43 base64url characters */
    MANA_DOCLINK_FORGED,        /* the mac does not hold */
    MANA_DOCLINK_EXPIRED        /* genuine, but its time has passed */
} mana_doclink_rc_e;


/*
 * The token for cti until expires, NUL-terminated in out.  Returns 0, or
 * -1 when the key is shorter than MANA_DOCLINK_KEY_MIN or expires is not
 * a time a 32-bit unsigned number holds.
 */
int mana_doclink_token(char out[MANA_DOCLINK_TOKEN_LEN + 1],
    const unsigned char *key, size_t key_len,
    const unsigned char cti[MANA_MM1_CTI_LEN], int64_t expires);

/*
 * Checks token (n characters, not NUL-terminated) at time now.  On
 * MANA_DOCLINK_OK and MANA_DOCLINK_EXPIRED, cti and *expires hold what the
 * token names; the mac is checked in constant time before the expiry is
 * looked at.
 */
mana_doclink_rc_e mana_doclink_check(const char *token, size_t n,
    const unsigned char *key, size_t key_len, int64_t now,
    unsigned char cti[MANA_MM1_CTI_LEN], int64_t *expires);

/*
 * A key file's content as the key: trailing white space (a newline an
 * editor added) is not part of it.  Returns the key's length, or -1 with
 * the reason in err when the file cannot be read or the key is shorter
 * than MANA_DOCLINK_KEY_MIN.  Blocking: call it at configuration time.
 */
int mana_doclink_key_read(const char *path, unsigned char *key, size_t max,
    char *err, size_t errlen);

#endif /* MANA_DOCLINK_H */
