/*
 * C2SP tlog-tiles over the stored hashes: a tile at level L is a run of
 * hashes of tree level 8 * L, each of which is one stored hash, so a tile
 * is served by reading its indexes and concatenating the rows.
 */

#include <stdio.h>
#include <string.h>

#include "mana_tlog.h"


#define MANA_TLOG_TILE_MAX_LEVEL  (MANA_TLOG_MAX_LEVEL / MANA_TLOG_TILE_HEIGHT)
/* groups of 3 digits in N: the largest N has 14 digits */
#define MANA_TLOG_TILE_MAX_GROUPS 6


/* the number of complete tree nodes at the tile level's height */
static int64_t
mana_tlog_tile_nodes(int level, int64_t size)
{
    if (level == MANA_TLOG_TILE_ENTRIES) {
        level = 0;
    }

    return size >> (level * MANA_TLOG_TILE_HEIGHT);
}


static int
mana_tlog_tile_valid(const mana_tlog_tile_t *tile)
{
    int64_t  nodes;

    if ((tile->level < 0 && tile->level != MANA_TLOG_TILE_ENTRIES)
        || tile->level > MANA_TLOG_TILE_MAX_LEVEL
        || tile->width < 1 || tile->width > MANA_TLOG_TILE_WIDTH
        || tile->n < 0)
    {
        return 0;
    }

    /* its last hash must exist in the largest tree */
    nodes = mana_tlog_tile_nodes(tile->level, MANA_TLOG_MAX_SIZE);

    return nodes >= tile->width
           && tile->n <= (nodes - tile->width) / MANA_TLOG_TILE_WIDTH;
}


int
mana_tlog_tile_path(char buf[MANA_TLOG_TILE_PATH_MAX],
    const mana_tlog_tile_t *tile)
{
    int       len, i, ngroups;
    int64_t   n;
    unsigned  groups[MANA_TLOG_TILE_MAX_GROUPS];

    if (!mana_tlog_tile_valid(tile)) {
        return -1;
    }

    ngroups = 0;
    n = tile->n;

    do {
        groups[ngroups++] = (unsigned) (n % 1000);
        n /= 1000;
    } while (n > 0 && ngroups < MANA_TLOG_TILE_MAX_GROUPS);

    if (tile->level == MANA_TLOG_TILE_ENTRIES) {
        len = snprintf(buf, MANA_TLOG_TILE_PATH_MAX, "tile/entries/");
    } else {
        len = snprintf(buf, MANA_TLOG_TILE_PATH_MAX, "tile/%d/", tile->level);
    }

    for (i = ngroups - 1; i > 0; i--) {
        len += snprintf(buf + len, MANA_TLOG_TILE_PATH_MAX - len, "x%03u/",
                        groups[i]);
    }

    len += snprintf(buf + len, MANA_TLOG_TILE_PATH_MAX - len, "%03u",
                    groups[0]);

    if (tile->width != MANA_TLOG_TILE_WIDTH) {
        len += snprintf(buf + len, MANA_TLOG_TILE_PATH_MAX - len, ".p/%u",
                        tile->width);
    }

    return len < MANA_TLOG_TILE_PATH_MAX ? len : -1;
}


static int
mana_tlog_is_digit(char c)
{
    return c >= '0' && c <= '9';
}


/* a decimal with no leading zero, at most max; the digits used, or 0 */
static size_t
mana_tlog_parse_small(const char *p, const char *end, unsigned max,
    unsigned *out)
{
    size_t    i;
    unsigned  v;

    v = 0;

    for (i = 0; p + i < end && mana_tlog_is_digit(p[i]); i++) {
        if (i == 3 || (i == 1 && p[0] == '0')) {
            return 0;
        }

        v = v * 10 + (unsigned) (p[i] - '0');
    }

    if (i == 0 || v > max) {
        return 0;
    }

    *out = v;

    return i;
}


