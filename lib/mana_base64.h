/*
 * Standard base64 (RFC 4648 section 4) with padding, as signed notes and
 * checkpoints use it. Decoding is strict: one spelling per byte string
 * (no whitespace, no missing or extra padding, no stray bits), so that two
 * different texts never carry the same bytes.
 */

#ifndef MANA_BASE64_H
#define MANA_BASE64_H

#include <stddef.h>


#define mana_base64_encoded_len(n)  (((n) + 2) / 3 * 4)


/* writes mana_base64_encoded_len(n) characters, no terminator */
void mana_base64_encode(char *dst, const unsigned char *src, size_t n);
/*
 * decodes src[0..len) into dst (room for cap bytes); the decoded length,
 * or -1 when the text is not canonical base64 or does not fit
 */
long mana_base64_decode(unsigned char *dst, size_t cap, const char *src,
    size_t len);

#endif /* MANA_BASE64_H */
