#include <stdlib.h>
#include <string.h>

#include "mana_cbor.h"
#include "mana_utf8.h"


#define MANA_CBOR_NO_VALUE  ((size_t) -1)


void
mana_cbor_head(mana_buf_t *b, unsigned major, uint64_t v)
{
    size_t         n, i;
    unsigned char  h[9];

    if (v < 24) {
        h[0] = (unsigned char) (major << 5 | v);
        mana_buf_add(b, h, 1);
        return;
    }

    if (v <= 0xff) {
        h[0] = (unsigned char) (major << 5 | 24);
        n = 1;

    } else if (v <= 0xffff) {
        h[0] = (unsigned char) (major << 5 | 25);
        n = 2;

    } else if (v <= 0xffffffff) {
        h[0] = (unsigned char) (major << 5 | 26);
        n = 4;

    } else {
        h[0] = (unsigned char) (major << 5 | 27);
        n = 8;
    }

    for (i = n; i > 0; i--) {
        h[i] = (unsigned char) v;
        v >>= 8;
    }

    mana_buf_add(b, h, n + 1);
}


void
mana_cbor_uint(mana_buf_t *b, uint64_t v)
{
    mana_cbor_head(b, MANA_CBOR_UINT, v);
}


void
mana_cbor_int(mana_buf_t *b, int64_t v)
{
    if (v >= 0) {
        mana_cbor_head(b, MANA_CBOR_UINT, (uint64_t) v);

    } else {
        /* -1 - v without overflow, INT64_MIN included */
        mana_cbor_head(b, MANA_CBOR_NINT, ~(uint64_t) v);
    }
}


void
mana_cbor_bytes(mana_buf_t *b, const void *p, size_t n)
{
    mana_cbor_head(b, MANA_CBOR_BYTES, n);
    mana_buf_add(b, p, n);
}


void
mana_cbor_text(mana_buf_t *b, const char *s, size_t n)
{
    mana_cbor_head(b, MANA_CBOR_TEXT, n);
    mana_buf_add(b, s, n);
}


void
mana_cbor_array(mana_buf_t *b, size_t n)
{
    mana_cbor_head(b, MANA_CBOR_ARRAY, n);
}


void
mana_cbor_tag(mana_buf_t *b, uint64_t tag)
{
    mana_cbor_head(b, MANA_CBOR_TAG, tag);
}


/* maps */


typedef struct {
    const char  *key;
    size_t       key_len;
    const char  *value;
    size_t       value_len;
} mana_cbor_entry_t;


void
mana_cbor_map_init(mana_cbor_map_t *m)
{
    mana_buf_init(&m->data);
    m->marks = NULL;
    m->n = 0;
    m->cap = 0;
    m->failed = 0;
}


void
mana_cbor_map_free(mana_cbor_map_t *m)
{
    mana_buf_free(&m->data);
    free(m->marks);
    m->marks = NULL;
    m->n = 0;
    m->cap = 0;
}


mana_buf_t *
mana_cbor_map_key(mana_cbor_map_t *m)
{
    size_t   cap;
    size_t  *p;

    if (m->n > 0 && m->marks[2 * m->n - 1] == MANA_CBOR_NO_VALUE) {
        m->failed = 1;
    }

    if (m->n == m->cap && !m->failed) {
        cap = m->cap ? 2 * m->cap : 8;
        p = realloc(m->marks, cap * 2 * sizeof(size_t));

        if (p == NULL) {
            m->failed = 1;

        } else {
            m->marks = p;
            m->cap = cap;
        }
    }

    if (!m->failed) {
        m->marks[2 * m->n] = m->data.len;
        m->marks[2 * m->n + 1] = MANA_CBOR_NO_VALUE;
        m->n++;
    }

    return &m->data;
}


mana_buf_t *
mana_cbor_map_value(mana_cbor_map_t *m)
{
    if (m->failed || m->n == 0
        || m->marks[2 * m->n - 1] != MANA_CBOR_NO_VALUE
        || m->marks[2 * m->n - 2] == m->data.len)
    {
        /* a value without a key, or after another value, or an empty key */
        m->failed = 1;

    } else {
        m->marks[2 * m->n - 1] = m->data.len;
    }

    return &m->data;
}


static int
mana_cbor_bytes_cmp(const void *a, size_t an, const void *b, size_t bn)
{
    int  rc;

    rc = memcmp(a, b, an < bn ? an : bn);
    if (rc != 0) {
        return rc;
    }

    return an < bn ? -1 : an > bn;
}


static int
mana_cbor_entry_cmp(const void *a, const void *b)
{
    const mana_cbor_entry_t  *x = a, *y = b;

    return mana_cbor_bytes_cmp(x->key, x->key_len, y->key, y->key_len);
}


