
/*
 * The rules of one department, office, service and its form, or district
 * (docs/catalogue-format.md).  Every problem is collected, not only the
 * first: an administrator fixing a file of 700 services wants the whole
 * list in one run.
 */

#include <string.h>

#include "mana_catalogue_int.h"


static void mana_cat_contact(mana_cat_ck_t *ck, json_t *v);
static void mana_cat_pattern(mana_cat_ck_t *ck, const char *path,
    json_t *v);
static void mana_cat_fee(mana_cat_ck_t *ck, json_t *v);
static void mana_cat_field(mana_cat_ck_t *ck, const char *path, json_t *f);
static void mana_cat_choices(mana_cat_ck_t *ck, const char *path,
    json_t *v);


static const char  *mana_cat_department_keys[] = {
    "code", "enabled", "sort", "name", "description", "contact", NULL
};

static const char  *mana_cat_office_keys[] = {
    "code", "department", "district", "mandal", "enabled", "name",
    "address", "contact", NULL
};

static const char  *mana_cat_service_keys[] = {
    "code", "department", "type", "enabled", "popular", "sort", "fee",
    "sla_days", "name", "description", "keywords", "intents", "documents",
    "content", "form", NULL
};

static const char  *mana_cat_field_keys[] = {
    "name", "kind", "label", "pattern", "checksum", "required", "choices",
    NULL
};

static const char  *mana_cat_district_keys[] = {
    "name", NULL
};

static const char  *mana_cat_contact_keys[] = {
    "phone", "email", "url", NULL
};

static const char  *mana_cat_choice_keys[] = {
    "id", "label", NULL
};



static void
mana_cat_contact(mana_cat_ck_t *ck, json_t *v)
{
    char         buf[64];
    const char  *key;
    json_t      *s;

    if (v == NULL || !mana_cat_keys(ck, "contact", v, mana_cat_contact_keys))
    {
        return;
    }

    json_object_foreach(v, key, s) {
        if (mana_cat_in(key, mana_cat_contact_keys)) {
            mana_cat_string(ck, mana_cat_sub(buf, sizeof(buf), "contact",
                                             key),
                            s, 0, 255);
        }
    }
}


static void
mana_cat_pattern(mana_cat_ck_t *ck, const char *path, json_t *v)
{
    char  err[512];

    if (!json_is_string(v) || json_string_length(v) == 0) {
        mana_cat_err(ck, path, "must be a non-empty string (a PCRE2 "
                     "pattern)");

    } else if (strlen(json_string_value(v)) != json_string_length(v)) {
        mana_cat_err(ck, path, "must not contain NUL");

    } else if (!mana_cat_pattern_valid(json_string_value(v), err,
                                       sizeof(err)))
    {
        mana_cat_err(ck, path, "invalid PCRE2 pattern: %s", err);
    }
}


/* no libm: the module links without it */

static double
mana_cat_abs(double d)
{
    return d < 0 ? -d : d;
}


static void
mana_cat_fee(mana_cat_ck_t *ck, json_t *v)
{
    double  fee, cents;

    if (v == NULL || json_is_null(v)) {
        return;
    }

    if (!json_is_number(v)) {
        mana_cat_err(ck, "fee", "must be a number of rupees or null");
        return;
    }

    fee = json_number_value(v);
    cents = fee * 100;

    if (fee < 0 || fee > MANA_CAT_FEE_MAX) {
        mana_cat_err(ck, "fee", "must be from 0 to %.2f", MANA_CAT_FEE_MAX);

    } else if (mana_cat_abs(cents - (double) (long long) (cents + 0.5))
               > 1e-6 * (cents > 1 ? cents : 1))
    {
        mana_cat_err(ck, "fee", "must have at most 2 decimals");
    }
}


