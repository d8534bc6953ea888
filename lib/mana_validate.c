#define PCRE2_CODE_UNIT_WIDTH 8

#include <stdlib.h>
#include <string.h>
#include <pcre2.h>

#include "mana_utf8.h"
#include "mana_validate.h"


/* the compiled patterns of one snapshot: a chained hash table */

typedef struct mana_validate_re_s  mana_validate_re_t;

struct mana_validate_re_s {
    mana_validate_re_t  *next;
    pcre2_code          *code;      /* NULL: the pattern does not compile */
    char                *err;
    char                 pattern[];
};

struct mana_validate_cache_s {
    mana_validate_re_t  **buckets;
    size_t                nbuckets;
    size_t                n;
    pcre2_match_data     *md;       /* only match or not: one pair */
};


mana_validate_cache_t *
mana_validate_cache_new(void)
{
    mana_validate_cache_t  *c;

    c = calloc(1, sizeof(*c));
    if (c == NULL) {
        return NULL;
    }

    c->nbuckets = 256;
    c->buckets = calloc(c->nbuckets, sizeof(*c->buckets));
    c->md = pcre2_match_data_create(1, NULL);

    if (c->buckets == NULL || c->md == NULL) {
        mana_validate_cache_free(c);
        return NULL;
    }

    return c;
}


void
mana_validate_cache_free(mana_validate_cache_t *c)
{
    size_t               i;
    mana_validate_re_t  *re, *next;

    if (c == NULL) {
        return;
    }

    for (i = 0; c->buckets && i < c->nbuckets; i++) {
        for (re = c->buckets[i]; re; re = next) {
            next = re->next;
            pcre2_code_free(re->code);
            free(re->err);
            free(re);
        }
    }

    free(c->buckets);
    pcre2_match_data_free(c->md);
    free(c);
}


size_t
mana_validate_cache_size(mana_validate_cache_t *c)
{
    return c->n;
}


static size_t
mana_validate_hash(const char *s)
{
    size_t  h = 14695981039346656037ULL;

    while (*s) {
        h = (h ^ (unsigned char) *s++) * 1099511628211ULL;
    }

    return h;
}


/* the table doubles when it holds two patterns a bucket on average */
static void
mana_validate_grow(mana_validate_cache_t *c)
{
    size_t               i, n, h;
    mana_validate_re_t  *re, *next, **b;

    n = c->nbuckets * 2;
    b = calloc(n, sizeof(*b));
    if (b == NULL) {
        return;
    }

    for (i = 0; i < c->nbuckets; i++) {
        for (re = c->buckets[i]; re; re = next) {
            next = re->next;
            h = mana_validate_hash(re->pattern) & (n - 1);
            re->next = b[h];
            b[h] = re;
        }
    }

    free(c->buckets);
    c->buckets = b;
    c->nbuckets = n;
}


static mana_validate_re_t *
mana_validate_get(mana_validate_cache_t *c, const char *pattern)
{
    int                  rc;
    size_t               h, len;
    PCRE2_SIZE           off;
    mana_validate_re_t  *re;
    PCRE2_UCHAR          msg[256];
    char                 buf[320];

    h = mana_validate_hash(pattern) & (c->nbuckets - 1);

    for (re = c->buckets[h]; re; re = re->next) {
        if (strcmp(re->pattern, pattern) == 0) {
            return re;
        }
    }

    len = strlen(pattern);
    re = malloc(sizeof(*re) + len + 1);
    if (re == NULL) {
        return NULL;
    }

    memcpy(re->pattern, pattern, len + 1);
    re->err = NULL;
    re->code = pcre2_compile((PCRE2_SPTR) pattern, len,
                             PCRE2_UTF | PCRE2_UCP, &rc, &off, NULL);

    if (re->code == NULL) {
        pcre2_get_error_message(rc, msg, sizeof(msg));
        snprintf(buf, sizeof(buf), "%s at offset %zu", (char *) msg,
                 (size_t) off);
        re->err = strdup(buf);
    }

    /*
     * No JIT: the inputs are a line of chat, the interpreter matches them
     * in microseconds, and JIT code for thousands of patterns would cost
     * every worker memory (and hides from valgrind).
     */

    re->next = c->buckets[h];
    c->buckets[h] = re;

    if (++c->n > c->nbuckets * 2) {
        mana_validate_grow(c);
    }

    return re;
}


