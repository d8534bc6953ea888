/*
 * A whole "mana-catalogue/1" document: its shape, each object's rules, the
 * rules between objects (unique codes, departments that exist, districts
 * named once), and its canonical form, sorted by code (districts by
 * English name).
 */

#include <stdlib.h>
#include <string.h>

#include "mana_catalogue_int.h"
#include "mana_utf8.h"


typedef size_t (*mana_cat_check_pt)(json_t *v, const char *place,
    mana_cat_problems_t *p);
typedef json_t *(*mana_cat_canon_pt)(json_t *v);


static const char  *mana_cat_document_keys[] = {
    "format", "departments", "offices", "services", "districts", NULL
};


static json_t *mana_cat_load_list(json_t *doc, const char *kind,
    mana_cat_check_pt check, mana_cat_canon_pt canon,
    mana_cat_problems_t *p);
static void mana_cat_check_refs(json_t *doc, json_t *list, const char *kind,
    json_t *departments, json_t *known, mana_cat_problems_t *p);
static int mana_cat_code_cmp(const void *a, const void *b);
static int mana_cat_in_input(json_t *doc, const char *code);
static json_t *mana_cat_find(json_t *list, const char *code);
static json_t *mana_cat_load_districts(json_t *doc, mana_cat_problems_t *p);
static void mana_cat_check_districts(json_t *doc, json_t *offices,
    json_t *districts, mana_cat_problems_t *p);
static const char *mana_cat_district_en(json_t *district);
static int mana_cat_caseeq(const char *a, const char *b);


int
mana_catalogue_parse(mana_catalogue_t *cat, const char *data, size_t len,
    json_t *known, mana_cat_problems_t *p)
{
    int           rc;
    json_t       *doc;
    json_error_t  err;

    memset(cat, 0, sizeof(mana_catalogue_t));

    /* a key given twice would otherwise silently keep the last one */
    doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
    if (doc == NULL) {
        mana_cat_problem(p, MANA_CAT_ERROR, "", "not a JSON document: %s "
                         "(line %d, column %d)", err.text, err.line,
                         err.column);
        return -1;
    }

    rc = mana_catalogue_load(cat, doc, known, p);
    json_decref(doc);

    return rc;
}


int
mana_catalogue_load(mana_catalogue_t *cat, json_t *doc, json_t *known,
    mana_cat_problems_t *p)
{
    size_t          errors;
    json_t         *format, *d, *o, *s, *w;
    const char     *key;
    json_t         *v;
    mana_cat_ck_t   ck;

    memset(cat, 0, sizeof(mana_catalogue_t));

    ck.p = p;
    ck.prefix = "";
    ck.errors = 0;
    errors = p->errors;

    if (!json_is_object(doc)) {
        mana_cat_err(&ck, "", "the document must be an object {\"format\": "
                     "\"" MANA_CAT_FORMAT "\", \"departments\": [...], "
                     "\"offices\": [...], \"services\": [...]}");
        return -1;
    }

    json_object_foreach(doc, key, v) {
        if (!mana_cat_in(key, mana_cat_document_keys)) {
            mana_cat_err(&ck, key, "unknown key");
        }
    }

    format = json_object_get(doc, "format");

    if (format == NULL) {
        mana_cat_err(&ck, "format", "is required: \"" MANA_CAT_FORMAT "\"");

    } else if (!json_is_string(format)
               || strcmp(json_string_value(format), MANA_CAT_FORMAT) != 0)
    {
        mana_cat_err(&ck, "format", "must be \"" MANA_CAT_FORMAT "\"");
    }

    d = mana_cat_load_list(doc, "departments", mana_cat_check_department,
                           mana_cat_canonical_department, p);
    o = mana_cat_load_list(doc, "offices", mana_cat_check_office,
                           mana_cat_canonical_office, p);
    s = mana_cat_load_list(doc, "services", mana_cat_check_service,
                           mana_cat_canonical_service, p);
    w = mana_cat_load_districts(doc, p);

    if (d) {
        mana_cat_check_refs(doc, o, "offices", d, known, p);
        mana_cat_check_refs(doc, s, "services", d, known, p);
    }

    if (o && json_array_size(w)) {
        mana_cat_check_districts(doc, o, w, p);
    }

    if (d == NULL || o == NULL || s == NULL || w == NULL
        || p->errors != errors)
    {
        json_decref(d);
        json_decref(o);
        json_decref(s);
        json_decref(w);
        return -1;
    }

    cat->root = json_pack("{s:s,s:o,s:o,s:o}", "format", MANA_CAT_FORMAT,
                          "departments", d, "offices", o, "services", s);

    /* a catalogue without districts reads (and exports) as before them */
    if (cat->root && json_array_size(w)
        && json_object_set(cat->root, "districts", w) != 0)
    {
        json_decref(cat->root);
        cat->root = NULL;
    }

    json_decref(w);

    if (cat->root == NULL) {
        mana_cat_problem(p, MANA_CAT_ERROR, "", "out of memory");
        return -1;
    }

    cat->departments = d;
    cat->offices = o;
    cat->services = s;
    cat->districts = json_object_get(cat->root, "districts");

    return 0;
}