int
mana_cbor_map_end(mana_cbor_map_t *m, mana_buf_t *out)
{
    int                 rc;
    size_t              i, vstart, vend;
    mana_cbor_entry_t  *e;

    rc = -1;
    e = NULL;

    if (m->failed || mana_buf_failed(&m->data)) {
        goto done;
    }

    if (m->n > 0) {
        e = malloc(m->n * sizeof(mana_cbor_entry_t));
        if (e == NULL) {
            goto done;
        }
    }

    for (i = 0; i < m->n; i++) {
        vstart = m->marks[2 * i + 1];
        vend = i + 1 < m->n ? m->marks[2 * i + 2] : m->data.len;

        if (vstart == MANA_CBOR_NO_VALUE || vstart == vend) {
            goto done;
        }

        e[i].key = m->data.data + m->marks[2 * i];
        e[i].key_len = vstart - m->marks[2 * i];
        e[i].value = m->data.data + vstart;
        e[i].value_len = vend - vstart;
    }

    if (m->n > 1) {
        qsort(e, m->n, sizeof(mana_cbor_entry_t), mana_cbor_entry_cmp);
    }

    for (i = 1; i < m->n; i++) {
        if (mana_cbor_entry_cmp(&e[i - 1], &e[i]) == 0) {
            goto done;
        }
    }

    mana_cbor_head(out, MANA_CBOR_MAP, m->n);

    for (i = 0; i < m->n; i++) {
        mana_buf_add(out, e[i].key, e[i].key_len);
        mana_buf_add(out, e[i].value, e[i].value_len);
    }

    rc = mana_buf_failed(out) ? -1 : 0;

done:

    free(e);
    mana_cbor_map_free(m);

    return rc;
}


/* decoding */


void
mana_cbor_dec_init(mana_cbor_dec_t *d, const void *p, size_t n,
    unsigned max_depth, size_t max_items)
{
    d->p = p;
    d->end = d->p + n;
    d->max_depth = max_depth < MANA_CBOR_MAX_DEPTH ? max_depth
                                                   : MANA_CBOR_MAX_DEPTH;
    d->max_items = max_items;
    d->err = NULL;

    /* the top level is a frame of one item: a second one is trailing */
    d->frame[0].left = 1;
    d->frame[0].key = NULL;
    d->frame[0].key_len = 0;
    d->frame[0].is_map = 0;
    d->depth = 1;
}


static int
mana_cbor_fail(mana_cbor_dec_t *d, const char *why)
{
    if (d->err == NULL) {
        d->err = why;
    }

    return -1;
}


static int
mana_cbor_read_head(mana_cbor_dec_t *d, unsigned *major, uint64_t *v)
{
    size_t    n, i;
    unsigned  ai;

    if (d->p == d->end) {
        return mana_cbor_fail(d, "unexpected end of input");
    }

    *major = *d->p >> 5;
    ai = *d->p & 0x1f;
    d->p++;

    if (*major == 7) {
        return mana_cbor_fail(d, "a float or simple value");
    }

    if (ai < 24) {
        *v = ai;
        return 0;
    }

    if (ai == 31) {
        return mana_cbor_fail(d, "an indefinite length");
    }

    if (ai > 27) {
        return mana_cbor_fail(d, "reserved additional information");
    }

    n = (size_t) 1 << (ai - 24);

    if ((size_t) (d->end - d->p) < n) {
        return mana_cbor_fail(d, "unexpected end of input");
    }

    *v = 0;

    for (i = 0; i < n; i++) {
        *v = *v << 8 | d->p[i];
    }

    d->p += n;

    /* the shortest form: each argument size starts where the last ends */
    if ((ai == 24 && *v < 24)
        || (ai == 25 && *v <= 0xff)
        || (ai == 26 && *v <= 0xffff)
        || (ai == 27 && *v <= 0xffffffff))
    {
        return mana_cbor_fail(d, "a head longer than needed");
    }

    return 0;
}


/*
 * Reads one head (and a string's bytes), and keeps the books: the
 * container's items left, the order of a map's keys, depth and limits.
 */