int
mana_validate_cache_add(mana_validate_cache_t *c, const char *pattern,
    char *err, size_t size)
{
    mana_validate_re_t  *re;

    re = mana_validate_get(c, pattern);

    if (re == NULL || re->code == NULL) {
        if (err && size) {
            snprintf(err, size, "%s",
                     re ? (re->err ? re->err : "invalid pattern")
                        : "out of memory");
        }

        return -1;
    }

    return 0;
}


int
mana_validate_match(mana_validate_cache_t *c, const char *pattern,
    const char *s, size_t len)
{
    int                  rc;
    mana_validate_re_t  *re;

    re = mana_validate_get(c, pattern);

    if (re == NULL || re->code == NULL || !mana_utf8_valid(s, len)) {
        return -1;
    }

    rc = pcre2_match(re->code, (PCRE2_SPTR) s, len, 0, 0, c->md, NULL);

    /* 0 is "ovector too small": still a match */
    return rc >= 0 ? 1 : rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}


/* checksums */

static const unsigned char  mana_verhoeff_d[10][10] = {
    { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 },
    { 1, 2, 3, 4, 0, 6, 7, 8, 9, 5 },
    { 2, 3, 4, 0, 1, 7, 8, 9, 5, 6 },
    { 3, 4, 0, 1, 2, 8, 9, 5, 6, 7 },
    { 4, 0, 1, 2, 3, 9, 5, 6, 7, 8 },
    { 5, 9, 8, 7, 6, 0, 4, 3, 2, 1 },
    { 6, 5, 9, 8, 7, 1, 0, 4, 3, 2 },
    { 7, 6, 5, 9, 8, 2, 1, 0, 4, 3 },
    { 8, 7, 6, 5, 9, 3, 2, 1, 0, 4 },
    { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 }
};

static const unsigned char  mana_verhoeff_p[8][10] = {
    { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 },
    { 1, 5, 7, 6, 2, 8, 3, 0, 9, 4 },
    { 5, 8, 0, 3, 7, 9, 6, 1, 4, 2 },
    { 8, 9, 1, 6, 0, 4, 3, 5, 2, 7 },
    { 9, 4, 5, 3, 1, 2, 6, 8, 7, 0 },
    { 4, 2, 8, 6, 5, 7, 3, 9, 0, 1 },
    { 2, 7, 9, 3, 8, 0, 6, 4, 1, 5 },
    { 7, 0, 4, 6, 9, 1, 3, 2, 5, 8 }
};

static const unsigned char  mana_verhoeff_inv[10] = {
    0, 4, 3, 2, 1, 5, 6, 7, 8, 9
};


static int
mana_validate_all_digits(const char *s)
{
    if (*s == '\0') {
        return 0;
    }

    for ( /* void */ ; *s; s++) {
        if (*s < '0' || *s > '9') {
            return 0;
        }
    }

    return 1;
}


/* the running check over digits, the last at position offset */
static int
mana_verhoeff_run(const char *digits, size_t offset)
{
    size_t  i, n;
    int     c;

    n = strlen(digits);
    c = 0;

    for (i = 0; i < n; i++) {
        c = mana_verhoeff_d[c][mana_verhoeff_p[(i + offset) % 8]
                                              [digits[n - 1 - i] - '0']];
    }

    return c;
}


int
mana_verhoeff_valid(const char *digits)
{
    return mana_validate_all_digits(digits)
           && mana_verhoeff_run(digits, 0) == 0;
}


int
mana_verhoeff_digit(const char *digits)
{
    if (!mana_validate_all_digits(digits)) {
        return -1;
    }

    return mana_verhoeff_inv[mana_verhoeff_run(digits, 1)];
}


int
mana_luhn_valid(const char *digits)
{
    size_t  i, n;
    int     sum, d;

    if (!mana_validate_all_digits(digits)) {
        return 0;
    }

    n = strlen(digits);
    sum = 0;

    for (i = 0; i < n; i++) {
        d = digits[n - 1 - i] - '0';

        if (i & 1) {
            d *= 2;
            if (d > 9) {
                d -= 9;
            }
        }

        sum += d;
    }

    return sum % 10 == 0;
}


/* helpers */

const char *
mana_validate_trim(const char *s, size_t *len)
{
    size_t  n;

    n = strlen(s);

    for ( ;; ) {
        if (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
            s++;
            n--;

        } else if (n >= 2 && (unsigned char) s[0] == 0xc2
                   && (unsigned char) s[1] == 0xa0)
        {
            s += 2;
            n -= 2;

        } else {
            break;
        }
    }

    for ( ;; ) {
        if (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'
                  || s[n - 1] == '\r'))
        {
            n--;

        } else if (n >= 2 && (unsigned char) s[n - 2] == 0xc2
                   && (unsigned char) s[n - 1] == 0xa0)
        {
            n -= 2;

        } else {
            break;
        }
    }

    *len = n;
    return s;
}


