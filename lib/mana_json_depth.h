#ifndef MANA_JSON_DEPTH_H
#define MANA_JSON_DEPTH_H

#include <stddef.h>


/*
 * 1 when no object or array in the text nests deeper than max, 0 otherwise.
 * A linear scan before the parser, so that hostile nesting costs nothing.
 */
int mana_json_depth_ok(const char *p, size_t n, unsigned max);

#endif /* MANA_JSON_DEPTH_H */
