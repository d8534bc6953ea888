/*
 * QR codes as a matrix of modules, for drawing as vectors (the PDF
 * certificate) or as anything else.  Error correction is always Q: a
 * printed certificate gets folded, stamped and photocopied.
 *
 * A text made only of the QR alphanumeric set (0-9 A-Z space $ % * + - . /
 * :), such as the upper-case verification URL HTTPS://HOST/C/BASE32..., is
 * encoded as one alphanumeric segment: 5.5 bits a character instead of 8,
 * which is several versions smaller.  Any other text is one byte segment.
 *
 * The matrix has no quiet zone: whoever draws it leaves 4 light modules
 * around it.  Thread-safe (libqrencode is built with pthreads on Debian).
 */

#ifndef MANA_QR_H
#define MANA_QR_H

#include <stddef.h>


/* the longest text that can fit: a version 40-Q code holds 2,420
 * alphanumeric characters (and 1,663 bytes in byte mode) */
#define MANA_QR_MAX_TEXT  2420


typedef struct {
    int             version;    /* 1-40 */
    int             size;       /* modules a side: 17 + 4 * version */
    int             alnum;      /* 1 when encoded in alphanumeric mode */
    unsigned char  *bits;       /* size * size, row-major, 1 = dark */
} mana_qr_t;


/* 1 when every byte of s[0..n) is in the QR alphanumeric set */
int mana_qr_is_alnum(const char *s, size_t n);

/*
 * Encodes text[0..len) at the smallest version that holds it.  Returns 0,
 * or -1 with the reason in err (empty, too long, out of memory).  Free the
 * result with mana_qr_free().
 */
int mana_qr_encode(mana_qr_t *qr, const char *text, size_t len, char *err,
    size_t errlen);
void mana_qr_free(mana_qr_t *qr);

#define mana_qr_dark(qr, x, y)  ((qr)->bits[(size_t) (y) * (qr)->size + (x)])

#endif /* MANA_QR_H */