static int
mana_validate_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}


/* equal ignoring ASCII case (scripts such as Telugu have none) */
static int
mana_validate_caseeq(const char *a, size_t alen, const char *b)
{
    size_t  i;

    if (strlen(b) != alen) {
        return 0;
    }

    for (i = 0; i < alen; i++) {
        if (mana_validate_lower((unsigned char) a[i])
            != mana_validate_lower((unsigned char) b[i]))
        {
            return 0;
        }
    }

    return 1;
}


/* s without the bytes in drop, into out (at most size - 1 bytes kept) */
static size_t
mana_validate_strip(const char *s, size_t n, const char *drop, char *out,
    size_t size)
{
    size_t  i, k;

    for (i = 0, k = 0; i < n && k + 1 < size; i++) {
        if (strchr(drop, s[i]) == NULL) {
            out[k++] = s[i];
        }
    }

    out[k] = '\0';
    return i < n ? (size_t) -1 : k;
}


static int
mana_validate_digits(const char *s, size_t n)
{
    size_t  i;

    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }

    return n > 0;
}


static int
mana_validate_put(char *norm, size_t size, const char *s, size_t n)
{
    if (n + 1 > size) {
        return 0;
    }

    memcpy(norm, s, n);
    norm[n] = '\0';
    return 1;
}


/* kinds */

static mana_valid_t
mana_validate_text(const char *s, size_t n, char *norm, size_t size)
{
    size_t  cp;

    if (!mana_utf8_valid(s, n)) {
        return MANA_VALID_KIND;
    }

    cp = mana_utf8_len(s, n);

    if (cp > 500) {
        return MANA_VALID_TOO_LONG;
    }

    if (cp < 1) {
        return MANA_VALID_KIND;
    }

    return mana_validate_put(norm, size, s, n) ? MANA_VALID_OK
                                               : MANA_VALID_ERROR;
}


/*
 * Digits with optional commas between them and at most max_dec decimals;
 * commas dropped.
 */
static mana_valid_t
mana_validate_decimal(const char *s, size_t n, int max_dec, char *norm,
    size_t size)
{
    size_t  i, k, dec;
    int     dot, digits;

    dot = 0;
    digits = 0;
    dec = 0;
    k = 0;

    for (i = 0; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9') {
            digits++;
            dec += dot;

        } else if (s[i] == ',' && !dot && i > 0 && i + 1 < n
                   && s[i - 1] >= '0' && s[i - 1] <= '9'
                   && s[i + 1] >= '0' && s[i + 1] <= '9')
        {
            continue;

        } else if (s[i] == '.' && !dot && digits && i + 1 < n) {
            dot = 1;

        } else {
            return MANA_VALID_KIND;
        }

        if (k + 1 >= size || k >= 24) {
            return MANA_VALID_KIND;
        }

        norm[k++] = s[i];
    }

    norm[k] = '\0';

    if (digits == 0 || (int) dec > max_dec) {
        return MANA_VALID_KIND;
    }

    return MANA_VALID_OK;
}


static mana_valid_t
mana_validate_amount(const char *s, size_t n, char *norm, size_t size)
{
    /* a rupee sign or "Rs" / "Rs." before the number is common */
    if (n >= 3 && memcmp(s, "\xe2\x82\xb9", 3) == 0) {
        s += 3;
        n -= 3;

    } else if (n >= 2 && (s[0] == 'R' || s[0] == 'r')
               && (s[1] == 's' || s[1] == 'S'))
    {
        s += 2;
        n -= 2;

        if (n && s[0] == '.') {
            s++;
            n--;
        }
    }

    while (n && *s == ' ') {
        s++;
        n--;
    }

    return mana_validate_decimal(s, n, 2, norm, size);
}


static int
mana_validate_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}