/*
 * Checks doc.districts (absent: none) and returns a new array of their
 * canonical forms sorted by English name, or NULL when it is not an array
 * or memory ran out.  A name given twice (in any case: a citizen's answer
 * is matched so) is an error.
 */

static json_t *
mana_cat_load_districts(json_t *doc, mana_cat_problems_t *p)
{
    char          place[128], other[128];
    size_t        i, j;
    json_t       *list, *out, *v, *c;
    const char   *en, *seen;

    list = json_object_get(doc, "districts");

    if (list == NULL) {
        return json_array();
    }

    if (!json_is_array(list)) {
        mana_cat_problem(p, MANA_CAT_ERROR, "districts", "must be an array "
                         "of objects");
        return NULL;
    }

    out = json_array();
    if (out == NULL) {
        return NULL;
    }

    json_array_foreach(list, i, v) {
        en = mana_cat_district_en(v);

        if (en && mana_utf8_valid(en, strlen(en)) && strlen(en) <= 64) {
            mana_cat_fmt(place, sizeof(place), "districts[%zu] (%s)", i, en);

        } else {
            mana_cat_fmt(place, sizeof(place), "districts[%zu]", i);
        }

        if (mana_cat_check_district(v, place, p) != 0) {
            continue;
        }

        for (j = 0; j < i; j++) {
            seen = mana_cat_district_en(json_array_get(list, j));

            if (seen && mana_cat_caseeq(seen, en)) {
                break;
            }
        }

        if (j < i) {
            mana_cat_fmt(other, sizeof(other), "districts[%zu]", j);
            mana_cat_problem(p, MANA_CAT_ERROR, place, "name.en: the "
                             "district \"%s\" is also %s", en, other);
            continue;
        }

        c = mana_cat_canonical_district(v);
        if (c == NULL || json_array_append_new(out, c) != 0) {
            json_decref(out);
            mana_cat_problem(p, MANA_CAT_ERROR, place, "out of memory");
            return NULL;
        }
    }

    /* insertion sort by strcmp(): a state has tens of districts */
    for (i = 1; i < json_array_size(out); i++) {
        for (j = i; j > 0; j--) {
            c = json_array_get(out, j);
            v = json_array_get(out, j - 1);

            if (strcmp(mana_cat_district_en(v), mana_cat_district_en(c))
                <= 0)
            {
                break;
            }

            json_incref(c);
            json_array_remove(out, j);
            json_array_insert_new(out, j - 1, c);
        }
    }

    return out;
}


/*
 * An office in a district the list does not name: the bot offers it by its
 * English name in every language.  A warning: nothing breaks.
 */

static void
mana_cat_check_districts(json_t *doc, json_t *offices, json_t *districts,
    mana_cat_problems_t *p)
{
    char          place[128];
    size_t        i, k;
    json_t       *v;
    const char   *d;

    /* places are numbered as in the input, so walk the input */
    json_array_foreach(json_object_get(doc, "offices"), i, v) {
        d = json_string_value(json_object_get(v, "district"));

        if (d == NULL || mana_cat_find(offices, json_string_value(
                             json_object_get(v, "code"))) == NULL)
        {
            continue;       /* invalid: reported already */
        }

        for (k = 0; k < json_array_size(districts); k++) {
            if (mana_cat_caseeq(mana_cat_district_en(
                                    json_array_get(districts, k)), d))
            {
                break;
            }
        }

        if (k == json_array_size(districts)) {
            mana_cat_place(place, sizeof(place), "offices", i, v);
            mana_cat_problem(p, MANA_CAT_WARNING, place, "district: \"%s\" "
                             "is not in the districts: citizens read it in "
                             "English", d);
        }
    }
}


