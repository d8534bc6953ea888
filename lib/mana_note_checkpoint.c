/*
 * The checkpoint text of C2SP tlog-checkpoint. Parsing is strict: one
 * spelling per tree head, so that two checkpoint texts never mean the
 * same head (and a signature never covers two meanings).
 */

#include <string.h>

#include "mana_base64.h"
#include "mana_note.h"
#include "mana_tlog.h"
#include "mana_utf8.h"


#define MANA_NOTE_ROOT_B64_LEN  44


static int
mana_note_line_valid(const char *s, size_t len)
{
    size_t  i;

    if (len == 0) {
        return 0;
    }

    for (i = 0; i < len; i++) {
        if ((unsigned char) s[i] < 0x20) {
            return 0;
        }
    }

    return mana_utf8_valid(s, len);
}


int
mana_note_checkpoint_format(char *buf, size_t cap, const char *origin,
    size_t origin_len, int64_t size, const unsigned char root[32])
{
    int      i;
    char     digits[20];
    size_t   len, n;
    int64_t  v;

    if (!mana_note_line_valid(origin, origin_len) || size < 0
        || size > MANA_TLOG_MAX_SIZE)
    {
        return -1;
    }

    n = 0;
    v = size;

    do {
        digits[n++] = (char) ('0' + v % 10);
        v /= 10;
    } while (v > 0);

    len = origin_len + 1 + n + 1 + MANA_NOTE_ROOT_B64_LEN + 1;

    if (len > cap || len > MANA_NOTE_MAX_LEN) {
        return -1;
    }

    memcpy(buf, origin, origin_len);
    len = origin_len;
    buf[len++] = '\n';

    for (i = (int) n - 1; i >= 0; i--) {
        buf[len++] = digits[i];
    }

    buf[len++] = '\n';
    mana_base64_encode(MANA_BASE64_STD, buf + len, root, 32);
    len += MANA_NOTE_ROOT_B64_LEN;
    buf[len++] = '\n';

    return (int) len;
}


int
mana_note_checkpoint_parse(mana_note_checkpoint_t *cp, const char *text,
    size_t len)
{
    size_t       n;
    int64_t      size;
    const char  *p, *end, *eol;

    if (len == 0 || len > MANA_NOTE_MAX_LEN || text[len - 1] != '\n') {
        return -1;
    }

    p = text;
    end = text + len;

    /* the origin */
    eol = memchr(p, '\n', (size_t) (end - p));
    if (!mana_note_line_valid(p, (size_t) (eol - p))) {
        return -1;
    }

    cp->origin = p;
    cp->origin_len = (size_t) (eol - p);
    p = eol + 1;

    /* the size: digits only, "0" or no leading zero, within bounds */
    eol = memchr(p, '\n', (size_t) (end - p));
    if (eol == NULL || eol == p || (p[0] == '0' && eol - p > 1)) {
        return -1;
    }

    size = 0;

    for (n = 0; p + n < eol; n++) {
        if (p[n] < '0' || p[n] > '9'
            || size > (MANA_TLOG_MAX_SIZE - (p[n] - '0')) / 10)
        {
            return -1;
        }

        size = size * 10 + (p[n] - '0');
    }

    cp->size = size;
    p = eol + 1;

    /* the root hash */
    eol = memchr(p, '\n', (size_t) (end - p));
    if (eol == NULL || eol - p != MANA_NOTE_ROOT_B64_LEN
        || mana_base64_decode(MANA_BASE64_STD, cp->root, sizeof(cp->root),
                              &n, p, MANA_NOTE_ROOT_B64_LEN) != 0
        || n != 32)
    {
        return -1;
    }

    p = eol + 1;

    /* extension lines, each non-empty */
    cp->extensions = p < end ? p : NULL;
    cp->extensions_len = (size_t) (end - p);

    while (p < end) {
        eol = memchr(p, '\n', (size_t) (end - p));
        if (!mana_note_line_valid(p, (size_t) (eol - p))) {
            return -1;
        }

        p = eol + 1;
    }

    return 0;
}
