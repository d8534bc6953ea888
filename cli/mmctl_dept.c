
/*
 * The "dept" noun: the departments of the catalogue, one at a time.  The
 * rules are lib/mana_catalogue.c's (the same import and the module apply);
 * this file turns options into a department object and back.
 */

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "mmctl_catalogue.h"
#include "mmctl_text.h"


static int mmctl_dept_add(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_dept_list(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_dept_show(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_dept_update(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_dept_enable(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_dept_disable(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_dept_sort(mmctl_ctx_t *ctx, mmctl_args_t *args,
    json_t *dept);
static int mmctl_dept_counts(mmctl_ctx_t *ctx, const char *code,
    long long *services, long long *offices);
static int mmctl_dept_cmp(const void *a, const void *b);


enum {
    MMCTL_DEPT_NAME_EN = 0,
    MMCTL_DEPT_NAME_TE,
    MMCTL_DEPT_NAME,
    MMCTL_DEPT_DESCRIPTION,
    MMCTL_DEPT_PHONE,
    MMCTL_DEPT_EMAIL,
    MMCTL_DEPT_URL,
    MMCTL_DEPT_SORT,
    MMCTL_DEPT_ENABLED,
    MMCTL_DEPT_DISABLED
};

static const mmctl_option_t  mmctl_dept_options[] = {
    { "--name-en", NULL, 1 },
    { "--name-te", NULL, 1 },
    { "--name", NULL, 1 },
    { "--description", NULL, 1 },
    { "--phone", NULL, 1 },
    { "--email", NULL, 1 },
    { "--url", NULL, 1 },
    { "--sort", NULL, 1 },
    { "--enabled", NULL, 0 },
    { "--disabled", NULL, 0 },
    { NULL, NULL, 0 }
};


enum {
    MMCTL_DEPT_LIST_ENABLED = 0,
    MMCTL_DEPT_LIST_DISABLED
};

static const mmctl_option_t  mmctl_dept_list_options[] = {
    { "--enabled", NULL, 0 },
    { "--disabled", NULL, 0 },
    { NULL, NULL, 0 }
};


static const mmctl_option_t  mmctl_dept_no_options[] = {
    { NULL, NULL, 0 }
};


#define MMCTL_DEPT_FIELDS_HELP                                                \
"  --name-en TEXT           the English name: 1 to 24 code points (a\n"     \
"                           WhatsApp list row title)\n"                      \
"  --name-te TEXT           the Telugu name, 1 to 24 code points\n"         \
"  --name LANG=TEXT         the name in LANG (two or three lower-case\n"    \
"                           letters); repeat for more languages;\n"          \
"                           --name-en and --name-te win over en= and te=\n" \
"  --description LANG=TEXT  a description, at most 72 code points;\n"       \
"                           repeatable\n"                                    \
"  --phone P, --email E, --url U\n"                                          \
"                           the department's contact (may be empty)\n"      \
"  --sort N                 lists are ordered by sort, then code\n"         \
"                           (default 0)\n"

#define MMCTL_DEPT_WRITE_OUTPUT                                               \
"Output: CODE RESULT VERSION (added, changed or unchanged; the catalogue\n"  \
"version after it); with --json\n"                                           \
"  {\"code\":..,\"result\":..,\"version\":N,\"department\":{\"code\":..,\n"   \
"   \"enabled\":..,\"sort\":..,\"name\":{..},\"description\":{..},\n"       \
"   \"contact\":{\"phone\":..,\"email\":..,\"url\":..}}}\n"                  \
"A problem is reported with its place (\"department REV: name.te: ...\"),\n" \
"exit status 1, and nothing is written.\n"


static const mmctl_verb_t  mmctl_dept_verbs[] = {

    { "add", "CODE --name-en TEXT [options]",
      "add a department",
      "Adds the department CODE (^[A-Z][A-Z0-9]{1,7}$, e.g. REV), enabled\n"
      "unless --disabled, and bumps the catalogue version in the same\n"
      "transaction, so that the module's workers reload.  A department\n"
      "that exists is an error: use \"mmctl dept update\".  A name without\n"
      "Telugu is a warning.\n"
      "\n"
      MMCTL_DEPT_FIELDS_HELP
      "  --disabled               add it hidden from citizens\n"
      "\n"
      "Example:\n"
      "  mmctl dept add REV --name-en Revenue --name-te 'రెవెన్యూ' \\\n"
      "      --description en='Certificates and land records' --phone 1902\n"
      "\n"
      MMCTL_DEPT_WRITE_OUTPUT,
      mmctl_dept_options, 1, 1, mmctl_dept_add },

    { "list", "[--enabled | --disabled]",
      "list the departments",
      "Lists the departments, ordered by sort then code, with the number\n"
      "of their services and offices.\n"
      "\n"
      "  --enabled    only the enabled ones\n"
      "  --disabled   only the disabled ones\n"
      "\n"
      "Output: CODE ENABLED SORT NAME.EN NAME.TE SERVICES OFFICES; with\n"
      "--json\n"
      "  {\"departments\":[{\"code\":..,\"enabled\":..,\"sort\":..,\n"
      "    \"name\":{..},\"description\":{..},\"contact\":{..},\n"
      "    \"services\":N,\"offices\":N},...]}\n",
      mmctl_dept_list_options, 0, 0, mmctl_dept_list },

    { "show", "CODE",
      "show one department with its counts of services and offices",
      "Shows every field of the department CODE and how many services and\n"
      "offices it has.  An unknown CODE is an error (exit 1).\n"
      "\n"
      "Output: FIELD VALUE rows; with --json\n"
      "  {\"department\":{\"code\":..,...,\"services\":N,\"offices\":N}}\n",
      mmctl_dept_no_options, 1, 1, mmctl_dept_show },

    { "update", "CODE [options]",
      "change some fields of a department",
      "Changes the fields given and leaves the others as they are.  An\n"
      "empty text removes that language (not English): --name hi= drops\n"
      "the Hindi name.  Nothing is written, and the catalogue version does\n"
      "not move, when the result equals what is stored.\n"
      "\n"
      MMCTL_DEPT_FIELDS_HELP
      "  --enabled, --disabled    show it to citizens, or hide it\n"
      "\n"
      "Example:\n"
      "  mmctl dept update REV --name hi='राजस्व' --sort 5\n"
      "\n"
      MMCTL_DEPT_WRITE_OUTPUT,
      mmctl_dept_options, 1, 1, mmctl_dept_update },

    { "enable", "CODE",
      "show a department (and its services) to citizens",
      "Enables the department CODE.  Enabling an enabled one changes\n"
      "nothing.\n"
      "\n"
      MMCTL_DEPT_WRITE_OUTPUT,
      mmctl_dept_no_options, 1, 1, mmctl_dept_enable },

    { "disable", "CODE",
      "hide a department (and its services) from citizens",
      "Disables the department CODE: the bot no longer offers it or its\n"
      "services.  Nothing is deleted; \"mmctl dept enable\" undoes it.\n"
      "\n"
      MMCTL_DEPT_WRITE_OUTPUT,
      mmctl_dept_no_options, 1, 1, mmctl_dept_disable },

    { NULL, NULL, NULL, NULL, NULL, 0, 0, NULL }
};


const mmctl_noun_t  mmctl_noun_dept = {
    "dept",
    "the catalogue's departments",
    "Manages the departments of the service catalogue (the table\n"
    "department; docs/catalogue-format.md has the rules).  Every change\n"
    "bumps catalogue_version in the same transaction, so the module's\n"
    "workers reload their snapshot.\n",
    mmctl_dept_verbs
};


static const mmctl_catalogue_field_t  mmctl_dept_fields[] = {
    { MMCTL_DEPT_PHONE, "phone", 1, 0 },
    { MMCTL_DEPT_EMAIL, "email", 1, 0 },
    { MMCTL_DEPT_URL, "url", 1, 0 },
    { 0, NULL, 0, 0 }
};

static const mmctl_catalogue_kind_t  mmctl_dept_kind = {
    "department", MANA_CAT_CODE_DEPARTMENT,
    MMCTL_DEPT_NAME, MMCTL_DEPT_NAME_EN, MMCTL_DEPT_NAME_TE,
    MMCTL_DEPT_DESCRIPTION, "description",
    MMCTL_DEPT_ENABLED, MMCTL_DEPT_DISABLED, 0,
    mmctl_dept_fields,
    mmctl_dept_sort,
    mana_cat_check_department,
    mana_cat_canonical_department,
    NULL
};


static int
mmctl_dept_add(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    json_t      *dept;
    const char  *code;

    code = args->argv[0];

    if (args->opt[MMCTL_DEPT_ENABLED] && args->opt[MMCTL_DEPT_DISABLED]) {
        return mmctl_usage_error(ctx, "--enabled and --disabled exclude "
                                 "each other");
    }

    dept = json_pack("{s:s, s:b, s:i, s:{}, s:{}, s:{s:s, s:s, s:s}}",
                     "code", code,
                     "enabled", args->opt[MMCTL_DEPT_DISABLED] == NULL,
                     "sort", 0, "name", "description",
                     "contact", "phone", "", "email", "", "url", "");
    if (dept == NULL) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    return mmctl_catalogue_edit(ctx, &mmctl_dept_kind, code, args, dept, 0);
}


/* --sort, after the options "dept" shares with "office" */

static int
mmctl_dept_sort(mmctl_ctx_t *ctx, mmctl_args_t *args, json_t *dept)
{
    long         sort;
    char        *end;
    const char  *v;

    v = args->opt[MMCTL_DEPT_SORT];

    if (v == NULL) {
        return MMCTL_OK;
    }

    errno = 0;
    sort = strtol(v, &end, 10);

    if (*v == '\0' || *end != '\0' || errno || sort < INT_MIN
        || sort > INT_MAX)
    {
        return mmctl_usage_error(ctx, "--sort \"%s\": expected an "
                                 "integer", v);
    }

    json_object_set_new(dept, "sort", json_integer(sort));

    return MMCTL_OK;
}


static int
mmctl_dept_list(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int             rc, want;
    size_t          i, j, n;
    char            sort[32], services[32], offices[32];
    json_t         *doc, *depts, *d, *o, *out, *arr, **v;
    const char     *code, *row[7];
    mmctl_table_t   t;
    long long       ns, no;

    if (args->opt[MMCTL_DEPT_LIST_ENABLED]
        && args->opt[MMCTL_DEPT_LIST_DISABLED])
    {
        return mmctl_usage_error(ctx, "--enabled and --disabled exclude "
                                 "each other");
    }

    want = args->opt[MMCTL_DEPT_LIST_ENABLED] ? 1
           : args->opt[MMCTL_DEPT_LIST_DISABLED] ? 0 : -1;

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_catalogue_read(ctx, &doc, 0);
    if (rc != MMCTL_OK) {
        return rc;
    }

    depts = json_object_get(doc, "departments");
    n = json_array_size(depts);

    v = calloc(n + 1, sizeof(json_t *));
    arr = json_array();
    row[0] = "CODE";
    row[1] = "ENABLED";
    row[2] = "SORT";
    row[3] = "NAME.EN";
    row[4] = "NAME.TE";
    row[5] = "SERVICES";
    row[6] = "OFFICES";

    if (v == NULL || arr == NULL || mmctl_table_init(&t, 7, row) != 0) {
        free(v);
        json_decref(arr);
        json_decref(doc);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    for (i = 0, j = 0; i < n; i++) {
        d = json_array_get(depts, i);

        if (want < 0 || json_is_true(json_object_get(d, "enabled")) == want) {
            v[j++] = d;
        }
    }

    n = j;
    qsort(v, n, sizeof(json_t *), mmctl_dept_cmp);

    for (i = 0; i < n; i++) {
        d = v[i];
        code = json_string_value(json_object_get(d, "code"));

        ns = 0;
        json_array_foreach(json_object_get(doc, "services"), j, o) {
            ns += strcmp(json_string_value(json_object_get(o, "department")),
                         code) == 0;
        }

        no = 0;
        json_array_foreach(json_object_get(doc, "offices"), j, o) {
            no += strcmp(json_string_value(json_object_get(o, "department")),
                         code) == 0;
        }

        snprintf(sort, sizeof(sort), "%" JSON_INTEGER_FORMAT,
                 json_integer_value(json_object_get(d, "sort")));
        snprintf(services, sizeof(services), "%lld", ns);
        snprintf(offices, sizeof(offices), "%lld", no);

        row[0] = code;
        row[1] = mmctl_text_yes(json_is_true(json_object_get(d, "enabled")));
        row[2] = sort;
        row[3] = mmctl_text_get(json_object_get(d, "name"), "en");
        row[4] = mmctl_text_get(json_object_get(d, "name"), "te");
        row[5] = services;
        row[6] = offices;

        out = json_deep_copy(d);

        if (out == NULL || mmctl_table_add(&t, row) != 0
            || json_object_set_new(out, "services", json_integer(ns)) != 0
            || json_object_set_new(out, "offices", json_integer(no)) != 0
            || json_array_append_new(arr, out) != 0)
        {
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
            goto done;
        }
    }

    if (ctx->json) {
        rc = mmctl_text_print_json(ctx, json_pack("{s:O}", "departments",
                                                  arr));
    } else {
        mmctl_table_print(&t, stdout);
    }

done:

    mmctl_table_free(&t);
    json_decref(arr);
    json_decref(doc);
    free(v);

    return rc;
}


static int
mmctl_dept_cmp(const void *a, const void *b)
{
    json_t      *x, *y;
    json_int_t   sx, sy;

    x = *(json_t * const *) a;
    y = *(json_t * const *) b;

    sx = json_integer_value(json_object_get(x, "sort"));
    sy = json_integer_value(json_object_get(y, "sort"));

    if (sx != sy) {
        return sx < sy ? -1 : 1;
    }

    return strcmp(json_string_value(json_object_get(x, "code")),
                  json_string_value(json_object_get(y, "code")));
}


static int
mmctl_dept_show(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int          rc;
    json_t      *dept;
    long long    services, offices;
    const char  *code;

    code = args->argv[0];

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    dept = NULL;

    if (mana_cat_code_valid(MANA_CAT_CODE_DEPARTMENT, code)) {
        rc = mmctl_catalogue_read_one(ctx, "department", code, &dept);
        if (rc != MMCTL_OK) {
            return rc;
        }
    }

    if (dept == NULL) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed",
                           "no department %s", code);
    }

    rc = mmctl_dept_counts(ctx, code, &services, &offices);

    if (rc == MMCTL_OK
        && (json_object_set_new(dept, "services", json_integer(services))
            != 0
            || json_object_set_new(dept, "offices", json_integer(offices))
               != 0))
    {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    if (rc == MMCTL_OK) {
        if (ctx->json) {
            rc = mmctl_text_print_json(ctx, json_pack("{s:O}", "department",
                                                      dept));

        } else if (mmctl_text_print_fields(dept) != 0) {
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
        }
    }

    json_decref(dept);

    return rc;
}


static int
mmctl_dept_counts(mmctl_ctx_t *ctx, const char *code, long long *services,
    long long *offices)
{
    char        sql[512];
    MYSQL_RES  *res;
    MYSQL_ROW   row;

    /* the code was checked against its rule: it needs no escaping */
    snprintf(sql, sizeof(sql),
             "SELECT (SELECT COUNT(*) FROM service s"
             " WHERE s.department_id = d.id),"
             " (SELECT COUNT(*) FROM office o"
             " WHERE o.department_id = d.id)"
             " FROM department d WHERE d.code = '%s'", code);

    if (mysql_real_query(ctx->mysql, sql, strlen(sql)) != 0
        || (res = mysql_store_result(ctx->mysql)) == NULL)
    {
        return mmctl_query_error(ctx, "cannot count the department's "
                                 "services and offices");
    }

    *services = 0;
    *offices = 0;

    row = mysql_fetch_row(res);

    if (row && row[0] && row[1]) {
        *services = strtoll(row[0], NULL, 10);
        *offices = strtoll(row[1], NULL, 10);
    }

    mysql_free_result(res);

    return MMCTL_OK;
}


static int
mmctl_dept_update(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    return mmctl_catalogue_edit(ctx, &mmctl_dept_kind, args->argv[0], args,
                                NULL, 0);
}


static int
mmctl_dept_enable(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    return mmctl_catalogue_edit(ctx, &mmctl_dept_kind, args->argv[0], NULL,
                                NULL, 1);
}


static int
mmctl_dept_disable(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    return mmctl_catalogue_edit(ctx, &mmctl_dept_kind, args->argv[0], NULL,
                                NULL, 0);
}
