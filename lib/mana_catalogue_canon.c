
/*
 * Canonical objects.  The input has been checked, so the types are right;
 * what is missing gets its default, and the keys come in the documented
 * order, so that the stored row, the export and a new import compare
 * equal byte for byte.
 */

#include <stdlib.h>
#include <string.h>

#include "mana_catalogue_int.h"


static int mana_cat_lang_cmp(const void *a, const void *b);
static json_t *mana_cat_canonical_texts(json_t *v);
static json_t *mana_cat_canonical_contact(json_t *v);
static json_t *mana_cat_canonical_field(json_t *f);
static json_t *mana_cat_take(json_t *obj, const char *key, json_t *dflt);


/* en, te, hi first (the languages of the deployment), then alphabetical */

static int
mana_cat_lang_rank(const char *lang)
{
    return strcmp(lang, "en") == 0 ? 0 : strcmp(lang, "te") == 0 ? 1
           : strcmp(lang, "hi") == 0 ? 2 : 3;
}


int
mana_cat_lang_order(const char *la, const char *lb)
{
    int  ra, rb;

    ra = mana_cat_lang_rank(la);
    rb = mana_cat_lang_rank(lb);

    return ra != rb ? ra - rb : strcmp(la, lb);
}


static int
mana_cat_lang_cmp(const void *a, const void *b)
{
    return mana_cat_lang_order(*(const char **) a, *(const char **) b);
}


/* a copy of a language-keyed object with its keys in language order */

static json_t *
mana_cat_lang_sorted(json_t *v)
{
    size_t        i, n;
    json_t       *out, *x;
    const char   *lang, **langs;

    out = json_object();
    n = json_object_size(v);
    langs = malloc((n + 1) * sizeof(char *));

    if (out == NULL || langs == NULL) {
        json_decref(out);
        free(langs);
        return NULL;
    }

    i = 0;
    json_object_foreach(v, lang, x) {
        langs[i++] = lang;
    }

    qsort(langs, n, sizeof(char *), mana_cat_lang_cmp);

    for (i = 0; i < n; i++) {
        x = json_deep_copy(json_object_get(v, langs[i]));

        if (x == NULL || json_object_set_new(out, langs[i], x) != 0) {
            json_decref(out);
            out = NULL;
            break;
        }
    }

    free(langs);

    return out;
}


static json_t *
mana_cat_canonical_texts(json_t *v)
{
    return v ? mana_cat_lang_sorted(v) : json_object();
}


/* a new reference to obj[key], or to dflt (a new reference, taken) */

static json_t *
mana_cat_take(json_t *obj, const char *key, json_t *dflt)
{
    json_t  *x;

    x = json_object_get(obj, key);

    if (x == NULL) {
        return dflt;
    }

    json_decref(dflt);

    return json_incref(x);
}


static json_t *
mana_cat_canonical_contact(json_t *v)
{
    return json_pack("{s:o,s:o,s:o}",
                     "phone", mana_cat_take(v, "phone", json_string("")),
                     "email", mana_cat_take(v, "email", json_string("")),
                     "url", mana_cat_take(v, "url", json_string("")));
}


static json_t *
mana_cat_canonical_fee(json_t *v)
{
    long long  cents;

    if (v == NULL || json_is_null(v)) {
        return json_null();
    }

    /* checked: 0 to 99999999.99; whole rupees print as integers */
    cents = (long long) (json_number_value(v) * 100 + 0.5);

    if (cents % 100 == 0) {
        return json_integer(cents / 100);
    }

    return json_real((double) cents / 100);
}


json_t *
mana_cat_canonical_department(json_t *v)
{
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}",
                     "code", mana_cat_take(v, "code", NULL),
                     "enabled", mana_cat_take(v, "enabled", json_true()),
                     "sort", mana_cat_take(v, "sort", json_integer(0)),
                     "name", mana_cat_canonical_texts(
                                 json_object_get(v, "name")),
                     "description", mana_cat_canonical_texts(
                                        json_object_get(v, "description")),
                     "contact", mana_cat_canonical_contact(
                                    json_object_get(v, "contact")));
}


