/*
 * UTF-8 as WhatsApp counts it: limits are in code points, and a cut never
 * splits a sequence.
 */

#ifndef MANA_UTF8_H
#define MANA_UTF8_H

#include <stddef.h>


/* 1 when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates) */
int mana_utf8_valid(const char *s, size_t n);
/* code points in well-formed UTF-8 */
size_t mana_utf8_len(const char *s, size_t n);
/* bytes of the longest prefix holding at most max code points */
size_t mana_utf8_prefix(const char *s, size_t n, size_t max);

#endif /* MANA_UTF8_H */