static mana_valid_t
mana_validate_date(const char *s, size_t n, char *norm, size_t size)
{
    int          d, m, y, dim;
    size_t       i, nd, nm, ny;
    char         sep;
    static const int  days[12] = {
        31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
    };

    i = 0;
    d = m = y = 0;

    for (nd = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++, nd++) {
        d = d * 10 + s[i] - '0';
    }

    if (nd < 1 || nd > 2 || i >= n || (s[i] != '-' && s[i] != '/')) {
        return MANA_VALID_KIND;
    }

    sep = s[i++];

    for (nm = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++, nm++) {
        m = m * 10 + s[i] - '0';
    }

    if (nm < 1 || nm > 2 || i >= n || s[i] != sep) {
        return MANA_VALID_KIND;
    }

    i++;

    for (ny = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++, ny++) {
        y = y * 10 + s[i] - '0';
    }

    if (ny != 4 || i != n || y < 1900 || y > 2099 || m < 1 || m > 12) {
        return MANA_VALID_KIND;
    }

    dim = days[m - 1] + (m == 2 && mana_validate_leap(y));

    if (d < 1 || d > dim) {
        return MANA_VALID_KIND;
    }

    if (size < 11) {
        return MANA_VALID_ERROR;
    }

    snprintf(norm, size, "%02d-%02d-%04d", d, m, y);
    return MANA_VALID_OK;
}


static mana_valid_t
mana_validate_phone(const char *s, size_t n, char *norm, size_t size)
{
    char    buf[64];
    size_t  k;
    char   *p;

    k = mana_validate_strip(s, n, " -()", buf, sizeof(buf));
    if (k == (size_t) -1) {
        return MANA_VALID_KIND;
    }

    p = buf;

    if (p[0] == '+') {
        if (p[1] != '9' || p[2] != '1') {
            return MANA_VALID_KIND;
        }

        p += 3;
        k -= 3;

    } else if (k == 12 && p[0] == '9' && p[1] == '1') {
        p += 2;
        k -= 2;

    } else if (k == 11 && p[0] == '0') {
        p++;
        k--;
    }

    if (k != 10 || !mana_validate_digits(p, k) || p[0] < '6') {
        return MANA_VALID_KIND;
    }

    return mana_validate_put(norm, size, p, k) ? MANA_VALID_OK
                                               : MANA_VALID_ERROR;
}


static int
mana_validate_email_char(unsigned char c, int domain)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9') || c == '-' || c == '.')
    {
        return 1;
    }

    return !domain && c > 0x20 && c < 0x7f && strchr("@\"(),:;<>[\\]", c)
           == NULL;
}


static mana_valid_t
mana_validate_email(const char *s, size_t n, char *norm, size_t size)
{
    size_t       i, at, dot;

    if (n < 5 || n > 254) {
        return MANA_VALID_KIND;
    }

    at = n;

    for (i = 0; i < n; i++) {
        if (s[i] == '@') {
            if (at != n) {
                return MANA_VALID_KIND;
            }

            at = i;

        } else if (!mana_validate_email_char(s[i], at != n)) {
            return MANA_VALID_KIND;
        }
    }

    if (at == 0 || at == n || at > 64 || s[0] == '.' || s[at - 1] == '.') {
        return MANA_VALID_KIND;
    }

    /* the domain: labels separated by dots, a dot in it, none empty */
    dot = 0;

    for (i = at + 1; i < n; i++) {
        if (s[i] == '.') {
            if (i == at + 1 || s[i - 1] == '.' || i + 1 == n
                || s[i - 1] == '-' || s[i + 1] == '-')
            {
                return MANA_VALID_KIND;
            }

            dot = i;
        }
    }

    if (dot == 0 || n - dot - 1 < 2 || s[at + 1] == '-') {
        return MANA_VALID_KIND;
    }

    return mana_validate_put(norm, size, s, n) ? MANA_VALID_OK
                                               : MANA_VALID_ERROR;
}


static mana_valid_t
mana_validate_pincode(const char *s, size_t n, char *norm, size_t size)
{
    char    buf[16];
    size_t  k;

    if (n == 7 && s[3] == ' ') {
        k = mana_validate_strip(s, n, " ", buf, sizeof(buf));

    } else {
        k = mana_validate_strip(s, n, "", buf, sizeof(buf));
    }

    if (k != 6 || !mana_validate_digits(buf, 6) || buf[0] == '0') {
        return MANA_VALID_KIND;
    }

    return mana_validate_put(norm, size, buf, 6) ? MANA_VALID_OK
                                                 : MANA_VALID_ERROR;
}