size_t
mana_cat_check_department(json_t *v, const char *place,
    mana_cat_problems_t *p)
{
    mana_cat_ck_t  ck;

    ck.p = p;
    ck.prefix = place;
    ck.errors = 0;

    if (!mana_cat_keys(&ck, "", v, mana_cat_department_keys)) {
        return ck.errors;
    }

    mana_cat_code(&ck, "code", json_object_get(v, "code"),
                  MANA_CAT_CODE_DEPARTMENT);
    mana_cat_bool(&ck, "enabled", json_object_get(v, "enabled"));

    if (json_object_get(v, "sort")) {
        mana_cat_int(&ck, "sort", json_object_get(v, "sort"),
                     MANA_CAT_SORT_MIN, MANA_CAT_SORT_MAX);
    }

    if (json_object_get(v, "name") == NULL) {
        mana_cat_err(&ck, "name", "is required");

    } else {
        mana_cat_texts(&ck, "name", json_object_get(v, "name"), 1, 24, 1, 1);
    }

    if (json_object_get(v, "description")) {
        mana_cat_texts(&ck, "description", json_object_get(v, "description"),
                       0, 72, 0, 0);
    }

    mana_cat_contact(&ck, json_object_get(v, "contact"));

    return ck.errors;
}


size_t
mana_cat_check_office(json_t *v, const char *place, mana_cat_problems_t *p)
{
    json_t         *m;
    mana_cat_ck_t   ck;

    ck.p = p;
    ck.prefix = place;
    ck.errors = 0;

    if (!mana_cat_keys(&ck, "", v, mana_cat_office_keys)) {
        return ck.errors;
    }

    mana_cat_code(&ck, "code", json_object_get(v, "code"),
                  MANA_CAT_CODE_OFFICE);
    mana_cat_code(&ck, "department", json_object_get(v, "department"),
                  MANA_CAT_CODE_DEPARTMENT);

    if (json_object_get(v, "district") == NULL) {
        mana_cat_err(&ck, "district", "is required");

    } else {
        mana_cat_string(&ck, "district", json_object_get(v, "district"), 1,
                        64);
    }

    m = json_object_get(v, "mandal");
    if (m && !json_is_null(m)) {
        mana_cat_string(&ck, "mandal", m, 1, 64);
    }

    mana_cat_bool(&ck, "enabled", json_object_get(v, "enabled"));

    if (json_object_get(v, "name") == NULL) {
        mana_cat_err(&ck, "name", "is required");

    } else {
        mana_cat_texts(&ck, "name", json_object_get(v, "name"), 1, 255, 1,
                       1);
    }

    if (json_object_get(v, "address")) {
        mana_cat_texts(&ck, "address", json_object_get(v, "address"), 0,
                       255, 0, 0);
    }

    mana_cat_contact(&ck, json_object_get(v, "contact"));

    return ck.errors;
}


/*
 * A district: its names.  The English one is the district as offices,
 * applications and grievances store it (office.district is 64 long).
 */
size_t
mana_cat_check_district(json_t *v, const char *place, mana_cat_problems_t *p)
{
    mana_cat_ck_t  ck;

    ck.p = p;
    ck.prefix = place;
    ck.errors = 0;

    if (!mana_cat_keys(&ck, "", v, mana_cat_district_keys)) {
        return ck.errors;
    }

    if (json_object_get(v, "name") == NULL) {
        mana_cat_err(&ck, "name", "is required");

    } else {
        mana_cat_texts(&ck, "name", json_object_get(v, "name"), 1, 64, 1, 1);
    }

    return ck.errors;
}