json_t *
mana_cat_canonical_office(json_t *v)
{
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
                     "code", mana_cat_take(v, "code", NULL),
                     "department", mana_cat_take(v, "department", NULL),
                     "district", mana_cat_take(v, "district", NULL),
                     "mandal", mana_cat_take(v, "mandal", json_null()),
                     "enabled", mana_cat_take(v, "enabled", json_true()),
                     "name", mana_cat_canonical_texts(
                                 json_object_get(v, "name")),
                     "address", mana_cat_canonical_texts(
                                    json_object_get(v, "address")),
                     "contact", mana_cat_canonical_contact(
                                    json_object_get(v, "contact")));
}


json_t *
mana_cat_canonical_service(json_t *v)
{
    size_t   i;
    json_t  *form, *f, *out;

    form = json_array();

    json_array_foreach(json_object_get(v, "form"), i, f) {
        if (json_array_append_new(form, mana_cat_canonical_field(f)) != 0) {
            json_decref(form);
            return NULL;
        }
    }

    out = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,"
                    "s:o,s:o}",
                    "code", mana_cat_take(v, "code", NULL),
                    "department", mana_cat_take(v, "department", NULL),
                    "type", mana_cat_take(v, "type", NULL),
                    "enabled", mana_cat_take(v, "enabled", json_true()),
                    "popular", mana_cat_take(v, "popular", json_false()),
                    "sort", mana_cat_take(v, "sort", json_integer(0)),
                    "fee", mana_cat_canonical_fee(json_object_get(v, "fee")),
                    "sla_days", mana_cat_take(v, "sla_days", json_null()),
                    "name", mana_cat_canonical_texts(
                                json_object_get(v, "name")),
                    "description", mana_cat_canonical_texts(
                                       json_object_get(v, "description")),
                    "keywords", mana_cat_canonical_texts(
                                    json_object_get(v, "keywords")),
                    "intents", mana_cat_take(v, "intents", json_array()),
                    "documents", mana_cat_canonical_texts(
                                     json_object_get(v, "documents")),
                    "content", mana_cat_canonical_texts(
                                   json_object_get(v, "content")),
                    "form", form);

    /* intents are shared with v: copy, so the result owns all of itself */
    if (out) {
        json_object_set_new(out, "intents",
                            json_deep_copy(json_object_get(out, "intents")));
    }

    return out;
}


json_t *
mana_cat_canonical_district(json_t *v)
{
    return json_pack("{s:o}", "name", mana_cat_canonical_texts(
                                          json_object_get(v, "name")));
}


static json_t *
mana_cat_canonical_field(json_t *f)
{
    size_t   i;
    json_t  *out, *choices, *c;

    out = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}",
                    "name", mana_cat_take(f, "name", NULL),
                    "kind", mana_cat_take(f, "kind", NULL),
                    "label", mana_cat_canonical_texts(
                                 json_object_get(f, "label")),
                    "pattern", mana_cat_take(f, "pattern", json_null()),
                    "checksum", mana_cat_take(f, "checksum", json_null()),
                    "required", mana_cat_take(f, "required", json_true()));

    if (out == NULL || json_object_get(f, "choices") == NULL) {
        return out;
    }

    choices = json_array();

    json_array_foreach(json_object_get(f, "choices"), i, c) {
        json_array_append_new(choices,
            json_pack("{s:o,s:o}", "id", mana_cat_take(c, "id", NULL),
                      "label", mana_cat_canonical_texts(
                                   json_object_get(c, "label"))));
    }

    if (json_object_set_new(out, "choices", choices) != 0
        || json_array_size(choices)
           != json_array_size(json_object_get(f, "choices")))
    {
        json_decref(out);
        return NULL;
    }

    return out;
}


char *
mana_cat_dump_compact(json_t *v)
{
    return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY
                         | JSON_REAL_PRECISION(15));
}
