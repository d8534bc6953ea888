/*
 * The catalogue: problem lists, codes, PCRE2 patterns and the primitive
 * rules the objects are checked with (docs/catalogue-format.md).
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "mana_catalogue_int.h"
#include "mana_utf8.h"


static void mana_cat_vproblem(mana_cat_ck_t *ck, int severity,
    const char *path, const char *fmt, va_list ap);


static const char  *mana_cat_service_types[] = {
    "information", "application", "instant_document", "status_lookup",
    "grievance", "payment", NULL
};

static const char  *mana_cat_field_kinds[] = {
    "text", "number", "amount", "date", "phone", "email", "pincode",
    "aadhaar", "ifsc", "district", "choice", "photo", "location",
    "reference", NULL
};


void
mana_cat_problems_init(mana_cat_problems_t *p)
{
    memset(p, 0, sizeof(mana_cat_problems_t));
}


void
mana_cat_problems_free(mana_cat_problems_t *p)
{
    size_t  i;

    for (i = 0; i < p->n; i++) {
        free(p->v[i].place);
        free(p->v[i].message);
    }

    free(p->v);
    mana_cat_problems_init(p);
}


void
mana_cat_problem(mana_cat_problems_t *p, int severity, const char *place,
    const char *fmt, ...)
{
    char                 msg[1024];
    size_t               cap;
    va_list              ap;
    mana_cat_problem_t  *v;

    /* counted even when it cannot be kept: the verdict must not change */
    if (severity == MANA_CAT_ERROR) {
        p->errors++;

    } else {
        p->warnings++;
    }

    if (p->n == p->cap) {
        cap = p->cap ? p->cap * 2 : 16;
        v = realloc(p->v, cap * sizeof(mana_cat_problem_t));
        if (v == NULL) {
            p->failed = 1;
            return;
        }

        p->v = v;
        p->cap = cap;
    }

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);

    v = &p->v[p->n];
    v->severity = severity;
    v->place = strdup(place ? place : "");
    v->message = strdup(msg);

    if (v->place == NULL || v->message == NULL) {
        free(v->place);
        free(v->message);
        p->failed = 1;
        return;
    }

    p->n++;
}


/* snprintf() for places: a long place is cut, never a problem */

const char *
mana_cat_fmt(char *buf, size_t size, const char *fmt, ...)
{
    va_list  ap;

    va_start(ap, fmt);
    vsnprintf(buf, size, fmt, ap);
    va_end(ap);

    return buf;
}


/* codes: hand-written matchers of the regular expressions in the header */

static size_t
mana_cat_span(const char *s, const char *set)
{
    return strspn(s, set);
}


#define MANA_CAT_UPPER  "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define MANA_CAT_LOWER  "abcdefghijklmnopqrstuvwxyz"
#define MANA_CAT_DIGIT  "0123456789"


int
mana_cat_code_valid(mana_cat_code_t rule, const char *s)
{
    size_t       n, a, b, c;
    const char  *dash;

    if (s == NULL) {
        return 0;
    }

    n = strlen(s);

    switch (rule) {

    case MANA_CAT_CODE_DEPARTMENT:
        return n >= 2 && n <= 8 && strchr(MANA_CAT_UPPER, s[0]) != NULL
               && mana_cat_span(s + 1, MANA_CAT_UPPER MANA_CAT_DIGIT)
                  == n - 1;

    case MANA_CAT_CODE_OFFICE:
        return n >= 2 && n <= 32
               && strchr(MANA_CAT_UPPER MANA_CAT_DIGIT, s[0]) != NULL
               && mana_cat_span(s + 1, MANA_CAT_UPPER MANA_CAT_DIGIT "-")
                  == n - 1;

    case MANA_CAT_CODE_SERVICE:
        dash = strchr(s, '-');
        if (dash == NULL) {
            return 0;
        }

        a = dash - s;
        b = mana_cat_span(dash + 1, MANA_CAT_UPPER MANA_CAT_DIGIT);
        c = n - a - 1 - b;

        if (c != 0) {
            if (dash[1 + b] != '-'
                || c - 1 != mana_cat_span(dash + 2 + b,
                                          MANA_CAT_UPPER MANA_CAT_DIGIT)
                || c - 1 < 1 || c - 1 > 8)
            {
                return 0;
            }
        }

        return a >= 2 && a <= 8 && strchr(MANA_CAT_UPPER, s[0]) != NULL
               && mana_cat_span(s + 1, MANA_CAT_UPPER MANA_CAT_DIGIT)
                  == a - 1
               && b >= 1 && b <= 12;

    case MANA_CAT_CODE_FIELD:
        return n >= 1 && n <= 32 && strchr(MANA_CAT_LOWER, s[0]) != NULL
               && mana_cat_span(s, MANA_CAT_LOWER MANA_CAT_DIGIT "_") == n;

    case MANA_CAT_CODE_CHOICE:
        return n >= 1 && n <= 32
               && mana_cat_span(s, MANA_CAT_LOWER MANA_CAT_DIGIT "_") == n;

    case MANA_CAT_CODE_LANG:
        return n >= 2 && n <= 3 && mana_cat_span(s, MANA_CAT_LOWER) == n;

    case MANA_CAT_CODE_I18N_KEY:
        return n >= 1 && n <= 64 && strchr(MANA_CAT_LOWER, s[0]) != NULL
               && mana_cat_span(s, MANA_CAT_LOWER MANA_CAT_DIGIT "_.") == n;
    }

    return 0;
}