size_t
mana_cat_check_service(json_t *v, const char *place, mana_cat_problems_t *p)
{
    char           buf[64];
    size_t         i, n;
    json_t        *x, *f;
    const char    *code, *dept, *type;
    mana_cat_ck_t  ck;

    ck.p = p;
    ck.prefix = place;
    ck.errors = 0;

    if (!mana_cat_keys(&ck, "", v, mana_cat_service_keys)) {
        return ck.errors;
    }

    mana_cat_code(&ck, "code", json_object_get(v, "code"),
                  MANA_CAT_CODE_SERVICE);
    mana_cat_code(&ck, "department", json_object_get(v, "department"),
                  MANA_CAT_CODE_DEPARTMENT);

    code = json_string_value(json_object_get(v, "code"));
    dept = json_string_value(json_object_get(v, "department"));

    if (code && dept) {
        n = strlen(dept);

        if (strncmp(code, dept, n) != 0 || code[n] != '-') {
            mana_cat_err(&ck, "code", "\"%.40s\" must start with its "
                         "department's code and a hyphen (%.16s-)", code,
                         dept);
        }
    }

    type = json_string_value(json_object_get(v, "type"));

    if (json_object_get(v, "type") == NULL) {
        mana_cat_err(&ck, "type", "is required");

    } else if (!mana_cat_service_type_valid(type)) {
        mana_cat_err(&ck, "type", "must be one of information, application, "
                     "instant_document, status_lookup, grievance, payment");
        type = NULL;
    }

    mana_cat_bool(&ck, "enabled", json_object_get(v, "enabled"));
    mana_cat_bool(&ck, "popular", json_object_get(v, "popular"));

    if (json_object_get(v, "sort")) {
        mana_cat_int(&ck, "sort", json_object_get(v, "sort"),
                     MANA_CAT_SORT_MIN, MANA_CAT_SORT_MAX);
    }

    mana_cat_fee(&ck, json_object_get(v, "fee"));

    x = json_object_get(v, "sla_days");

    if (x && !json_is_null(x)) {
        mana_cat_int(&ck, "sla_days", x, 0, 365);

    } else if (type && (strcmp(type, "application") == 0
                        || strcmp(type, "grievance") == 0))
    {
        mana_cat_err(&ck, "sla_days", "is required for %s services", type);
    }

    if (json_object_get(v, "name") == NULL) {
        mana_cat_err(&ck, "name", "is required");

    } else {
        mana_cat_texts(&ck, "name", json_object_get(v, "name"), 1, 24, 1, 1);
    }

    if ((x = json_object_get(v, "description"))) {
        mana_cat_texts(&ck, "description", x, 0, 72, 0, 0);
    }

    if ((x = json_object_get(v, "keywords"))) {
        mana_cat_lists(&ck, "keywords", x, 64);
    }

    if ((x = json_object_get(v, "intents"))) {
        if (!json_is_array(x)) {
            mana_cat_err(&ck, "intents", "must be an array of PCRE2 "
                         "patterns");

        } else {
            json_array_foreach(x, i, f) {
                mana_cat_fmt(buf, sizeof(buf), "intents[%zu]", i);
                mana_cat_pattern(&ck, buf, f);
            }
        }
    }

    if ((x = json_object_get(v, "documents"))) {
        mana_cat_lists(&ck, "documents", x, 255);
    }

    x = json_object_get(v, "content");

    if (x) {
        mana_cat_texts(&ck, "content", x, 0, 4096, 0, 0);
    }

    if (type && strcmp(type, "information") == 0
        && json_object_get(x, "en") == NULL)
    {
        mana_cat_err(&ck, "content.en", "is required for information "
                     "services");
    }

    ck.errors += mana_cat_check_form(json_object_get(v, "form"), type, place,
                                     p);

    return ck.errors;
}


size_t
mana_cat_check_form(json_t *v, const char *type, const char *place,
    mana_cat_problems_t *p)
{
    char            buf[32];
    size_t          i, j;
    json_t         *f;
    const char     *name;
    mana_cat_ck_t   ck;

    ck.p = p;
    ck.prefix = place;
    ck.errors = 0;

    if (v != NULL && !json_is_array(v)) {
        mana_cat_err(&ck, "form", "must be an array of fields");
        return ck.errors;
    }

    if (json_array_size(v) == 0 && type
        && mana_cat_in(type, (const char *[]) { "application",
                                                 "instant_document",
                                                 "grievance",
                                                 "status_lookup", NULL }))
    {
        mana_cat_err(&ck, "form", "needs at least one field for %s services",
                     type);
    }

    json_array_foreach(v, i, f) {
        mana_cat_fmt(buf, sizeof(buf), "form[%zu]", i);
        mana_cat_field(&ck, buf, f);

        name = json_string_value(json_object_get(f, "name"));

        for (j = 0; name && j < i; j++) {
            if (json_equal(json_object_get(json_array_get(v, j), "name"),
                           json_object_get(f, "name")))
            {
                mana_cat_err(&ck, mana_cat_sub((char[48]) { 0 }, 48, buf,
                                               "name"),
                             "duplicate field name \"%.32s\" (also "
                             "form[%zu])", name, j);
                break;
            }
        }
    }

    return ck.errors;
}


