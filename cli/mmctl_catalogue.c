/*
 * The catalogue as a whole: the "catalogue" noun (validate, stats), and
 * the file import and export that "service import|export" run.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmctl_catalogue.h"
#include "mmctl_text.h"


static int mmctl_catalogue_validate(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_catalogue_stats(mmctl_ctx_t *ctx, mmctl_args_t *args);


static const mmctl_option_t  mmctl_catalogue_no_options[] = {
    { NULL, NULL, 0 }
};


static const mmctl_verb_t  mmctl_catalogue_verbs[] = {

    { "validate", "[FILE]",
      "check the stored catalogue, or a catalogue file",
      "Checks every rule of docs/catalogue-format.md.  Without FILE, the\n"
      "database's catalogue as a whole, which also reports a service in a\n"
      "disabled department (warning), an office or a service whose\n"
      "department is missing (error) and a department without services\n"
      "(warning).  With FILE, a complete \"mana-catalogue/1\" JSON document,\n"
      "or a CSV file of services (.csv).  A missing Telugu text, and an\n"
      "office in a district the districts do not name, are warnings;\n"
      "changes nothing.\n"
      "\n"
      "Output: one line a problem, \"error: place: message\" or \"warning:\n"
      "place: message\", then a count; with --json\n"
      "  {\"errors\":[{\"place\":..,\"message\":..},...],\"warnings\":[...]}\n"
      "Exit status 1 when there is an error, 0 otherwise.\n",
      mmctl_catalogue_no_options, 0, 1, mmctl_catalogue_validate },

    { "stats", "",
      "count services per department and type",
      "Counts, per department, its services (all and enabled), its offices\n"
      "and its services of each type, and the totals.\n"
      "\n"
      "Output: DEPARTMENT ENABLED SERVICES ON OFFICES and one column a type\n"
      "(INFORMATION ... PAYMENT), then a TOTAL row; with --json\n"
      "  {\"version\":N,\"departments\":[{\"code\":..,\"enabled\":true,\n"
      "   \"services\":N,\"enabled_services\":N,\"offices\":N,\n"
      "   \"types\":{\"information\":N,...}},...],\n"
      "   \"total\":{\"departments\":N,\n"
      "   \"services\":N,\"enabled_services\":N,\"offices\":N,\n"
      "   \"types\":{...}}}\n",
      mmctl_catalogue_no_options, 0, 0, mmctl_catalogue_stats },

    { NULL, NULL, NULL, NULL, NULL, 0, 0, NULL }
};


const mmctl_noun_t  mmctl_noun_catalogue = {
    "catalogue",
    "the catalogue as a whole: validation and statistics",
    "Checks the catalogue (departments, offices, services and forms,\n"
    "districts) against docs/catalogue-format.md and counts it.\n"
    "Departments, offices and services are changed with their own nouns;\n"
    "\"mmctl service import|export\" reads and writes whole catalogue\n"
    "files (the districts with them).\n",
    mmctl_catalogue_verbs
};


/* the document's lists, as import and export count them */
static const char  *mmctl_catalogue_kinds[4] = {
    "departments", "offices", "services", "districts"
};

static const char  *mmctl_catalogue_types[6] = {
    "information", "application", "instant_document", "status_lookup",
    "grievance", "payment"
};


int
mmctl_catalogue_read_file(mmctl_ctx_t *ctx, const char *path, char **data,
    size_t *len)
{
    FILE    *f;
    char    *buf, *p;
    size_t   n, cap;

    f = fopen(path, "rb");
    if (f == NULL) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot open %s: %s",
                           path, strerror(errno));
    }

    cap = 1 << 20;
    n = 0;
    buf = malloc(cap + 1);

    while (buf) {
        n += fread(buf + n, 1, cap - n, f);

        if (n < cap || ferror(f)) {
            break;
        }

        cap *= 2;
        p = realloc(buf, cap + 1);
        if (p == NULL) {
            free(buf);
        }

        buf = p;
    }

    if (buf == NULL || ferror(f)) {
        fclose(f);
        free(buf);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot read %s: %s",
                           path, buf ? strerror(errno) : "out of memory");
    }

    fclose(f);
    buf[n] = '\0';
    *data = buf;
    *len = n;

    return MMCTL_OK;
}


