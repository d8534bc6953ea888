/*
 * A whole "mana-catalogue/1" document: its shape, each object's rules, the
 * rules between objects (unique codes, departments that exist), and its
 * canonical form, sorted by code.
 */

#include <stdlib.h>
#include <string.h>

#include "mana_catalogue_int.h"


typedef size_t (*mana_cat_check_pt)(json_t *v, const char *place,
    mana_cat_problems_t *p);
typedef json_t *(*mana_cat_canon_pt)(json_t *v);


static const char  *mana_cat_document_keys[] = {
    "format", "departments", "offices", "services", NULL
};


static json_t *mana_cat_load_list(json_t *doc, const char *kind,
    mana_cat_check_pt check, mana_cat_canon_pt canon,
    mana_cat_problems_t *p);
static void mana_cat_check_refs(json_t *doc, json_t *list, const char *kind,
    json_t *departments, json_t *known, mana_cat_problems_t *p);
static int mana_cat_code_cmp(const void *a, const void *b);
static int mana_cat_in_input(json_t *doc, const char *code);
static json_t *mana_cat_find(json_t *list, const char *code);


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
    json_t         *format, *d, *o, *s;
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

    if (d) {
        mana_cat_check_refs(doc, o, "offices", d, known, p);
        mana_cat_check_refs(doc, s, "services", d, known, p);
    }

    if (d == NULL || o == NULL || s == NULL || p->errors != errors) {
        json_decref(d);
        json_decref(o);
        json_decref(s);
        return -1;
    }

    cat->root = json_pack("{s:s,s:o,s:o,s:o}", "format", MANA_CAT_FORMAT,
                          "departments", d, "offices", o, "services", s);
    if (cat->root == NULL) {
        mana_cat_problem(p, MANA_CAT_ERROR, "", "out of memory");
        return -1;
    }

    cat->departments = d;
    cat->offices = o;
    cat->services = s;

    return 0;
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