static const char *
mana_cat_district_en(json_t *district)
{
    return json_string_value(json_object_get(json_object_get(district,
                                                             "name"), "en"));
}


/* as citizens' answers are matched: ASCII letters in any case */

static int
mana_cat_caseeq(const char *a, const char *b)
{
    if (a == NULL || b == NULL) {
        return 0;
    }

    for ( /* void */ ; *a && *b; a++, b++) {
        if ((*a >= 'A' && *a <= 'Z' ? *a + 32 : *a)
            != (*b >= 'A' && *b <= 'Z' ? *b + 32 : *b))
        {
            return 0;
        }
    }

    return *a == *b;
}


/*
 * Checks doc[kind] (absent: empty) object by object and returns a new
 * array of their canonical forms sorted by code, or NULL when it is not an
 * array or memory ran out; a duplicate code is an error.
 */

static json_t *
mana_cat_load_list(json_t *doc, const char *kind, mana_cat_check_pt check,
    mana_cat_canon_pt canon, mana_cat_problems_t *p)
{
    char          place[128], other[128];
    size_t        i, j, n;
    json_t       *list, *out, *v, *c, **sorted;
    const char   *a, *b;

    list = json_object_get(doc, kind);

    if (list == NULL) {
        return json_array();
    }

    if (!json_is_array(list)) {
        mana_cat_problem(p, MANA_CAT_ERROR, kind, "must be an array of "
                         "objects");
        return NULL;
    }

    out = json_array();
    if (out == NULL) {
        return NULL;
    }

    json_array_foreach(list, i, v) {
        mana_cat_place(place, sizeof(place), kind, i, v);

        if (check(v, place, p) != 0) {
            continue;
        }

        c = canon(v);
        if (c == NULL || json_array_append_new(out, c) != 0) {
            json_decref(out);
            mana_cat_problem(p, MANA_CAT_ERROR, place, "out of memory");
            return NULL;
        }
    }

    n = json_array_size(out);
    sorted = malloc((n + 1) * sizeof(json_t *));
    if (sorted == NULL) {
        json_decref(out);
        return NULL;
    }

    for (i = 0; i < n; i++) {
        sorted[i] = json_incref(json_array_get(out, i));
    }

    qsort(sorted, n, sizeof(json_t *), mana_cat_code_cmp);
    json_array_clear(out);

    for (i = 0; i < n; i++) {
        json_array_append_new(out, sorted[i]);

        if (i == 0) {
            continue;
        }

        a = json_string_value(json_object_get(sorted[i - 1], "code"));
        b = json_string_value(json_object_get(sorted[i], "code"));

        if (strcmp(a, b) != 0) {
            continue;
        }

        /* name both places in the input, in its order */
        place[0] = '\0';
        other[0] = '\0';

        json_array_foreach(list, j, v) {
            if (json_is_string(json_object_get(v, "code"))
                && strcmp(json_string_value(json_object_get(v, "code")), b)
                   == 0)
            {
                if (other[0] == '\0') {
                    mana_cat_place(other, sizeof(other), kind, j, v);

                } else {
                    mana_cat_place(place, sizeof(place), kind, j, v);
                    break;
                }
            }
        }

        /* the same code three times is reported once per extra copy */
        mana_cat_problem(p, MANA_CAT_ERROR, place, "code: duplicate code "
                         "\"%s\" (also %s)", b, other);
    }

    free(sorted);

    return out;
}


static int
mana_cat_code_cmp(const void *a, const void *b)
{
    return strcmp(json_string_value(json_object_get(*(json_t **) a, "code")),
                  json_string_value(json_object_get(*(json_t **) b, "code")));
}


/* every object's department must be in the document, or known */