/* "json" or "csv": --format, else the file's extension */

static const char *
mmctl_catalogue_format(const char *file, const char *format)
{
    size_t  n;

    if (format) {
        return strcmp(format, "json") == 0 || strcmp(format, "csv") == 0
               ? format : NULL;
    }

    n = file ? strlen(file) : 0;

    if (n > 5 && strcasecmp(file + n - 5, ".json") == 0) {
        return "json";
    }

    if (n > 4 && strcasecmp(file + n - 4, ".csv") == 0) {
        return "csv";
    }

    return NULL;
}


/* the equality import relies on: canonical compact JSON, byte for byte */

static int
mmctl_catalogue_same(json_t *a, json_t *b)
{
    int    same;
    char  *x, *y;

    if (a == NULL || b == NULL) {
        return 0;
    }

    x = mana_cat_dump_compact(a);
    y = mana_cat_dump_compact(b);
    same = (x && y && strcmp(x, y) == 0);
    free(x);
    free(y);

    return same;
}


/*
 * Parses and checks the file against the stored departments: on success
 * lists[4] are new arrays of canonical departments, offices, services and
 * districts.
 */

static int
mmctl_catalogue_parse_file(mmctl_ctx_t *ctx, const char *file,
    const char *format, const char *data, size_t len, json_t *known,
    json_t **lists)
{
    int                   rc;
    char                  place[64];
    size_t                i;
    json_t               *services, *lines, *svc;
    const char           *dept;
    mana_catalogue_t      cat;
    mana_cat_problems_t   p;

    mana_cat_problems_init(&p);
    lists[0] = lists[1] = lists[2] = lists[3] = NULL;

    if (strcmp(format, "json") == 0) {
        if (mana_catalogue_parse(&cat, data, len, known, &p) == 0) {
            lists[0] = json_incref(cat.departments);
            lists[1] = json_incref(cat.offices);
            lists[2] = json_incref(cat.services);
            lists[3] = cat.districts ? json_incref(cat.districts)
                                     : json_array();
            mana_catalogue_free(&cat);
        }

    } else {
        lines = NULL;
        services = mana_catalogue_csv_read(data, len, &lines, &p);

        json_array_foreach(services, i, svc) {
            dept = json_string_value(json_object_get(svc, "department"));

            if (json_object_get(known, dept) == NULL) {
                snprintf(place, sizeof(place), "%lld: column department",
                         json_integer_value(json_array_get(lines, i)));
                mana_cat_problem(&p, MANA_CAT_ERROR, place, "no department "
                                 "\"%s\" in the database", dept);
            }
        }

        json_decref(lines);

        if (services && p.errors == 0) {
            lists[0] = json_array();
            lists[1] = json_array();
            lists[2] = services;
            lists[3] = json_array();

        } else {
            json_decref(services);
        }
    }

    rc = mmctl_catalogue_report(ctx, file, &p, 0);

    if (rc == MMCTL_OK && p.warnings) {
        mmctl_note("%s: %zu warning%s (missing Telugu texts, districts "
                   "without names): \"mmctl catalogue validate\" lists them",
                   file, p.warnings, p.warnings == 1 ? "" : "s");
    }

    if (rc != MMCTL_OK) {
        mmctl_note("%s: %zu error%s: nothing was written", file, p.errors,
                   p.errors == 1 ? "" : "s");
    }

    mana_cat_problems_free(&p);

    return rc;
}


