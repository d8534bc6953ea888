#ifndef MANA_HEX_H
#define MANA_HEX_H

#include <stddef.h>


/* writes 2 * n lowercase hex digits, no terminator */
void mana_hex_encode(char *dst, const unsigned char *src, size_t n);
/* decodes 2 * n hex digits of either case; -1 on a non-hex digit */
int mana_hex_decode(unsigned char *dst, const char *src, size_t n);

#endif /* MANA_HEX_H */
