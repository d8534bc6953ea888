/*
 * The records of an instant-document service (a hall-ticket list): the
 * key a record is found by.  "mmctl records import" stores it with each
 * record; the bot computes it from the citizen's answers; the lookup is
 * an exact match on an index, so both sides must make the same bytes.
 *
 * The key is SHA-256 over the service code and the lookup fields (the
 * service's form fields, in form order) as mana_validate_field()
 * normalises them:
 *
 *     "mana-record-key/1" 0x00 SERVICE 0x00 (NAME 0x00 VALUE 0x00)...
 *
 * A digest rather than the values: one fixed-width index column whatever
 * the fields, and no date of birth readable in a listing of the table.
 * It does not hide the values from whoever can read the database: the
 * record's certificate is there too.
 */

#ifndef MANA_RECORDS_H
#define MANA_RECORDS_H

#include <stddef.h>


#define MANA_RECORD_KEY_LEN  32

/* how long a cool-down lasts and how many failures start one */
#define MANA_RECORD_WINDOW_MINUTES  15
#define MANA_RECORD_MAX_FAILURES    3


/*
 * names[i] = values[i] for the n lookup fields, in form order; a value
 * may be "" (an optional field left out).  Returns 0, or -1 (a NULL
 * argument, or the digest failed).
 */
int mana_record_key(const char *service, const char *const *names,
    const char *const *values, size_t n, unsigned char *key);

/* the same, as 64 lower-case hex digits and a NUL */
int mana_record_key_hex(const char *service, const char *const *names,
    const char *const *values, size_t n, char *hex);

#endif /* MANA_RECORDS_H */
