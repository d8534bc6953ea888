/*
 * Times as RFC 3339 text in UTC, to the second: "2026-11-27T04:30:00Z",
 * the one spelling that the trust list writes and reads.  Years 1970 to
 * 9999 (what a MariaDB DATETIME and a unix time both hold).
 */

#ifndef MANA_TIME_H
#define MANA_TIME_H

#include <stddef.h>
#include <stdint.h>


#define MANA_TIME_LEN  20      /* characters of the text, no terminator */
#define MANA_TIME_MAX  INT64_C(253402300799)    /* 9999-12-31T23:59:59Z */


/* writes 20 characters and a NUL: 0, or -1 when t is out of range */
int mana_time_format(char out[MANA_TIME_LEN + 1], int64_t t);

/*
 * Parses exactly that form (upper case 'T' and 'Z', every field its width,
 * every field in its range, no leap second): 0, or -1.
 */
int mana_time_parse(const char *s, size_t n, int64_t *t);

/* days from 1970-01-01 to a date of the proleptic Gregorian calendar */
int64_t mana_time_days(int64_t year, unsigned month, unsigned day);

#endif /* MANA_TIME_H */