static void
mmctl_catalogue_print_import(mmctl_ctx_t *ctx, const char *file,
    const char *format, int dry_run, size_t counts[4][3], int changed,
    long long version)
{
    char            cell[3][32];
    size_t          k, j;
    const char     *row[4];
    mmctl_table_t   t;

    static const char  *hdr[4] = { "KIND", "ADDED", "CHANGED", "UNCHANGED" };
    static const char  *names[3] = { "added", "changed", "unchanged" };

    if (ctx->json) {
        fputs("{\"file\":", stdout);
        mmctl_json_str(stdout, file);
        printf(",\"format\":\"%s\",\"dry_run\":%s,\"changed\":%s,"
               "\"version\":%lld", format, dry_run ? "true" : "false",
               changed ? "true" : "false", version);

        for (k = 0; k < 4; k++) {
            printf(",\"%s\":{", mmctl_catalogue_kinds[k]);

            for (j = 0; j < 3; j++) {
                printf("%s\"%s\":%zu", j ? "," : "", names[j],
                       counts[k][j]);
            }

            fputs("}", stdout);
        }

        fputs("}\n", stdout);
        ctx->json_done = 1;
        return;
    }

    if (mmctl_table_init(&t, 4, hdr) == 0) {
        for (k = 0; k < 4; k++) {
            row[0] = mmctl_catalogue_kinds[k];

            for (j = 0; j < 3; j++) {
                snprintf(cell[j], sizeof(cell[j]), "%zu", counts[k][j]);
                row[j + 1] = cell[j];
            }

            (void) mmctl_table_add(&t, row);
        }

        mmctl_table_print(&t, stdout);
    }

    mmctl_table_free(&t);

    if (dry_run) {
        mmctl_note("dry run: nothing was written");

    } else if (changed) {
        mmctl_note("catalogue version %lld", version);

    } else {
        mmctl_note("nothing changed (catalogue version %lld)", version);
    }
}


int
mmctl_catalogue_import(mmctl_ctx_t *ctx, const char *file,
    const char *format, int dry_run)
{
    int               rc, locked, result, changed;
    char             *data;
    size_t            k, i, len, counts[4][3];
    json_t           *doc, *known, *lists[4], *obj, *old, *d, *names;
    long long         version;
    const char       *fmt;
    mana_catalogue_t  db;

    static const char  *kinds[4] = {
        "department", "office", "service", "district"
    };

    fmt = mmctl_catalogue_format(file, format);

    if (fmt == NULL) {
        return mmctl_usage_error(ctx, format ? "--format must be json or csv"
                                 : "cannot tell the format of %s: name it "
                                   "*.json or *.csv, or give --format", file);
    }

    data = NULL;
    len = 0;

    rc = mmctl_catalogue_read_file(ctx, file, &data, &len);
    if (rc != MMCTL_OK) {
        return rc;
    }

    doc = NULL;
    known = NULL;
    lists[0] = lists[1] = lists[2] = lists[3] = NULL;
    locked = 0;
    changed = 0;
    version = -1;
    memset(counts, 0, sizeof(counts));

    rc = mmctl_catalogue_connect(ctx);

    /* everything after the lock: what is compared is what is written */
    if (rc == MMCTL_OK) {
        rc = mmctl_catalogue_lock(ctx);
        locked = (rc == MMCTL_OK);
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_catalogue_begin(ctx);
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_catalogue_read(ctx, &doc, NULL);
    }

    if (rc != MMCTL_OK) {
        goto done;
    }

    db.root = doc;
    db.departments = json_object_get(doc, "departments");
    db.offices = json_object_get(doc, "offices");
    db.services = json_object_get(doc, "services");
    db.districts = json_object_get(doc, "districts");

    known = json_object();

    json_array_foreach(db.departments, i, d) {
        json_object_set(known, json_string_value(json_object_get(d, "code")),
                        json_true());
    }

    rc = mmctl_catalogue_parse_file(ctx, file, fmt, data, len, known, lists);
    if (rc != MMCTL_OK) {
        goto done;
    }

    /* departments first: offices and services refer to them */
    for (k = 0; k < 4 && rc == MMCTL_OK; k++) {
        json_array_foreach(lists[k], i, obj) {
            names = json_object_get(obj, "name");
            old = k == 0 ? mana_catalogue_department(&db,
                               json_string_value(json_object_get(obj, "code")))
                  : k == 1 ? mana_catalogue_office(&db,
                               json_string_value(json_object_get(obj, "code")))
                  : k == 2 ? mana_catalogue_service(&db,
                               json_string_value(json_object_get(obj, "code")))
                  : mana_catalogue_district(&db,
                               json_string_value(json_object_get(names, "en")));

            if (dry_run) {
                result = old == NULL ? 1
                         : mmctl_catalogue_same(obj, old) ? 0 : 2;

            } else {
                rc = mmctl_catalogue_write(ctx, kinds[k], obj, old, &result);
                if (rc != MMCTL_OK) {
                    break;
                }
            }

            counts[k][result == 1 ? 0 : result == 2 ? 1 : 2]++;
            changed |= (result != 0);
        }
    }

    if (rc == MMCTL_OK && changed && !dry_run) {
        rc = mmctl_catalogue_bump(ctx);
    }

    if (rc == MMCTL_OK) {
        version = mmctl_catalogue_version(ctx);
        rc = version < 0 ? MMCTL_FAILED : MMCTL_OK;
    }

    if (rc == MMCTL_OK && changed && !dry_run) {
        rc = mmctl_catalogue_commit(ctx);
    }

    if (rc == MMCTL_OK) {
        mmctl_catalogue_print_import(ctx, file, fmt, dry_run, counts,
                                     changed, version);
    }

done:

    if (ctx->mysql && (rc != MMCTL_OK || !changed || dry_run)) {
        mmctl_catalogue_rollback(ctx);
    }

    if (locked) {
        mmctl_catalogue_unlock(ctx);
    }

    for (k = 0; k < 4; k++) {
        json_decref(lists[k]);
    }

    json_decref(known);
    json_decref(doc);
    free(data);

    return rc;
}


