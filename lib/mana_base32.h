/*
 * RFC 4648 Base32 (section 6), upper case, without padding: the transport
 * of a certificate in its QR code, where every character must be in the QR
 * alphanumeric set (docs/certificates.md, "MM1 format").
 *
 * The decoder is strict, so that one byte string has one text:
 *
 *   - no padding ('='), no white space, nothing outside the alphabet;
 *   - the length is one that an encoder produces (not 1, 3 or 6 mod 8);
 *   - the bits after the last whole byte are zero (a non-canonical text,
 *     which would decode to the same bytes as another, is refused);
 *   - at most max decoded bytes, checked before any character is read.
 *
 * Lower case letters are accepted as their upper case: a scanner, a browser
 * or a chat application may lower-case a URL it passes on, and the case
 * carries no information (the signature covers the decoded bytes, never
 * the text).  The encoder always writes upper case.
 */

#ifndef MANA_BASE32_H
#define MANA_BASE32_H

#include <stddef.h>

#include "mana_buf.h"


typedef enum {
    MANA_BASE32_OK = 0,
    MANA_BASE32_TOO_LONG,       /* more than max bytes would come out */
    MANA_BASE32_LENGTH,         /* 1, 3 or 6 characters mod 8 */
    MANA_BASE32_CHAR,           /* padding or a character not in the set */
    MANA_BASE32_NONCANONICAL    /* non-zero bits after the last byte */
} mana_base32_rc_e;


/* characters that n bytes encode to: ceil(8 n / 5) */
size_t mana_base32_encoded_len(size_t n);
/* writes mana_base32_encoded_len(n) characters, no terminator */
void mana_base32_encode(char *dst, const unsigned char *src, size_t n);
void mana_base32_encode_buf(mana_buf_t *b, const unsigned char *src,
    size_t n);

/*
 * Decodes src[0..n) into dst, which holds max bytes; *len is the number of
 * bytes written.  Nothing but MANA_BASE32_OK means the bytes can be used.
 */
mana_base32_rc_e mana_base32_decode(unsigned char *dst, size_t max,
    size_t *len, const char *src, size_t n);

#endif /* MANA_BASE32_H */
