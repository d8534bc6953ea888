/*
 * Services as CSV, for people who keep the catalogue in a spreadsheet.
 * One row a service; texts get one column per language ("name.te"); the
 * structured fields (keywords, intents, documents, form) hold their JSON.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mana_catalogue_int.h"
#include "mana_csv.h"


#define MANA_CAT_CSV_TEXTS  3

static const char  *mana_cat_csv_texts[MANA_CAT_CSV_TEXTS] = {
    "name", "description", "content"
};

static const char  *mana_cat_csv_scalars[] = {
    "code", "department", "type", "enabled", "popular", "sort", "fee",
    "sla_days", NULL
};

static const char  *mana_cat_csv_json[] = {
    "keywords", "intents", "documents", "form", NULL
};


static json_t *mana_cat_csv_row(mana_csv_t *csv, char **header,
    mana_cat_problems_t *p);
static int mana_cat_csv_cell(json_t *svc, const char *col, const char *s,
    size_t n, char *err, size_t size);
static void mana_cat_csv_translate(mana_cat_problems_t *from, size_t line,
    mana_cat_problems_t *to);
static int mana_cat_csv_header(mana_csv_t *csv, mana_cat_problems_t *p);


json_t *
mana_catalogue_csv_read(const char *data, size_t len, json_t **lines_out,
    mana_cat_problems_t *p)
{
    int          rc;
    char        *place, **header;
    size_t       i, j, errors;
    json_t      *out, *svc, *lines, *c;
    mana_csv_t   csv;

    errors = p->errors;
    header = NULL;
    out = json_array();
    lines = json_array();

    mana_csv_init(&csv, data, len);

    rc = mana_csv_next(&csv);

    if (rc == 0) {
        mana_cat_problem(p, MANA_CAT_ERROR, "1", "the file is empty: a "
                         "header row is required");
        goto done;
    }

    if (rc < 0 || mana_cat_csv_header(&csv, p) != 0) {
        if (rc < 0) {
            goto failed;
        }

        goto done;
    }

    /* the header's cells are overwritten by the next record */
    header = calloc(csv.nfields, sizeof(char *));
    for (i = 0; header && i < csv.nfields; i++) {
        header[i] = strdup(csv.fields[i]);
    }

    csv.ncols = csv.nfields;

    while ((rc = mana_csv_next(&csv)) == 1) {
        svc = mana_cat_csv_row(&csv, header, p);
        if (svc == NULL) {
            continue;
        }

        /* a duplicate code: name the line of the first one */
        json_array_foreach(out, j, c) {
            if (json_equal(json_object_get(c, "code"),
                           json_object_get(svc, "code")))
            {
                place = (char *) mana_cat_fmt((char[32]) { 0 }, 32,
                                              "%zu: column code",
                                              csv.record_line);
                mana_cat_problem(p, MANA_CAT_ERROR, place, "duplicate code "
                                 "\"%s\" (also line %lld)",
                                 json_string_value(json_object_get(c,
                                                                   "code")),
                                 json_integer_value(json_array_get(lines,
                                                                   j)));
                break;
            }
        }

        json_array_append_new(out, svc);
        json_array_append_new(lines, json_integer(csv.record_line));
    }

    if (rc < 0) {
        goto failed;
    }

    goto done;

failed:

    if (csv.err_field && header && csv.err_field <= csv.ncols) {
        place = (char *) mana_cat_fmt((char[64]) { 0 }, 64, "%zu: column %s",
                                      csv.err_line,
                                      header[csv.err_field - 1]);

    } else if (csv.err_field) {
        place = (char *) mana_cat_fmt((char[64]) { 0 }, 64, "%zu: column %zu",
                                      csv.err_line, csv.err_field);

    } else {
        place = (char *) mana_cat_fmt((char[64]) { 0 }, 64, "%zu",
                                      csv.err_line);
    }

    mana_cat_problem(p, MANA_CAT_ERROR, place, "%s", csv.err);