int
mmctl_catalogue_export(mmctl_ctx_t *ctx, const char *format,
    const char *output)
{
    int               rc;
    char             *text;
    size_t            k, n[4];
    json_t           *doc;
    mana_catalogue_t  cat;

    format = format ? format : "json";

    if (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0) {
        return mmctl_usage_error(ctx, "--format must be json or csv");
    }

    if (ctx->json && output == NULL && strcmp(format, "csv") == 0) {
        return mmctl_usage_error(ctx, "--json with --format csv needs "
                                 "-o FILE");
    }

    rc = mmctl_catalogue_connect(ctx);

    /* one snapshot: the three tables as one commit left them */
    if (rc == MMCTL_OK) {
        rc = mmctl_exec(ctx, "cannot start a transaction",
                        "START TRANSACTION WITH CONSISTENT SNAPSHOT");
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_catalogue_read(ctx, &doc, NULL);
        mmctl_catalogue_rollback(ctx);
    }

    if (rc != MMCTL_OK) {
        return rc;
    }

    cat.root = doc;
    cat.departments = json_object_get(doc, "departments");
    cat.offices = json_object_get(doc, "offices");
    cat.services = json_object_get(doc, "services");
    cat.districts = json_object_get(doc, "districts");

    text = strcmp(format, "json") == 0 ? mana_catalogue_dump(&cat)
           : mana_catalogue_csv_write(cat.services);

    if (text == NULL) {
        json_decref(doc);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    if (output) {
        rc = mmctl_write_file(ctx, output, text, strlen(text), 0644);

    } else if (fwrite(text, 1, strlen(text), stdout) != strlen(text)) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot write to "
                         "stdout: %s", strerror(errno));
    }

    /* as "i18n export -o" says what it wrote */
    if (output && rc == MMCTL_OK) {
        n[0] = json_array_size(cat.departments);
        n[1] = json_array_size(cat.offices);
        n[2] = json_array_size(cat.services);
        n[3] = json_array_size(cat.districts);

        mmctl_note("wrote %s: %zu department%s, %zu office%s, %zu service%s, "
                   "%zu district%s", output, n[0], n[0] == 1 ? "" : "s",
                   n[1], n[1] == 1 ? "" : "s", n[2], n[2] == 1 ? "" : "s",
                   n[3], n[3] == 1 ? "" : "s");
    }

    if (ctx->json && rc == MMCTL_OK) {
        if (output) {
            fputs("{\"file\":", stdout);
            mmctl_json_str(stdout, output);
            printf(",\"format\":\"%s\"", format);

            for (k = 0; k < 4; k++) {
                printf(",\"%s\":%zu", mmctl_catalogue_kinds[k],
                       json_array_size(json_object_get(doc,
                                           mmctl_catalogue_kinds[k])));
            }

            fputs("}\n", stdout);
        }

        /* without -o the document itself was the one JSON document */
        ctx->json_done = 1;
    }

    free(text);
    json_decref(doc);

    return rc;
}