const char *
mana_cat_code_regex(mana_cat_code_t rule)
{
    static const char  *re[] = {
        "^[A-Z][A-Z0-9]{1,7}$",
        "^[A-Z0-9][A-Z0-9-]{1,31}$",
        "^[A-Z][A-Z0-9]{1,7}-[A-Z0-9]{1,12}(-[A-Z0-9]{1,8})?$",
        "^[a-z][a-z0-9_]{0,31}$",
        "^[a-z0-9_]{1,32}$",
        "^[a-z]{2,3}$",
        "^[a-z][a-z0-9_.]{0,63}$"
    };

    return (size_t) rule < sizeof(re) / sizeof(re[0]) ? re[rule] : "";
}


int
mana_cat_in(const char *s, const char **set)
{
    for ( /* void */ ; s && *set; set++) {
        if (strcmp(s, *set) == 0) {
            return 1;
        }
    }

    return 0;
}


int
mana_cat_service_type_valid(const char *s)
{
    return mana_cat_in(s, mana_cat_service_types);
}


int
mana_cat_field_kind_valid(const char *s)
{
    return mana_cat_in(s, mana_cat_field_kinds);
}


int
mana_cat_pattern_valid(const char *pattern, char *err, size_t size)
{
    int          rc;
    size_t       off;
    PCRE2_UCHAR  msg[256];
    pcre2_code  *re;

    re = pcre2_compile((PCRE2_SPTR) pattern, PCRE2_ZERO_TERMINATED,
                       PCRE2_UTF | PCRE2_UCP, &rc, &off, NULL);
    if (re) {
        pcre2_code_free(re);
        return 1;
    }

    if (pcre2_get_error_message(rc, msg, sizeof(msg)) < 0) {
        snprintf((char *) msg, sizeof(msg), "error %d", rc);
    }

    snprintf(err, size, "%s at offset %zu", (char *) msg, off);

    return 0;
}


const char *
mana_cat_place(char *buf, size_t size, const char *kind, size_t i,
    json_t *obj)
{
    const char  *code;

    code = json_string_value(json_object_get(obj, "code"));

    if (code && mana_utf8_valid(code, strlen(code)) && strlen(code) <= 40) {
        mana_cat_fmt(buf, size, "%s[%zu] (%s)", kind, i, code);

    } else {
        mana_cat_fmt(buf, size, "%s[%zu]", kind, i);
    }

    return buf;
}


/* the checkers */

static void
mana_cat_vproblem(mana_cat_ck_t *ck, int severity, const char *path,
    const char *fmt, va_list ap)
{
    char  place[512], msg[1024];

    mana_cat_fmt(place, sizeof(place), "%s%s%s", ck->prefix,
                 *ck->prefix && *path ? ": " : "", path);
    vsnprintf(msg, sizeof(msg), fmt, ap);

    if (severity == MANA_CAT_ERROR) {
        ck->errors++;
    }

    mana_cat_problem(ck->p, severity, place, "%s", msg);
}


void
mana_cat_err(mana_cat_ck_t *ck, const char *path, const char *fmt, ...)
{
    va_list  ap;

    va_start(ap, fmt);
    mana_cat_vproblem(ck, MANA_CAT_ERROR, path, fmt, ap);
    va_end(ap);
}


void
mana_cat_warn(mana_cat_ck_t *ck, const char *path, const char *fmt, ...)
{
    va_list  ap;

    va_start(ap, fmt);
    mana_cat_vproblem(ck, MANA_CAT_WARNING, path, fmt, ap);
    va_end(ap);
}


/* path.key (or key at the top) into buf */

const char *
mana_cat_sub(char *buf, size_t size, const char *path, const char *key)
{
    return mana_cat_fmt(buf, size, "%s%s%s", path, *path ? "." : "", key);
}


/* 0 when v is not an object; unknown keys are errors: a misspelt key must
 * not be silently dropped */

int
mana_cat_keys(mana_cat_ck_t *ck, const char *path, json_t *v,
    const char **keys)
{
    char        buf[512];
    const char *key;
    json_t     *val;

    if (!json_is_object(v)) {
        mana_cat_err(ck, path, "must be an object");
        return 0;
    }

    json_object_foreach(v, key, val) {
        if (!mana_cat_in(key, keys)) {
            mana_cat_err(ck, mana_cat_sub(buf, sizeof(buf), path, key),
                         "unknown key");
        }
    }

    return 1;
}