done:

    if (header) {
        for (i = 0; i < csv.ncols; i++) {
            free(header[i]);
        }
    }

    free(header);
    mana_csv_free(&csv);
    if (p->errors != errors) {
        json_decref(lines);
        json_decref(out);
        return NULL;
    }

    if (lines_out) {
        *lines_out = lines;

    } else {
        json_decref(lines);
    }

    return out;
}


static int
mana_cat_csv_header(mana_csv_t *csv, mana_cat_problems_t *p)
{
    char         place[80];
    size_t       i, j, k;
    const char  *col, *dot;
    int          ok;

    ok = 1;

    for (i = 0; i < csv->nfields; i++) {
        col = csv->fields[i];
        mana_cat_fmt(place, sizeof(place), "1: column %.32s", col);

        dot = strchr(col, '.');
        k = 0;

        if (dot) {
            for (k = 0; k < MANA_CAT_CSV_TEXTS; k++) {
                if (strlen(mana_cat_csv_texts[k]) == (size_t) (dot - col)
                    && strncmp(col, mana_cat_csv_texts[k], dot - col) == 0)
                {
                    break;
                }
            }
        }

        if (dot && k < MANA_CAT_CSV_TEXTS) {
            if (!mana_cat_code_valid(MANA_CAT_CODE_LANG, dot + 1)) {
                mana_cat_problem(p, MANA_CAT_ERROR, place, "\"%s\" is not a "
                                 "language code (%s)", dot + 1,
                                 mana_cat_code_regex(MANA_CAT_CODE_LANG));
                ok = 0;
            }

        } else if (!mana_cat_in(col, mana_cat_csv_scalars)
                   && !mana_cat_in(col, mana_cat_csv_json))
        {
            mana_cat_problem(p, MANA_CAT_ERROR, place, "unknown column");
            ok = 0;
        }

        for (j = 0; j < i; j++) {
            if (strcmp(csv->fields[j], col) == 0) {
                mana_cat_problem(p, MANA_CAT_ERROR, place, "the column is "
                                 "given twice");
                ok = 0;
                break;
            }
        }
    }

    for (k = 0; k < 4; k++) {
        col = (const char *[]) { "code", "department", "type", "name.en" }[k];

        for (i = 0; i < csv->nfields; i++) {
            if (strcmp(csv->fields[i], col) == 0) {
                break;
            }
        }

        if (i == csv->nfields) {
            mana_cat_fmt(place, sizeof(place), "1: column %s", col);
            mana_cat_problem(p, MANA_CAT_ERROR, place, "a required column "
                             "is missing");
            ok = 0;
        }
    }

    return ok ? 0 : -1;
}


/* one record into a canonical service, or NULL with problems added */

static json_t *
mana_cat_csv_row(mana_csv_t *csv, char **header, mana_cat_problems_t *p)
{
    int                   bad;
    char                  err[256], place[80];
    size_t                i;
    json_t               *svc, *c;
    mana_cat_problems_t   local;

    svc = json_object();
    if (svc == NULL || header == NULL) {
        json_decref(svc);
        mana_cat_problem(p, MANA_CAT_ERROR, "1", "out of memory");
        return NULL;
    }

    mana_cat_problems_init(&local);
    bad = 0;

    /* after a bad cell the others are still read, for a complete report */
    for (i = 0; i < csv->nfields; i++) {
        if (mana_cat_csv_cell(svc, header[i], csv->fields[i], csv->lens[i],
                              err, sizeof(err))
            != 0)
        {
            mana_cat_fmt(place, sizeof(place), "%zu: column %s",
                         csv->record_line, header[i]);
            mana_cat_problem(p, MANA_CAT_ERROR, place, "%s", err);
            bad = 1;
        }
    }

    if (bad) {
        json_decref(svc);
        return NULL;
    }

    mana_cat_check_service(svc, "", &local);
    mana_cat_csv_translate(&local, csv->record_line, p);

    if (local.errors) {
        mana_cat_problems_free(&local);
        json_decref(svc);
        return NULL;
    }

    mana_cat_problems_free(&local);

    c = mana_cat_canonical_service(svc);
    json_decref(svc);

    return c;
}