/*
 * "services[12] (REV-INC): name.te" of the stored catalogue reads better
 * as "service REV-INC: name.te": indexes mean nothing in a database.
 */

static void
mmctl_catalogue_db_places(mana_cat_problems_t *p)
{
    char    *open, *close, buf[1024];
    size_t   i, k;

    for (i = 0; i < p->n; i++) {
        for (k = 0; k < 4; k++) {
            if (strncmp(p->v[i].place, mmctl_catalogue_kinds[k],
                        strlen(mmctl_catalogue_kinds[k])) == 0)
            {
                break;
            }
        }

        open = strstr(p->v[i].place, "] (");
        close = open ? strchr(open, ')') : NULL;

        if (k == 4 || close == NULL) {
            continue;
        }

        /* "departments" -> "department", "services" -> "service" */
        snprintf(buf, sizeof(buf), "%.*s %.*s%s",
                 (int) strlen(mmctl_catalogue_kinds[k]) - 1,
                 mmctl_catalogue_kinds[k], (int) (close - open - 3),
                 open + 3, close + 1);

        free(p->v[i].place);
        p->v[i].place = strdup(buf);

        if (p->v[i].place == NULL) {
            p->v[i].place = strdup("");
        }
    }
}


/* the checks only the stored catalogue needs */

static void
mmctl_catalogue_db_checks(json_t *doc, mana_cat_problems_t *p)
{
    char         place[64];
    size_t       i, k, j;
    json_t      *list, *v, *d, *kept;
    const char  *dept, *code;

    for (k = 1; k < 3; k++) {
        list = json_object_get(doc, mmctl_catalogue_kinds[k]);
        kept = json_array();

        json_array_foreach(list, i, v) {
            code = json_string_value(json_object_get(v, "code"));

            if (json_is_null(json_object_get(v, "department"))) {
                snprintf(place, sizeof(place), "%s %s",
                         k == 1 ? "office" : "service", code);
                mana_cat_problem(p, MANA_CAT_ERROR, place, "department: its "
                                 "department does not exist");
                continue;
            }

            json_array_append(kept, v);
        }

        json_object_set_new(doc, mmctl_catalogue_kinds[k], kept);
    }

    json_array_foreach(json_object_get(doc, "departments"), i, d) {
        code = json_string_value(json_object_get(d, "code"));
        k = 0;

        json_array_foreach(json_object_get(doc, "services"), j, v) {
            dept = json_string_value(json_object_get(v, "department"));

            if (strcmp(dept, code) != 0) {
                continue;
            }

            k++;

            if (json_is_false(json_object_get(d, "enabled"))
                && json_is_true(json_object_get(v, "enabled")))
            {
                snprintf(place, sizeof(place), "service %s",
                         json_string_value(json_object_get(v, "code")));
                mana_cat_problem(p, MANA_CAT_WARNING, place, "enabled, but "
                                 "its department %s is disabled: citizens "
                                 "do not see it", code);
            }
        }

        if (k == 0) {
            snprintf(place, sizeof(place), "department %s", code);
            mana_cat_problem(p, MANA_CAT_WARNING, place, "has no services");
        }
    }
}


