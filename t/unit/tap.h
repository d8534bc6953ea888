/*
 * The smallest TAP producer: enough for prove to count and report.
 */

#ifndef MANA_TAP_H
#define MANA_TAP_H

#include <stdio.h>
#include <string.h>

static int  tap_n, tap_failed;

#define ok(cond, ...)                                                         \
    do {                                                                      \
        int  tap_c = (cond);                                                  \
        printf("%sok %d - ", tap_c ? "" : "not ", ++tap_n);                   \
        printf(__VA_ARGS__);                                                  \
        printf("\n");                                                         \
        if (!tap_c) {                                                         \
            tap_failed++;                                                     \
            printf("#   failed at %s line %d\n", __FILE__, __LINE__);         \
        }                                                                     \
    } while (0)

#define is_str(got, want, ...)                                                \
    do {                                                                      \
        const char  *tap_g = (got), *tap_w = (want);                          \
        ok(tap_g && tap_w ? strcmp(tap_g, tap_w) == 0 : tap_g == tap_w,       \
           __VA_ARGS__);                                                      \
        if (!(tap_g && tap_w ? strcmp(tap_g, tap_w) == 0 : tap_g == tap_w)) { \
            printf("#   got:      '%s'\n#   expected: '%s'\n",                \
                   tap_g ? tap_g : "(null)", tap_w ? tap_w : "(null)");       \
        }                                                                     \
    } while (0)

static int
done_testing(void)
{
    printf("1..%d\n", tap_n);
    return tap_failed ? 1 : 0;
}

#endif /* MANA_TAP_H */
