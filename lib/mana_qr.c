#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "mana_qr.h"


int
mana_qr_is_alnum(const char *s, size_t n)
{
    size_t  i;
    char    c;

    for (i = 0; i < n; i++) {
        c = s[i];

        if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
            continue;
        }

        if (strchr(" $%*+-./:", c) == NULL || c == '\0') {
            return 0;
        }
    }

    return 1;
}


static QRcode *
mana_qr_encode_alnum(const char *text, size_t len)
{
    QRcode   *code;
    QRinput  *input;

    /* version 0: the smallest that holds the data */
    input = QRinput_new2(0, QR_ECLEVEL_Q);
    if (input == NULL) {
        return NULL;
    }

    if (QRinput_append(input, QR_MODE_AN, (int) len,
                       (const unsigned char *) text) != 0)
    {
        QRinput_free(input);
        return NULL;
    }

    code = QRcode_encodeInput(input);
    QRinput_free(input);

    return code;
}


int
mana_qr_encode(mana_qr_t *qr, const char *text, size_t len, char *err,
    size_t errlen)
{
    int      alnum;
    size_t   i, n;
    QRcode  *code;

    qr->version = 0;
    qr->size = 0;
    qr->alnum = 0;
    qr->bits = NULL;

    if (len == 0) {
        snprintf(err, errlen, "QR: empty text");
        return -1;
    }

    if (len > MANA_QR_MAX_TEXT) {
        snprintf(err, errlen, "QR: text of %zu bytes is over %d", len,
                 MANA_QR_MAX_TEXT);
        return -1;
    }

    alnum = mana_qr_is_alnum(text, len);

    errno = 0;
    code = alnum ? mana_qr_encode_alnum(text, len)
                 : QRcode_encodeData((int) len, (const unsigned char *) text,
                                     0, QR_ECLEVEL_Q);
    if (code == NULL) {
        snprintf(err, errlen, "QR: %s", errno == ERANGE
                 ? "text too long for a version 40-Q code"
                 : "cannot encode (out of memory)");
        return -1;
    }

    n = (size_t) code->width * (size_t) code->width;

    qr->bits = malloc(n);
    if (qr->bits == NULL) {
        QRcode_free(code);
        snprintf(err, errlen, "QR: out of memory");
        return -1;
    }

    /* libqrencode's other bits say what a module is (finder, timing...) */
    for (i = 0; i < n; i++) {
        qr->bits[i] = code->data[i] & 1;
    }

    qr->version = code->version;
    qr->size = code->width;
    qr->alnum = alnum;

    QRcode_free(code);

    return 0;
}


void
mana_qr_free(mana_qr_t *qr)
{
    free(qr->bits);
    qr->bits = NULL;
    qr->size = 0;
    qr->version = 0;
}
