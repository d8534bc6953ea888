/*
 * RFC 4648 Base64: the standard alphabet with padding (section 4), as in
 * C2SP signed notes and their verifier keys, and the URL-safe alphabet
 * without padding (section 5), as in the trust list's keys and signatures.
 *
 * The decoders are strict, so that one byte string has one text: no white
 * space, no character of the other alphabet, padding exactly where the
 * variant wants it (always for the standard one, never for the URL-safe
 * one), no non-zero bits after the last byte, and at most max bytes out,
 * checked before any character is read.
 */

#ifndef MANA_BASE64_H
#define MANA_BASE64_H

#include <stddef.h>

#include "mana_buf.h"


typedef enum {
    MANA_BASE64_STD = 0,        /* A-Z a-z 0-9 + /, padded with = */
    MANA_BASE64_URL             /* A-Z a-z 0-9 - _, no padding */
} mana_base64_e;


/* characters that n bytes encode to */
size_t mana_base64_encoded_len(mana_base64_e v, size_t n);
/* writes mana_base64_encoded_len(v, n) characters, no terminator */
void mana_base64_encode(mana_base64_e v, char *dst, const unsigned char *src,
    size_t n);
void mana_base64_encode_buf(mana_base64_e v, mana_buf_t *b,
    const unsigned char *src, size_t n);

/*
 * Decodes src[0..n) into dst, which holds max bytes; *len is the number of
 * bytes written.  0, or -1 with nothing usable in dst.
 */
int mana_base64_decode(mana_base64_e v, unsigned char *dst, size_t max,
    size_t *len, const char *src, size_t n);

#endif /* MANA_BASE64_H */