/* "form[2].pattern" becomes column form; "name.te" stays column name.te */

static void
mana_cat_csv_translate(mana_cat_problems_t *from, size_t line,
    mana_cat_problems_t *to)
{
    char         col[64], place[96];
    size_t       i, n, k;
    const char  *pl;

    for (i = 0; i < from->n; i++) {
        pl = from->v[i].place;
        n = strcspn(pl, ".[");

        for (k = 0; k < MANA_CAT_CSV_TEXTS; k++) {
            if (strlen(mana_cat_csv_texts[k]) == n
                && strncmp(pl, mana_cat_csv_texts[k], n) == 0
                && pl[n] == '.')
            {
                n += 1 + strcspn(pl + n + 1, ".[");
                break;
            }
        }

        mana_cat_fmt(col, sizeof(col), "%.*s", (int) n, pl);
        mana_cat_fmt(place, sizeof(place), "%zu: column %s", line, col);

        if (pl[n] == '\0') {
            mana_cat_problem(to, from->v[i].severity, place, "%s",
                             from->v[i].message);

        } else {
            mana_cat_problem(to, from->v[i].severity, place, "%s: %s", pl,
                             from->v[i].message);
        }
    }
}


static int
mana_cat_csv_cell(json_t *svc, const char *col, const char *s, size_t n,
    char *err, size_t size)
{
    char          *end, field[16];
    json_t        *v, *texts;
    long long      ll;
    const char    *dot;
    json_error_t   jerr;

    if (n == 0) {
        /* empty: the default; a fee or an SLA: none */
        if (strcmp(col, "fee") == 0 || strcmp(col, "sla_days") == 0) {
            json_object_set_new(svc, col, json_null());
        }

        return 0;
    }

    if (strcmp(col, "enabled") == 0 || strcmp(col, "popular") == 0) {
        if (strcmp(s, "true") != 0 && strcmp(s, "false") != 0) {
            mana_cat_fmt(err, size, "must be true or false");
            return -1;
        }

        json_object_set_new(svc, col, json_boolean(s[0] == 't'));
        return 0;
    }

    if (strcmp(col, "sort") == 0 || strcmp(col, "sla_days") == 0) {
        errno = 0;
        ll = strtoll(s, &end, 10);

        if (*end != '\0' || errno || strspn(s, "-0123456789") != n) {
            mana_cat_fmt(err, size, "must be an integer");
            return -1;
        }

        json_object_set_new(svc, col, json_integer(ll));
        return 0;
    }

    if (strcmp(col, "fee") == 0) {
        dot = strchr(s, '.');

        if (strspn(s, "0123456789.") != n || s[0] == '.'
            || (dot && (strchr(dot + 1, '.') || strlen(dot + 1) < 1
                        || strlen(dot + 1) > 2))
            || n > 12)
        {
            mana_cat_fmt(err, size, "must be a number of rupees with at "
                         "most 2 decimals, or empty");
            return -1;
        }

        v = dot ? json_real(strtod(s, NULL)) : json_integer(strtoll(s, NULL,
                                                                    10));
        json_object_set_new(svc, col, v);
        return 0;
    }

    if (mana_cat_in(col, mana_cat_csv_json)) {
        v = json_loadb(s, n, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
                       &jerr);
        if (v == NULL) {
            mana_cat_fmt(err, size, "not JSON: %s (at character %d)",
                         jerr.text, jerr.position);
            return -1;
        }

        json_object_set_new(svc, col, v);
        return 0;
    }

    dot = strchr(col, '.');

    if (dot == NULL) {
        json_object_set_new(svc, col, json_stringn(s, n));
        return 0;
    }

    /* name.te and the like: the header was checked */
    mana_cat_fmt(field, sizeof(field), "%.*s", (int) (dot - col), col);
    texts = json_object_get(svc, field);

    if (texts == NULL) {
        texts = json_object();
        json_object_set_new(svc, field, texts);
    }

    json_object_set_new(texts, dot + 1, json_stringn(s, n));

    return 0;
}


