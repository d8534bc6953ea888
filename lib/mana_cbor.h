/*
 * Deterministic CBOR (RFC 8949, section 4.2.1), the subset that signed
 * certificates need: unsigned and negative integers, byte and text strings,
 * arrays, maps and tags.
 *
 * Encoding writes the shortest head and definite lengths; a map is built
 * entry by entry and written with its keys sorted by the bytes of their
 * encodings, so the same claims always give the same bytes.
 *
 * Decoding is a cursor over one byte range that reads an item at a time.
 * It refuses what a deterministic encoder never writes (indefinite
 * lengths, heads longer than needed, map keys out of order or repeated),
 * what is malformed (reserved additional information, text that is not
 * UTF-8) and what certificates never hold (floats and simple values,
 * false, true and null included).  Map keys must be integers or
 * strings.  Every length is checked against the bytes that remain before
 * it is used, containers nest at most max_depth deep and hold at most
 * max_items items (pairs, for a map).  The first error sticks: every later
 * call fails, and d->err says why (a constant string, safe to log: it
 * quotes no data).
 */

#ifndef MANA_CBOR_H
#define MANA_CBOR_H

#include <stddef.h>
#include <stdint.h>

#include "mana_buf.h"


#define MANA_CBOR_UINT   0
#define MANA_CBOR_NINT   1
#define MANA_CBOR_BYTES  2
#define MANA_CBOR_TEXT   3
#define MANA_CBOR_ARRAY  4
#define MANA_CBOR_MAP    5
#define MANA_CBOR_TAG    6


/* encoding: every call appends to b (a failed b stays failed) */

void mana_cbor_head(mana_buf_t *b, unsigned major, uint64_t value);
void mana_cbor_uint(mana_buf_t *b, uint64_t v);
void mana_cbor_int(mana_buf_t *b, int64_t v);
void mana_cbor_bytes(mana_buf_t *b, const void *p, size_t n);
void mana_cbor_text(mana_buf_t *b, const char *s, size_t n);
/* heads: the n items (or n key/value pairs) follow */
void mana_cbor_array(mana_buf_t *b, size_t n);
void mana_cbor_tag(mana_buf_t *b, uint64_t tag);


/*
 * A map under construction.  For each entry: encode the key into the
 * buffer that mana_cbor_map_key() returns, then the value (one item, of
 * any size) into the one that mana_cbor_map_value() returns.
 * mana_cbor_map_end() appends the map to out with sorted keys, and fails on
 * a repeated key, an entry without a value, or lack of memory; it frees the
 * map either way.
 */
typedef struct {
    mana_buf_t   data;      /* the entries' keys and values, as added */
    size_t      *marks;     /* per entry: key start, value start */
    size_t       n;
    size_t       cap;
    int          failed;
} mana_cbor_map_t;

void mana_cbor_map_init(mana_cbor_map_t *m);
mana_buf_t *mana_cbor_map_key(mana_cbor_map_t *m);
mana_buf_t *mana_cbor_map_value(mana_cbor_map_t *m);
int mana_cbor_map_end(mana_cbor_map_t *m, mana_buf_t *out);
void mana_cbor_map_free(mana_cbor_map_t *m);


/* decoding */

#define MANA_CBOR_MAX_DEPTH  16

typedef struct {
    size_t                left;      /* items still to read */
    const unsigned char  *key;       /* a map's last key, as encoded */
    size_t                key_len;
    int                   is_map;
} mana_cbor_frame_t;

typedef struct {
    const unsigned char  *p;
    const unsigned char  *end;
    unsigned              depth;
    unsigned              max_depth;
    size_t                max_items;
    const char           *err;
    const unsigned char  *item;      /* where the item being read began */
    /* the top level, then each open container */
    mana_cbor_frame_t     frame[MANA_CBOR_MAX_DEPTH + 1];
} mana_cbor_dec_t;

/* max_depth is at most MANA_CBOR_MAX_DEPTH */
void mana_cbor_dec_init(mana_cbor_dec_t *d, const void *p, size_t n,
    unsigned max_depth, size_t max_items);

/* the major type of the next item, or -1 at the end or after an error */
int mana_cbor_peek(mana_cbor_dec_t *d);

/* 0, or -1 when the next item is not of the type asked for (or bad) */
int mana_cbor_get_uint(mana_cbor_dec_t *d, uint64_t *v);
/* an unsigned or negative integer that fits int64_t */
int mana_cbor_get_int(mana_cbor_dec_t *d, int64_t *v);
/* pointers into the input: valid as long as it is */
int mana_cbor_get_bytes(mana_cbor_dec_t *d, const unsigned char **p,
    size_t *n);
int mana_cbor_get_text(mana_cbor_dec_t *d, const char **s, size_t *n);
/* enter a container: its n items (pairs) are read next */
int mana_cbor_get_array(mana_cbor_dec_t *d, size_t *n);
int mana_cbor_get_map(mana_cbor_dec_t *d, size_t *n);
/* a tag: the tagged item is read next */
int mana_cbor_get_tag(mana_cbor_dec_t *d, uint64_t *tag);
/* one whole item, containers and tags included */
int mana_cbor_skip(mana_cbor_dec_t *d);

/* 0 when every container is closed and no byte is left */
int mana_cbor_dec_finish(mana_cbor_dec_t *d);

#endif /* MANA_CBOR_H */