static void
mana_cat_field(mana_cat_ck_t *ck, const char *path, json_t *f)
{
    char         buf[64];
    json_t      *x;
    const char  *kind;

    if (!mana_cat_keys(ck, path, f, mana_cat_field_keys)) {
        return;
    }

    mana_cat_code(ck, mana_cat_sub(buf, sizeof(buf), path, "name"),
                  json_object_get(f, "name"), MANA_CAT_CODE_FIELD);

    kind = json_string_value(json_object_get(f, "kind"));
    mana_cat_sub(buf, sizeof(buf), path, "kind");

    if (json_object_get(f, "kind") == NULL) {
        mana_cat_err(ck, buf, "is required");

    } else if (!mana_cat_field_kind_valid(kind)) {
        mana_cat_err(ck, buf, "must be one of text, number, amount, date, "
                     "phone, email, pincode, aadhaar, ifsc, district, "
                     "choice, photo, location, reference");
        kind = NULL;
    }

    mana_cat_sub(buf, sizeof(buf), path, "label");

    if (json_object_get(f, "label") == NULL) {
        mana_cat_err(ck, buf, "is required");

    } else {
        mana_cat_texts(ck, buf, json_object_get(f, "label"), 1, 1024, 1, 1);
    }

    x = json_object_get(f, "pattern");

    if (x && !json_is_null(x)) {
        mana_cat_pattern(ck, mana_cat_sub(buf, sizeof(buf), path, "pattern"),
                         x);
    }

    x = json_object_get(f, "checksum");

    if (x && !json_is_null(x)
        && !mana_cat_in(json_string_value(x),
                        (const char *[]) { "verhoeff", "luhn", NULL }))
    {
        mana_cat_err(ck, mana_cat_sub(buf, sizeof(buf), path, "checksum"),
                     "must be null, \"verhoeff\" or \"luhn\"");
    }

    mana_cat_bool(ck, mana_cat_sub(buf, sizeof(buf), path, "required"),
                  json_object_get(f, "required"));

    x = json_object_get(f, "choices");
    mana_cat_sub(buf, sizeof(buf), path, "choices");

    if (kind && strcmp(kind, "choice") == 0) {
        if (x == NULL) {
            mana_cat_err(ck, buf, "is required for a choice field");

        } else {
            mana_cat_choices(ck, buf, x);
        }

    } else if (x) {
        mana_cat_err(ck, buf, "is only for fields of kind choice");
    }
}


static void
mana_cat_choices(mana_cat_ck_t *ck, const char *path, json_t *v)
{
    char     buf[64], sub[80];
    size_t   i, j;
    json_t  *c;

    if (!json_is_array(v) || json_array_size(v) < 1
        || json_array_size(v) > 10)
    {
        mana_cat_err(ck, path, "must be an array of 1 to 10 choices");
        return;
    }

    json_array_foreach(v, i, c) {
        mana_cat_fmt(buf, sizeof(buf), "%s[%zu]", path, i);

        if (!mana_cat_keys(ck, buf, c, mana_cat_choice_keys)) {
            continue;
        }

        mana_cat_code(ck, mana_cat_sub(sub, sizeof(sub), buf, "id"),
                      json_object_get(c, "id"), MANA_CAT_CODE_CHOICE);

        for (j = 0; j < i; j++) {
            if (json_is_string(json_object_get(c, "id"))
                && json_equal(json_object_get(json_array_get(v, j), "id"),
                              json_object_get(c, "id")))
            {
                mana_cat_err(ck, sub, "duplicate choice id (also %s[%zu])",
                             path, j);
                break;
            }
        }

        mana_cat_sub(sub, sizeof(sub), buf, "label");

        if (json_object_get(c, "label") == NULL) {
            mana_cat_err(ck, sub, "is required");

        } else {
            mana_cat_texts(ck, sub, json_object_get(c, "label"), 1, 24, 1, 1);
        }
    }
}