int
mana_tlog_tile_parse(mana_tlog_tile_t *tile, const char *path, size_t len)
{
    int               group;
    unsigned          v;
    size_t            used;
    const char       *p, *end;
    mana_tlog_tile_t  t;

    p = path;
    end = path + len;

    if (len < 5 || memcmp(p, "tile/", 5) != 0) {
        return -1;
    }

    p += 5;

    if ((size_t) (end - p) >= 8 && memcmp(p, "entries/", 8) == 0) {
        t.level = MANA_TLOG_TILE_ENTRIES;
        p += 8;

    } else {
        /* 0..63 is the syntax; tiles above level 6 are refused below */
        used = mana_tlog_parse_small(p, end, 63, &v);
        if (used == 0 || p + used == end || p[used] != '/') {
            return -1;
        }

        t.level = (int) v;
        p += used + 1;
    }

    /* N: "x" and 3 digits and "/" for every group but the last */
    t.n = 0;

    for (group = 0; ; group++) {
        if (group == MANA_TLOG_TILE_MAX_GROUPS) {
            return -1;
        }

        if (p < end && *p == 'x') {
            if (end - p < 5 || !mana_tlog_is_digit(p[1])
                || !mana_tlog_is_digit(p[2]) || !mana_tlog_is_digit(p[3])
                || p[4] != '/')
            {
                return -1;
            }

            v = (unsigned) ((p[1] - '0') * 100 + (p[2] - '0') * 10
                            + (p[3] - '0'));

            /* a leading x000 group would be a second spelling of N */
            if (group == 0 && v == 0) {
                return -1;
            }

            t.n = t.n * 1000 + v;
            p += 5;
            continue;
        }

        if (end - p < 3 || !mana_tlog_is_digit(p[0])
            || !mana_tlog_is_digit(p[1]) || !mana_tlog_is_digit(p[2]))
        {
            return -1;
        }

        t.n = t.n * 1000 + (p[0] - '0') * 100 + (p[1] - '0') * 10
              + (p[2] - '0');
        p += 3;
        break;
    }

    t.width = MANA_TLOG_TILE_WIDTH;

    if (p < end) {
        if (end - p < 3 || memcmp(p, ".p/", 3) != 0) {
            return -1;
        }

        p += 3;

        used = mana_tlog_parse_small(p, end, MANA_TLOG_TILE_WIDTH - 1, &v);
        if (used == 0 || v == 0 || p + used != end) {
            return -1;
        }

        t.width = v;
    }

    if (!mana_tlog_tile_valid(&t)) {
        return -1;
    }

    *tile = t;

    return 0;
}


unsigned
mana_tlog_tile_width(int level, int64_t n, int64_t size)
{
    int64_t  nodes, start;

    if ((level < 0 && level != MANA_TLOG_TILE_ENTRIES)
        || level > MANA_TLOG_TILE_MAX_LEVEL || n < 0 || size < 0
        || size > MANA_TLOG_MAX_SIZE)
    {
        return 0;
    }

    nodes = mana_tlog_tile_nodes(level, size);

    if (n > nodes / MANA_TLOG_TILE_WIDTH) {
        return 0;
    }

    start = n * MANA_TLOG_TILE_WIDTH;

    if (nodes - start >= MANA_TLOG_TILE_WIDTH) {
        return MANA_TLOG_TILE_WIDTH;
    }

    return (unsigned) (nodes - start);
}


int
mana_tlog_tile_in_tree(const mana_tlog_tile_t *tile, int64_t size)
{
    return mana_tlog_tile_valid(tile)
           && tile->width <= mana_tlog_tile_width(tile->level, tile->n, size);
}


int
mana_tlog_tile_indexes(const mana_tlog_tile_t *tile, int64_t *idx)
{
    unsigned  i;
    int64_t   first;

    if (!mana_tlog_tile_valid(tile)) {
        return -1;
    }

    first = tile->n * MANA_TLOG_TILE_WIDTH;

    for (i = 0; i < tile->width; i++) {
        idx[i] = tile->level == MANA_TLOG_TILE_ENTRIES
                 ? first + i
                 : mana_tlog_stored_hash_index(
                       tile->level * MANA_TLOG_TILE_HEIGHT, first + i);
    }

    return (int) tile->width;
}


size_t
mana_tlog_bundle_put(unsigned char *dst, size_t cap, const void *entry,
    size_t len)
{
    if (len > MANA_TLOG_ENTRY_MAX || cap < 2 || cap - 2 < len) {
        return 0;
    }

    dst[0] = (unsigned char) (len >> 8);
    dst[1] = (unsigned char) len;
    memcpy(dst + 2, entry, len);

    return len + 2;
}


int
mana_tlog_bundle_next(const unsigned char **pos, const unsigned char *end,
    const unsigned char **entry, size_t *len)
{
    size_t                n;
    const unsigned char  *p;

    p = *pos;

    if (p == end) {
        return 0;
    }

    if (end - p < 2) {
        return -1;
    }

    n = (size_t) p[0] << 8 | p[1];

    if ((size_t) (end - p - 2) < n) {
        return -1;
    }

    *entry = p + 2;
    *len = n;
    *pos = p + 2 + n;

    return 1;
}
