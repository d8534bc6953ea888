/*
 * RFC 4180 CSV.  A record is read whole before it is returned, so a quote
 * left open is reported at the line it was opened on, not at the end of
 * the file where the reader gave up.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mana_csv.h"
#include "mana_utf8.h"


static int mana_csv_push(mana_csv_t *c, size_t start);
static int mana_csv_error(mana_csv_t *c, size_t line, size_t field,
    const char *msg);


void
mana_csv_init(mana_csv_t *c, const char *data, size_t len)
{
    memset(c, 0, sizeof(mana_csv_t));

    c->data = data;
    c->len = len;
    c->line = 1;

    if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
        c->pos = 3;
    }

    mana_buf_init(&c->storage);
}


void
mana_csv_free(mana_csv_t *c)
{
    free(c->fields);
    free(c->lens);
    mana_buf_free(&c->storage);
    c->fields = NULL;
    c->lens = NULL;
}


int
mana_csv_next(mana_csv_t *c)
{
    int          quoted;
    char         ch;
    size_t       i, start, line, quote_line;

    c->nfields = 0;
    c->storage.len = 0;
    c->record_line = c->line;

    if (c->pos >= c->len) {
        return 0;
    }

    line = c->line;

    /* offsets into storage first: it may move while it grows */
    start = 0;
    quoted = 0;
    quote_line = 0;

    for ( ;; ) {
        if (c->pos >= c->len) {
            if (quoted) {
                return mana_csv_error(c, quote_line, c->nfields + 1,
                                      "unbalanced quotes: a quoted field "
                                      "is not closed");
            }

            break;
        }

        ch = c->data[c->pos++];

        if (quoted) {
            if (ch == '"') {
                if (c->pos < c->len && c->data[c->pos] == '"') {
                    mana_buf_add(&c->storage, "\"", 1);
                    c->pos++;
                    continue;
                }

                quoted = 0;

                /* only a separator or a line end may follow */
                if (c->pos < c->len && c->data[c->pos] != ','
                    && c->data[c->pos] != '\n' && c->data[c->pos] != '\r')
                {
                    return mana_csv_error(c, line, c->nfields + 1,
                                          "unbalanced quotes: text after a "
                                          "closing quote");
                }

                continue;
            }

            if (ch == '\n') {
                line++;
            }

            mana_buf_add(&c->storage, &ch, 1);
            continue;
        }

        if (ch == '"') {
            if (c->storage.len != start) {
                return mana_csv_error(c, line, c->nfields + 1,
                                      "unbalanced quotes: a quote inside an "
                                      "unquoted field");
            }

            quoted = 1;
            quote_line = line;
            continue;
        }

        if (ch == ',') {
            if (mana_csv_push(c, start) != 0) {
                return -1;
            }

            start = c->storage.len;
            continue;
        }

        if (ch == '\r' && c->pos < c->len && c->data[c->pos] == '\n') {
            c->pos++;
            ch = '\n';
        }

        if (ch == '\n') {
            line++;
            break;
        }

        mana_buf_add(&c->storage, &ch, 1);
    }

    if (mana_csv_push(c, start) != 0) {
        return -1;
    }

    c->line = line;

    if (mana_buf_failed(&c->storage)) {
        return mana_csv_error(c, c->record_line, 0, "out of memory");
    }

    /* now that storage stopped moving, turn offsets into pointers */
    for (i = 0; i < c->nfields; i++) {
        c->fields[i] = c->storage.data + (size_t) c->fields[i];
    }

    for (i = 0; i < c->nfields; i++) {
        if (!mana_utf8_valid(c->fields[i], c->lens[i])
            || memchr(c->fields[i], '\0', c->lens[i]) != NULL)
        {
            return mana_csv_error(c, c->record_line, i + 1,
                                  "not valid UTF-8 text");
        }
    }

    if (c->ncols && c->nfields != c->ncols) {
        snprintf(c->err, sizeof(c->err), "%zu fields where the header has "
                 "%zu", c->nfields, c->ncols);
        c->err_line = c->record_line;
        c->err_field = 0;
        return -1;
    }

    return 1;
}


/* ends the field that started at storage offset start */

static int
mana_csv_push(mana_csv_t *c, size_t start)
{
    size_t   cap;
    char   **f;
    size_t  *l;

    if (c->nfields == c->cap) {
        cap = c->cap ? c->cap * 2 : 16;
        f = realloc(c->fields, cap * sizeof(char *));
        if (f == NULL) {
            return mana_csv_error(c, c->record_line, 0, "out of memory");
        }

        c->fields = f;

        l = realloc(c->lens, cap * sizeof(size_t));
        if (l == NULL) {
            return mana_csv_error(c, c->record_line, 0, "out of memory");
        }

        c->lens = l;
        c->cap = cap;
    }

    c->lens[c->nfields] = c->storage.len - start;
    c->fields[c->nfields] = (char *) start;
    c->nfields++;

    /* NUL-terminate; the terminator is not part of the next field */
    mana_buf_add(&c->storage, "", 1);

    return 0;
}


static int
mana_csv_error(mana_csv_t *c, size_t line, size_t field, const char *msg)
{
    snprintf(c->err, sizeof(c->err), "%s", msg);
    c->err_line = line;
    c->err_field = field;

    return -1;
}


void
mana_csv_field(mana_buf_t *b, const char *s, size_t n, int first)
{
    size_t  i;

    if (!first) {
        mana_buf_add(b, ",", 1);
    }

    if (n == 0 || strcspn(s, ",\"\r\n") >= n) {
        mana_buf_add(b, s, n);
        return;
    }

    mana_buf_add(b, "\"", 1);

    for (i = 0; i < n; i++) {
        if (s[i] == '"') {
            mana_buf_add(b, "\"", 1);
        }

        mana_buf_add(b, &s[i], 1);
    }

    mana_buf_add(b, "\"", 1);
}


void
mana_csv_end(mana_buf_t *b)
{
    mana_buf_add(b, "\r\n", 2);
}