static int
mana_cbor_next(mana_cbor_dec_t *d, unsigned *major, uint64_t *v,
    const unsigned char **data)
{
    int                   at_key, cmp;
    size_t                left;
    mana_cbor_frame_t    *f;
    const unsigned char  *start;

    if (d->err) {
        return -1;
    }

    if (d->depth == 0) {
        return mana_cbor_fail(d, d->p == d->end ? "no more items"
                                                : "trailing bytes");
    }

    f = &d->frame[d->depth - 1];
    at_key = f->is_map && f->left % 2 == 0;
    start = d->p;

    if (mana_cbor_read_head(d, major, v) != 0) {
        return -1;
    }

    left = (size_t) (d->end - d->p);

    switch (*major) {

    case MANA_CBOR_BYTES:
    case MANA_CBOR_TEXT:
        if (*v > left) {
            return mana_cbor_fail(d, "a string longer than the input");
        }

        if (*major == MANA_CBOR_TEXT
            && !mana_utf8_valid((const char *) d->p, (size_t) *v))
        {
            return mana_cbor_fail(d, "text that is not UTF-8");
        }

        if (data != NULL) {
            *data = d->p;
        }

        d->p += *v;

        break;

    case MANA_CBOR_ARRAY:
    case MANA_CBOR_MAP:
    case MANA_CBOR_TAG:
        if (at_key) {
            return mana_cbor_fail(d, "a map key that is not an integer "
                                     "or a string");
        }

        if (*major == MANA_CBOR_TAG) {
            /* not an item of its own: the tagged item is */
            return 0;
        }

        if (*v > d->max_items) {
            return mana_cbor_fail(d, "too many items");
        }

        /* every item takes a byte at least */
        if (*v > (*major == MANA_CBOR_MAP ? left / 2 : left)) {
            return mana_cbor_fail(d, "more items than the input holds");
        }

        if (d->depth > d->max_depth) {
            return mana_cbor_fail(d, "nested too deep");
        }

        break;
    }

    if (at_key) {
        if (f->key != NULL) {
            cmp = mana_cbor_bytes_cmp(f->key, f->key_len, start,
                                      (size_t) (d->p - start));
            if (cmp == 0) {
                return mana_cbor_fail(d, "a repeated map key");
            }

            if (cmp > 0) {
                return mana_cbor_fail(d, "map keys out of order");
            }
        }

        f->key = start;
        f->key_len = (size_t) (d->p - start);
    }

    f->left--;

    if ((*major == MANA_CBOR_ARRAY || *major == MANA_CBOR_MAP) && *v > 0) {
        f = &d->frame[d->depth++];
        f->left = *major == MANA_CBOR_MAP ? 2 * (size_t) *v : (size_t) *v;
        f->key = NULL;
        f->key_len = 0;
        f->is_map = *major == MANA_CBOR_MAP;
        return 0;
    }

    while (d->depth > 0 && d->frame[d->depth - 1].left == 0) {
        d->depth--;
    }

    return 0;
}


int
mana_cbor_peek(mana_cbor_dec_t *d)
{
    if (d->err || d->depth == 0 || d->p == d->end) {
        return -1;
    }

    return *d->p >> 5;
}


static int
mana_cbor_get(mana_cbor_dec_t *d, unsigned want, uint64_t *v,
    const unsigned char **data)
{
    unsigned  major;

    if (mana_cbor_next(d, &major, v, data) != 0) {
        return -1;
    }

    if (major != want) {
        return mana_cbor_fail(d, "an item of another type");
    }

    return 0;
}


int
mana_cbor_get_uint(mana_cbor_dec_t *d, uint64_t *v)
{
    return mana_cbor_get(d, MANA_CBOR_UINT, v, NULL);
}


int
mana_cbor_get_int(mana_cbor_dec_t *d, int64_t *v)
{
    unsigned  major;
    uint64_t  u;

    if (mana_cbor_next(d, &major, &u, NULL) != 0) {
        return -1;
    }

    if (major != MANA_CBOR_UINT && major != MANA_CBOR_NINT) {
        return mana_cbor_fail(d, "an item of another type");
    }

    if (u > INT64_MAX) {
        return mana_cbor_fail(d, "an integer out of range");
    }

    *v = major == MANA_CBOR_UINT ? (int64_t) u : -1 - (int64_t) u;

    return 0;
}


int
mana_cbor_get_bytes(mana_cbor_dec_t *d, const unsigned char **p, size_t *n)
{
    uint64_t  v;

    if (mana_cbor_get(d, MANA_CBOR_BYTES, &v, p) != 0) {
        return -1;
    }

    *n = (size_t) v;

    return 0;
}


int
mana_cbor_get_text(mana_cbor_dec_t *d, const char **s, size_t *n)
{
    uint64_t              v;
    const unsigned char  *p;

    if (mana_cbor_get(d, MANA_CBOR_TEXT, &v, &p) != 0) {
        return -1;
    }

    *s = (const char *) p;
    *n = (size_t) v;

    return 0;
}


int
mana_cbor_get_array(mana_cbor_dec_t *d, size_t *n)
{
    uint64_t  v;

    if (mana_cbor_get(d, MANA_CBOR_ARRAY, &v, NULL) != 0) {
        return -1;
    }

    *n = (size_t) v;

    return 0;
}


int
mana_cbor_get_map(mana_cbor_dec_t *d, size_t *n)
{
    uint64_t  v;

    if (mana_cbor_get(d, MANA_CBOR_MAP, &v, NULL) != 0) {
        return -1;
    }

    *n = (size_t) v;

    return 0;
}


int
mana_cbor_get_tag(mana_cbor_dec_t *d, uint64_t *tag)
{
    return mana_cbor_get(d, MANA_CBOR_TAG, tag, NULL);
}


int
mana_cbor_skip(mana_cbor_dec_t *d)
{
    unsigned              depth, major;
    uint64_t              v;
    const unsigned char  *data;

    depth = d->depth;

    do {
        if (mana_cbor_next(d, &major, &v, &data) != 0) {
            return -1;
        }

    } while (major == MANA_CBOR_TAG || d->depth > depth);

    return 0;
}


int
mana_cbor_dec_finish(mana_cbor_dec_t *d)
{
    if (d->err) {
        return -1;
    }

    if (d->depth != 0) {
        return mana_cbor_fail(d, "an unfinished item");
    }

    if (d->p != d->end) {
        return mana_cbor_fail(d, "trailing bytes");
    }

    return 0;
}
