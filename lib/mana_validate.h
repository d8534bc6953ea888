/*
 * Form field validation: the kind's own rule, the catalogue's PCRE2
 * pattern and a checksum (docs/catalogue-format.md, "form").
 *
 * Patterns are compiled once per catalogue snapshot into a cache keyed by
 * the pattern's text, which lives as long as the snapshot: a step of the
 * bot never compiles a pattern it has seen before.  The cache is not
 * thread-safe (one per worker, as the snapshot is).
 */

#ifndef MANA_VALIDATE_H
#define MANA_VALIDATE_H

#include <stddef.h>
#include <jansson.h>


typedef struct mana_validate_cache_s  mana_validate_cache_t;

mana_validate_cache_t *mana_validate_cache_new(void);
void mana_validate_cache_free(mana_validate_cache_t *c);

/*
 * Compiles pattern (PCRE2_UTF | PCRE2_UCP) into the cache unless it is
 * there.  Returns 0, or -1 with PCRE2's message and offset in err (a
 * pattern that failed is remembered as failed: it is not compiled again).
 */
int mana_validate_cache_add(mana_validate_cache_t *c, const char *pattern,
    char *err, size_t size);
/* patterns in the cache (for tests and statistics) */
size_t mana_validate_cache_size(mana_validate_cache_t *c);

/*
 * 1 when s[0..len) matches pattern, 0 when not, -1 when the pattern does
 * not compile or s is not UTF-8.  Compiles on first use.
 */
int mana_validate_match(mana_validate_cache_t *c, const char *pattern,
    const char *s, size_t len);


/* checksums over a string of ASCII digits (other bytes: invalid) */
int mana_verhoeff_valid(const char *digits);
/* the digit to append to make digits valid, or -1 */
int mana_verhoeff_digit(const char *digits);
int mana_luhn_valid(const char *digits);


/* why a value was refused */
typedef enum {
    MANA_VALID_OK = 0,
    MANA_VALID_EMPTY,       /* nothing but white space */
    MANA_VALID_KIND,        /* not a value of the field's kind */
    MANA_VALID_TOO_LONG,    /* a text over 500 code points */
    MANA_VALID_PATTERN,     /* refused by the catalogue's pattern */
    MANA_VALID_CHECKSUM,    /* the checksum rule failed */
    MANA_VALID_ERROR        /* out of memory, or a bad field definition */
} mana_valid_t;

/*
 * One kind's rule.  On MANA_VALID_OK, norm holds the normalised value
 * (NUL-terminated, at most size bytes; size >= 512 holds any valid value
 * but a long text, which is cut to 2048 bytes: give 2048):
 *
 *   text       trimmed, 1-500 code points
 *   number     digits, optional decimals, commas dropped: "1250", "2.5"
 *   amount     rupees >= 0, "1,20,000.50" -> "120000.50" (a leading
 *              rupee sign or "Rs" is allowed)
 *   date       dd-mm-yyyy or dd/mm/yyyy, a real calendar date, years
 *              1900-2099 -> "dd-mm-yyyy"
 *   phone      an Indian mobile number: 10 digits starting 6-9, optional
 *              +91, 91 or 0 prefix, spaces and hyphens allowed -> 10 digits
 *   email      local@domain.tld
 *   pincode    6 digits, the first 1-9 (a space after 3 allowed)
 *   aadhaar    12 digits, the first 2-9, Verhoeff (spaces allowed)
 *              -> 12 digits
 *   ifsc       ^[A-Z]{4}0[A-Z0-9]{6}$ after upper-casing
 *   reference  5-40 letters, digits, "-" or "/", one digit at least,
 *              upper-cased ("REV-INC-2026-000123", or another system's)
 *   district   one of districts' names in any language, case-insensitive
 *              -> the "en" name (districts: [{"en":..,"te":..,...}], or
 *              NULL to take any text of 2-64 code points)
 *   choice     one of field "choices": its id, its label in any language
 *              (case-insensitive) or its 1-based number -> the id
 *   photo, location: never from text (MANA_VALID_KIND)
 */
mana_valid_t mana_validate_kind(const char *kind, const char *s,
    json_t *field, json_t *districts, char *norm, size_t size);

/*
 * A whole field: the kind's rule, then the catalogue's pattern (against
 * the trimmed input or the normalised value: either may match), then the
 * field's checksum over the value's digits.
 */
mana_valid_t mana_validate_field(mana_validate_cache_t *c, json_t *field,
    json_t *districts, const char *s, char *norm, size_t size);

/*
 * 1 when s (trimmed, any case) is a reference this system issues,
 * <SERVICE CODE>-<YEAR>-<NUMBER> ("REV-INC-2026-000123"); the upper-cased
 * reference into norm.
 */
int mana_validate_app_ref(const char *s, char *norm, size_t size);

/* s[0..len) without leading and trailing white space (ASCII and NBSP) */
const char *mana_validate_trim(const char *s, size_t *len);

#endif /* MANA_VALIDATE_H */