/* the languages of one text field over all services, in export order */

static json_t *
mana_cat_csv_langs(json_t *services, const char *field)
{
    size_t       i, j;
    json_t      *svc, *langs, *x;
    const char  *lang;

    langs = json_array();

    json_array_foreach(services, i, svc) {
        json_object_foreach(json_object_get(svc, field), lang, x) {
            for (j = 0; j < json_array_size(langs); j++) {
                if (mana_cat_lang_order(lang, json_string_value(
                        json_array_get(langs, j))) <= 0)
                {
                    break;
                }
            }

            if (j == json_array_size(langs)
                || strcmp(lang, json_string_value(json_array_get(langs, j)))
                   != 0)
            {
                json_array_insert_new(langs, j, json_string(lang));
            }
        }
    }

    return langs;
}


char *
mana_catalogue_csv_write(json_t *services)
{
    char         buf[80], *s;
    size_t       i, j, k, first;
    json_t      *svc, *langs[MANA_CAT_CSV_TEXTS], *v, *l;
    mana_buf_t   b;

    mana_buf_init(&b);

    for (k = 0; k < MANA_CAT_CSV_TEXTS; k++) {
        langs[k] = mana_cat_csv_langs(services, mana_cat_csv_texts[k]);
    }

    /* the header, then a row a service: the same walk, first = header */
    for (i = 0; i <= json_array_size(services); i++) {
        svc = i ? json_array_get(services, i - 1) : NULL;
        first = 1;

        for (j = 0; mana_cat_csv_scalars[j]; j++) {
            if (svc == NULL) {
                s = strdup(mana_cat_csv_scalars[j]);

            } else {
                v = json_object_get(svc, mana_cat_csv_scalars[j]);
                s = json_is_string(v) ? strdup(json_string_value(v))
                    : json_is_null(v) ? strdup("")
                    : mana_cat_dump_compact(v);
            }

            mana_csv_field(&b, s ? s : "", s ? strlen(s) : 0, first);
            free(s);
            first = 0;
        }

        for (k = 0; k < MANA_CAT_CSV_TEXTS; k++) {
            json_array_foreach(langs[k], j, l) {
                if (svc == NULL) {
                    mana_cat_fmt(buf, sizeof(buf), "%s.%s",
                                 mana_cat_csv_texts[k], json_string_value(l));
                    mana_csv_field(&b, buf, strlen(buf), 0);
                    continue;
                }

                v = json_object_get(json_object_get(svc,
                                                    mana_cat_csv_texts[k]),
                                    json_string_value(l));
                mana_csv_field(&b, v ? json_string_value(v) : "",
                               v ? json_string_length(v) : 0, 0);
            }
        }

        for (j = 0; mana_cat_csv_json[j]; j++) {
            s = svc ? mana_cat_dump_compact(json_object_get(svc,
                                                mana_cat_csv_json[j]))
                    : strdup(mana_cat_csv_json[j]);
            mana_csv_field(&b, s ? s : "", s ? strlen(s) : 0, 0);
            free(s);
        }

        mana_csv_end(&b);
    }

    for (k = 0; k < MANA_CAT_CSV_TEXTS; k++) {
        json_decref(langs[k]);
    }

    mana_buf_add(&b, "", 1);

    if (mana_buf_failed(&b)) {
        mana_buf_free(&b);
        return NULL;
    }

    return b.data;
}
