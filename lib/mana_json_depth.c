#include "mana_json_depth.h"


int
mana_json_depth_ok(const char *p, size_t n, unsigned max)
{
    int       in_string, escaped;
    size_t    i;
    unsigned  depth;

    depth = 0;
    in_string = 0;
    escaped = 0;

    for (i = 0; i < n; i++) {

        if (in_string) {
            if (escaped) {
                escaped = 0;

            } else if (p[i] == '\\') {
                escaped = 1;

            } else if (p[i] == '"') {
                in_string = 0;
            }

            continue;
        }

        switch (p[i]) {
        case '"':
            in_string = 1;
            break;

        case '{':
        case '[':
            if (++depth > max) {
                return 0;
            }
            break;

        case '}':
        case ']':
            if (depth > 0) {
                depth--;
            }
            break;
        }
    }

    return 1;
}