static mana_valid_t
mana_validate_aadhaar(const char *s, size_t n, char *norm, size_t size)
{
    char    buf[32];
    size_t  k;

    k = mana_validate_strip(s, n, " -", buf, sizeof(buf));

    if (k != 12 || !mana_validate_digits(buf, 12) || buf[0] < '2') {
        return MANA_VALID_KIND;
    }

    if (!mana_verhoeff_valid(buf)) {
        return MANA_VALID_CHECKSUM;
    }

    return mana_validate_put(norm, size, buf, 12) ? MANA_VALID_OK
                                                   : MANA_VALID_ERROR;
}


static mana_valid_t
mana_validate_ifsc(const char *s, size_t n, char *norm, size_t size)
{
    size_t  i;
    char    buf[12];

    if (n != 11) {
        return MANA_VALID_KIND;
    }

    for (i = 0; i < 11; i++) {
        buf[i] = (s[i] >= 'a' && s[i] <= 'z') ? s[i] - 32 : s[i];

        if (i < 4 ? !(buf[i] >= 'A' && buf[i] <= 'Z')
            : i == 4 ? buf[i] != '0'
            : !((buf[i] >= 'A' && buf[i] <= 'Z')
                || (buf[i] >= '0' && buf[i] <= '9')))
        {
            return MANA_VALID_KIND;
        }
    }

    return mana_validate_put(norm, size, buf, 11) ? MANA_VALID_OK
                                                   : MANA_VALID_ERROR;
}


static mana_valid_t
mana_validate_reference(const char *s, size_t n, char *norm, size_t size)
{
    size_t  i;
    int     digit;
    char    c;

    if (n < 5 || n > 40 || n + 1 > size) {
        return MANA_VALID_KIND;
    }

    digit = 0;

    for (i = 0; i < n; i++) {
        c = (s[i] >= 'a' && s[i] <= 'z') ? s[i] - 32 : s[i];

        if (c >= '0' && c <= '9') {
            digit = 1;

        } else if (!((c >= 'A' && c <= 'Z')
                     || (i > 0 && (c == '-' || c == '/'))))
        {
            return MANA_VALID_KIND;
        }

        norm[i] = c;
    }

    norm[n] = '\0';

    return digit ? MANA_VALID_OK : MANA_VALID_KIND;
}


int
mana_validate_app_ref(const char *s, char *norm, size_t size)
{
    size_t       n, i, parts, run;
    const char  *t;
    char         c;

    t = mana_validate_trim(s, &n);

    /* SERVICE (2 or 3 parts) - YYYY - NNNNNN */
    if (n < 12 || n > 48 || n + 1 > size) {
        return 0;
    }

    parts = 1;
    run = 0;

    for (i = 0; i < n; i++) {
        c = (t[i] >= 'a' && t[i] <= 'z') ? t[i] - 32 : t[i];

        if (c == '-') {
            if (run == 0) {
                return 0;
            }

            parts++;
            run = 0;

        } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            run++;

        } else {
            return 0;
        }

        norm[i] = c;
    }

    norm[n] = '\0';

    if (run == 0 || parts < 4 || parts > 5) {
        return 0;
    }

    /* the last two parts: a year and a number */
    t = strrchr(norm, '-');
    if (!mana_validate_digits(t + 1, strlen(t + 1)) || strlen(t + 1) > 10
        || t - norm < 6 || t[-5] != '-' || !mana_validate_digits(t - 4, 4))
    {
        return 0;
    }

    /* the service code: letters first */
    return norm[0] >= 'A' && norm[0] <= 'Z';
}


static mana_valid_t
mana_validate_district(const char *s, size_t n, json_t *districts,
    char *norm, size_t size)
{
    size_t       i, cp;
    json_t      *d, *name;
    const char  *en, *lang;

    if (districts == NULL) {
        cp = mana_utf8_valid(s, n) ? mana_utf8_len(s, n) : 0;

        if (cp < 2 || cp > 64) {
            return MANA_VALID_KIND;
        }

        return mana_validate_put(norm, size, s, n) ? MANA_VALID_OK
                                                   : MANA_VALID_ERROR;
    }

    json_array_foreach(districts, i, d) {
        en = json_string_value(json_object_get(d, "en"));

        if (en == NULL) {
            continue;
        }

        /* typed in whichever language the citizen reads it in */
        json_object_foreach(d, lang, name) {
            if (json_is_string(name)
                && mana_validate_caseeq(s, n, json_string_value(name)))
            {
                return mana_validate_put(norm, size, en, strlen(en))
                       ? MANA_VALID_OK : MANA_VALID_ERROR;
            }
        }
    }

    return MANA_VALID_KIND;
}