static void
mana_cat_check_refs(json_t *doc, json_t *list, const char *kind,
    json_t *departments, json_t *known, mana_cat_problems_t *p)
{
    char         place[128];
    size_t       i;
    json_t      *v;
    const char  *dept;

    if (list == NULL) {
        return;
    }

    /* places are numbered as in the input, so walk the input */
    json_array_foreach(json_object_get(doc, kind), i, v) {
        dept = json_string_value(json_object_get(v, "department"));

        if (dept == NULL || mana_cat_find(list, json_string_value(
                                json_object_get(v, "code"))) == NULL)
        {
            continue;       /* invalid: reported already */
        }

        if (mana_cat_find(departments, dept) == NULL
            && json_object_get(known, dept) == NULL
            && !mana_cat_in_input(doc, dept))
        {
            mana_cat_place(place, sizeof(place), kind, i, v);
            mana_cat_problem(p, MANA_CAT_ERROR, place, "department: no "
                             "department \"%s\" in the %s", dept,
                             known ? "document or the database"
                                   : "document");
        }
    }
}


/* a department that is in the input but invalid: its own errors say so */

static int
mana_cat_in_input(json_t *doc, const char *code)
{
    size_t   i;
    json_t  *d;

    json_array_foreach(json_object_get(doc, "departments"), i, d) {
        if (json_is_string(json_object_get(d, "code"))
            && strcmp(json_string_value(json_object_get(d, "code")), code)
               == 0)
        {
            return 1;
        }
    }

    return 0;
}


static json_t *
mana_cat_find(json_t *list, const char *code)
{
    int          c;
    size_t       lo, hi, mid;
    json_t      *v;

    if (code == NULL) {
        return NULL;
    }

    lo = 0;
    hi = json_array_size(list);

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        v = json_array_get(list, mid);
        c = strcmp(code, json_string_value(json_object_get(v, "code")));

        if (c == 0) {
            return v;
        }

        if (c < 0) {
            hi = mid;

        } else {
            lo = mid + 1;
        }
    }

    return NULL;
}


void
mana_catalogue_free(mana_catalogue_t *cat)
{
    json_decref(cat->root);
    memset(cat, 0, sizeof(mana_catalogue_t));
}


json_t *
mana_catalogue_department(mana_catalogue_t *cat, const char *code)
{
    return mana_cat_find(cat->departments, code);
}


json_t *
mana_catalogue_office(mana_catalogue_t *cat, const char *code)
{
    return mana_cat_find(cat->offices, code);
}


json_t *
mana_catalogue_service(mana_catalogue_t *cat, const char *code)
{
    return mana_cat_find(cat->services, code);
}


json_t *
mana_catalogue_district(mana_catalogue_t *cat, const char *name)
{
    size_t   i;
    json_t  *v;

    json_array_foreach(cat->districts, i, v) {
        if (mana_cat_caseeq(mana_cat_district_en(v), name)) {
            return v;
        }
    }

    return NULL;
}


json_t *
mana_catalogue_form_districts(mana_catalogue_t *cat)
{
    size_t       i, k;
    json_t      *out, *o, *names, *seen;
    const char  *d;

    out = json_array();
    if (out == NULL) {
        return NULL;
    }

    json_array_foreach(cat->offices, i, o) {
        d = json_string_value(json_object_get(o, "district"));
        if (d == NULL) {
            continue;
        }

        json_array_foreach(out, k, seen) {
            if (mana_cat_caseeq(json_string_value(json_object_get(seen,
                                                                  "en")), d))
            {
                break;
            }
        }

        if (k < json_array_size(out)) {
            continue;
        }

        names = json_object_get(mana_catalogue_district(cat, d), "name");
        names = names ? json_deep_copy(names) : json_pack("{s:s}", "en", d);

        if (json_array_append_new(out, names) != 0) {
            json_decref(out);
            return NULL;
        }
    }

    return out;
}


char *
mana_catalogue_dump(mana_catalogue_t *cat)
{
    char    *s, *out;
    size_t   n;

    s = json_dumps(cat->root, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
    if (s == NULL) {
        return NULL;
    }

    n = strlen(s);
    out = realloc(s, n + 2);
    if (out == NULL) {
        free(s);
        return NULL;
    }

    out[n] = '\n';
    out[n + 1] = '\0';

    return out;
}