static void
mmctl_catalogue_print_problems(mmctl_ctx_t *ctx, const char *prefix,
    mana_cat_problems_t *p)
{
    int          sev;
    char         place[1024];
    size_t       i;

    if (!ctx->json) {
        for (sev = MANA_CAT_ERROR; sev <= MANA_CAT_WARNING; sev++) {
            for (i = 0; i < p->n; i++) {
                if (p->v[i].severity != sev) {
                    continue;
                }

                printf("%s: %s: %s\n",
                       sev == MANA_CAT_ERROR ? "error" : "warning",
                       mmctl_catalogue_place(place, sizeof(place), prefix,
                                             p->v[i].place),
                       p->v[i].message);
            }
        }

        printf("%zu error%s, %zu warning%s\n", p->errors,
               p->errors == 1 ? "" : "s", p->warnings,
               p->warnings == 1 ? "" : "s");
        return;
    }

    for (sev = MANA_CAT_ERROR; sev <= MANA_CAT_WARNING; sev++) {
        fputs(sev == MANA_CAT_ERROR ? "{\"errors\":[" : "],\"warnings\":[",
              stdout);
        mmctl_catalogue_json_problems(prefix, p, sev);
    }

    fputs("]}\n", stdout);
    ctx->json_done = 1;
}


static int
mmctl_catalogue_validate(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int                   rc;
    char                 *data;
    size_t                len;
    json_t               *doc, *services;
    const char           *file, *fmt;
    mana_catalogue_t      cat;
    mana_cat_problems_t   p;

    file = args->argc ? args->argv[0] : NULL;
    mana_cat_problems_init(&p);

    if (file) {
        fmt = mmctl_catalogue_format(file, NULL);
        fmt = fmt ? fmt : "json";

        data = NULL;
        len = 0;

        rc = mmctl_catalogue_read_file(ctx, file, &data, &len);
        if (rc != MMCTL_OK) {
            return rc;
        }

        if (strcmp(fmt, "csv") == 0) {
            services = mana_catalogue_csv_read(data, len, NULL, &p);
            json_decref(services);

        } else if (mana_catalogue_parse(&cat, data, len, NULL, &p) == 0) {
            mana_catalogue_free(&cat);
        }

        free(data);

    } else {
        rc = mmctl_catalogue_connect(ctx);

        if (rc == MMCTL_OK) {
            rc = mmctl_catalogue_read(ctx, &doc, NULL);
        }

        if (rc != MMCTL_OK) {
            return rc;
        }

        mmctl_catalogue_db_checks(doc, &p);

        if (mana_catalogue_load(&cat, doc, NULL, &p) == 0) {
            mana_catalogue_free(&cat);
        }

        json_decref(doc);
        mmctl_catalogue_db_places(&p);
    }

    if (p.failed) {
        mana_cat_problems_free(&p);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    mmctl_catalogue_print_problems(ctx, file, &p);
    rc = p.errors ? MMCTL_FAILED : MMCTL_OK;
    mana_cat_problems_free(&p);

    return rc;
}


typedef struct {
    const char  *code;
    int          enabled;
    size_t       services;
    size_t       on;
    size_t       offices;
    size_t       types[6];
} mmctl_catalogue_count_t;


static void
mmctl_catalogue_count_json(mmctl_catalogue_count_t *c, int total,
    size_t departments)
{
    size_t  t;

    if (total) {
        printf("{\"departments\":%zu", departments);

    } else {
        fputs("{\"code\":", stdout);
        mmctl_json_str(stdout, c->code);
        printf(",\"enabled\":%s", c->enabled ? "true" : "false");
    }

    printf(",\"services\":%zu,\"enabled_services\":%zu,\"offices\":%zu,"
           "\"types\":{", c->services, c->on, c->offices);

    for (t = 0; t < 6; t++) {
        printf("%s\"%s\":%zu", t ? "," : "", mmctl_catalogue_types[t],
               c->types[t]);
    }

    fputs("}}", stdout);
}


static void
mmctl_catalogue_count_row(mmctl_table_t *t, mmctl_catalogue_count_t *c)
{
    char         cells[9][24];
    size_t       i;
    const char  *row[11];

    row[0] = c->code;
    /* the TOTAL row has no ENABLED: "-", as any empty cell */
    row[1] = c->enabled < 0 ? NULL : mmctl_text_yes(c->enabled);

    snprintf(cells[0], sizeof(cells[0]), "%zu", c->services);
    snprintf(cells[1], sizeof(cells[1]), "%zu", c->on);
    snprintf(cells[2], sizeof(cells[2]), "%zu", c->offices);

    for (i = 0; i < 6; i++) {
        snprintf(cells[3 + i], sizeof(cells[3 + i]), "%zu", c->types[i]);
    }

    for (i = 0; i < 9; i++) {
        row[2 + i] = cells[i];
    }

    (void) mmctl_table_add(t, row);
}


static int
mmctl_catalogue_stats(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int                       rc;
    size_t                    i, j, k, n, t;
    json_t                   *doc, *v, *list;
    long long                 version;
    const char               *dept, *type;
    mmctl_table_t             tab;
    mmctl_catalogue_count_t  *c, total;

    static const char  *hdr[11] = {
        "DEPARTMENT", "ENABLED", "SERVICES", "ON", "OFFICES", "INFORMATION",
        "APPLICATION", "INSTANT_DOCUMENT", "STATUS_LOOKUP", "GRIEVANCE",
        "PAYMENT"
    };

    (void) args;

    rc = mmctl_catalogue_connect(ctx);

    if (rc == MMCTL_OK) {
        rc = mmctl_catalogue_read(ctx, &doc, NULL);
    }

    if (rc != MMCTL_OK) {
        return rc;
    }

    version = mmctl_catalogue_version(ctx);

    list = json_object_get(doc, "departments");
    n = json_array_size(list);
    c = calloc(n + 1, sizeof(mmctl_catalogue_count_t));

    if (c == NULL || version < 0) {
        free(c);
        json_decref(doc);
        return version < 0 ? MMCTL_FAILED
               : mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    memset(&total, 0, sizeof(total));
    total.code = "TOTAL";
    total.enabled = -1;

    json_array_foreach(list, i, v) {
        c[i].code = json_string_value(json_object_get(v, "code"));
        c[i].enabled = json_is_true(json_object_get(v, "enabled"));
    }

    /* departments are sorted by code, and few: a linear search will do */
    for (t = 1; t < 3; t++) {
        json_array_foreach(json_object_get(doc, mmctl_catalogue_kinds[t]), i,
                           v)
        {
            dept = json_string_value(json_object_get(v, "department"));

            for (j = 0; j < n && dept && strcmp(c[j].code, dept) != 0; j++) {
                /* void */
            }

            if (t == 1) {
                c[j].offices += (j < n);
                total.offices++;
                continue;
            }

            type = json_string_value(json_object_get(v, "type"));

            if (j < n) {
                c[j].services++;
                c[j].on += json_is_true(json_object_get(v, "enabled"));
            }

            total.services++;
            total.on += json_is_true(json_object_get(v, "enabled"));

            for (k = 0; k < 6; k++) {
                if (type && strcmp(type, mmctl_catalogue_types[k]) == 0) {
                    c[j].types[k] += (j < n);
                    total.types[k]++;
                }
            }
        }
    }

    if (ctx->json) {
        printf("{\"version\":%lld,\"departments\":[", version);

        for (i = 0; i < n; i++) {
            fputs(i ? "," : "", stdout);
            mmctl_catalogue_count_json(&c[i], 0, 0);
        }

        fputs("],\"total\":", stdout);
        mmctl_catalogue_count_json(&total, 1, n);
        fputs("}\n", stdout);
        ctx->json_done = 1;

    } else if (mmctl_table_init(&tab, 11, hdr) == 0) {
        for (i = 0; i < n; i++) {
            mmctl_catalogue_count_row(&tab, &c[i]);
        }

        mmctl_catalogue_count_row(&tab, &total);
        mmctl_table_print(&tab, stdout);
        mmctl_table_free(&tab);
    }

    free(c);
    json_decref(doc);

    return MMCTL_OK;
}