void
mana_cat_code(mana_cat_ck_t *ck, const char *path, json_t *v,
    mana_cat_code_t rule)
{
    if (v == NULL) {
        mana_cat_err(ck, path, "is required");

    } else if (!json_is_string(v)) {
        mana_cat_err(ck, path, "must be a string");

    } else if (!mana_cat_code_valid(rule, json_string_value(v))) {
        mana_cat_err(ck, path, "\"%.64s\" does not match %s",
                     json_string_value(v), mana_cat_code_regex(rule));
    }
}


void
mana_cat_string(mana_cat_ck_t *ck, const char *path, json_t *v, size_t min,
    size_t max)
{
    size_t       n;
    const char  *s;

    if (!json_is_string(v)) {
        mana_cat_err(ck, path, "must be a string");
        return;
    }

    s = json_string_value(v);
    n = json_string_length(v);

    if (!mana_utf8_valid(s, n) || memchr(s, '\0', n) != NULL) {
        mana_cat_err(ck, path, "is not valid UTF-8 text");
        return;
    }

    n = mana_utf8_len(s, n);

    if (n < min || n > max) {
        if (min == max) {
            mana_cat_err(ck, path, "has %zu code points, must have %zu",
                         n, min);

        } else if (n < min && min == 1) {
            mana_cat_err(ck, path, "must not be empty");

        } else {
            mana_cat_err(ck, path, "has %zu code points, must have %zu to "
                         "%zu", n, min, max);
        }
    }
}


void
mana_cat_bool(mana_cat_ck_t *ck, const char *path, json_t *v)
{
    if (v && !json_is_boolean(v)) {
        mana_cat_err(ck, path, "must be true or false");
    }
}


void
mana_cat_int(mana_cat_ck_t *ck, const char *path, json_t *v, json_int_t min,
    json_int_t max)
{
    if (!json_is_integer(v)) {
        mana_cat_err(ck, path, "must be an integer");

    } else if (json_integer_value(v) < min || json_integer_value(v) > max) {
        mana_cat_err(ck, path, "must be from %lld to %lld", (long long) min,
                     (long long) max);
    }
}


size_t
mana_cat_check_texts(json_t *v, const char *place, size_t min, size_t max,
    int en_required, int te_expected, mana_cat_problems_t *p)
{
    mana_cat_ck_t  ck;

    ck.p = p;
    ck.prefix = "";
    ck.errors = 0;

    mana_cat_texts(&ck, place, v, min, max, en_required, te_expected);

    return ck.errors;
}


void
mana_cat_texts(mana_cat_ck_t *ck, const char *path, json_t *v, size_t min,
    size_t max, int en_required, int te_expected)
{
    char         buf[512];
    const char  *lang;
    json_t      *s;

    if (!json_is_object(v)) {
        mana_cat_err(ck, path, "must be an object of texts keyed by "
                     "language, e.g. {\"en\": \"...\"}");
        return;
    }

    json_object_foreach(v, lang, s) {
        mana_cat_sub(buf, sizeof(buf), path, lang);

        if (!mana_cat_code_valid(MANA_CAT_CODE_LANG, lang)) {
            mana_cat_err(ck, buf, "is not a language code (%s)",
                         mana_cat_code_regex(MANA_CAT_CODE_LANG));
            continue;
        }

        mana_cat_string(ck, buf, s, min, max);
    }

    if (en_required && json_object_get(v, "en") == NULL) {
        mana_cat_err(ck, mana_cat_sub(buf, sizeof(buf), path, "en"),
                     "is required (English is the reference language)");
    }

    if (te_expected && json_object_get(v, "te") == NULL) {
        mana_cat_warn(ck, mana_cat_sub(buf, sizeof(buf), path, "te"),
                      "Telugu is missing");
    }
}


/* {"en": ["...", ...], ...}: keywords and documents */

void
mana_cat_lists(mana_cat_ck_t *ck, const char *path, json_t *v, size_t max)
{
    char         buf[512], item[520];
    size_t       i;
    json_t      *a, *s;
    const char  *lang;

    if (!json_is_object(v)) {
        mana_cat_err(ck, path, "must be an object of arrays keyed by "
                     "language, e.g. {\"en\": [\"...\"]}");
        return;
    }

    json_object_foreach(v, lang, a) {
        mana_cat_sub(buf, sizeof(buf), path, lang);

        if (!mana_cat_code_valid(MANA_CAT_CODE_LANG, lang)) {
            mana_cat_err(ck, buf, "is not a language code (%s)",
                         mana_cat_code_regex(MANA_CAT_CODE_LANG));
            continue;
        }

        if (!json_is_array(a)) {
            mana_cat_err(ck, buf, "must be an array of strings");
            continue;
        }

        json_array_foreach(a, i, s) {
            mana_cat_fmt(item, sizeof(item), "%s[%zu]", buf, i);
            mana_cat_string(ck, item, s, 1, max);
        }
    }
}