static mana_valid_t
mana_validate_choice(const char *s, size_t n, json_t *field, char *norm,
    size_t size)
{
    size_t       i, num;
    json_t      *c, *label, *v;
    const char  *id, *lang;

    json_t  *choices = json_object_get(field, "choices");

    num = 0;

    if (n >= 1 && n <= 2 && mana_validate_digits(s, n)) {
        num = (size_t) atoi(s);
    }

    json_array_foreach(choices, i, c) {
        id = json_string_value(json_object_get(c, "id"));
        if (id == NULL) {
            continue;
        }

        if (num == i + 1 || mana_validate_caseeq(s, n, id)) {
            goto found;
        }

        label = json_object_get(c, "label");

        json_object_foreach(label, lang, v) {
            if (json_is_string(v)
                && mana_validate_caseeq(s, n, json_string_value(v)))
            {
                goto found;
            }
        }

        continue;

    found:

        return mana_validate_put(norm, size, id, strlen(id))
               ? MANA_VALID_OK : MANA_VALID_ERROR;
    }

    return MANA_VALID_KIND;
}


mana_valid_t
mana_validate_kind(const char *kind, const char *s, json_t *field,
    json_t *districts, char *norm, size_t size)
{
    size_t       n;
    const char  *t;

    if (size == 0) {
        return MANA_VALID_ERROR;
    }

    norm[0] = '\0';
    t = mana_validate_trim(s, &n);

    if (n == 0) {
        return MANA_VALID_EMPTY;
    }

    if (kind == NULL || strcmp(kind, "text") == 0) {
        return mana_validate_text(t, n, norm, size);
    }

    if (strcmp(kind, "number") == 0) {
        return mana_validate_decimal(t, n, 6, norm, size);
    }

    if (strcmp(kind, "amount") == 0) {
        return mana_validate_amount(t, n, norm, size);
    }

    if (strcmp(kind, "date") == 0) {
        return mana_validate_date(t, n, norm, size);
    }

    if (strcmp(kind, "phone") == 0) {
        return mana_validate_phone(t, n, norm, size);
    }

    if (strcmp(kind, "email") == 0) {
        return mana_validate_email(t, n, norm, size);
    }

    if (strcmp(kind, "pincode") == 0) {
        return mana_validate_pincode(t, n, norm, size);
    }

    if (strcmp(kind, "aadhaar") == 0) {
        return mana_validate_aadhaar(t, n, norm, size);
    }

    if (strcmp(kind, "ifsc") == 0) {
        return mana_validate_ifsc(t, n, norm, size);
    }

    if (strcmp(kind, "reference") == 0) {
        return mana_validate_reference(t, n, norm, size);
    }

    if (strcmp(kind, "district") == 0) {
        return mana_validate_district(t, n, districts, norm, size);
    }

    if (strcmp(kind, "choice") == 0) {
        return mana_validate_choice(t, n, field, norm, size);
    }

    /* photo and location come as media and locations, never as text */
    return MANA_VALID_KIND;
}


mana_valid_t
mana_validate_field(mana_validate_cache_t *c, json_t *field,
    json_t *districts, const char *s, char *norm, size_t size)
{
    int           m;
    size_t        n, k;
    const char   *t, *pattern, *checksum;
    mana_valid_t  rc;
    char          digits[64];

    rc = mana_validate_kind(json_string_value(json_object_get(field, "kind")),
                            s, field, districts, norm, size);
    if (rc != MANA_VALID_OK) {
        return rc;
    }

    pattern = json_string_value(json_object_get(field, "pattern"));

    if (pattern) {
        t = mana_validate_trim(s, &n);
        m = mana_validate_match(c, pattern, t, n);

        if (m == 0) {
            m = mana_validate_match(c, pattern, norm, strlen(norm));
        }

        if (m < 0) {
            return MANA_VALID_ERROR;
        }

        if (m == 0) {
            return MANA_VALID_PATTERN;
        }
    }

    checksum = json_string_value(json_object_get(field, "checksum"));

    if (checksum) {
        for (t = norm, k = 0; *t && k + 1 < sizeof(digits); t++) {
            if (*t >= '0' && *t <= '9') {
                digits[k++] = *t;
            }
        }

        digits[k] = '\0';

        if (strcmp(checksum, "verhoeff") == 0 ? !mana_verhoeff_valid(digits)
            : strcmp(checksum, "luhn") == 0 ? !mana_luhn_valid(digits)
            : 1)
        {
            return MANA_VALID_CHECKSUM;
        }
    }

    return MANA_VALID_OK;
}
