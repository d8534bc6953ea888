/*
 * The "service" noun: the services of the catalogue, one at a time (add,
 * update, enable, disable, show, list) or as a whole file (import,
 * export).  The rules are lib/mana_catalogue's; every write takes the
 * catalogue lock, runs in one transaction and bumps catalogue_version in
 * it, and only when something changed.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mmctl_catalogue.h"


/* add and update share their options; their ids index args->opt */
enum {
    SVC_DEPARTMENT = 0,
    SVC_TYPE,
    SVC_NAME_EN,
    SVC_NAME_TE,
    SVC_NAME,
    SVC_DESCRIPTION,
    SVC_FEE,
    SVC_SLA_DAYS,
    SVC_KEYWORD,
    SVC_INTENT,
    SVC_DOCUMENT,
    SVC_CONTENT,
    SVC_FORM_FILE,
    SVC_POPULAR,
    SVC_DISABLED,
    SVC_SORT
};

static const mmctl_option_t  mmctl_service_edit_options[] = {
    { "--department", NULL, 1 },
    { "--type", NULL, 1 },
    { "--name-en", NULL, 1 },
    { "--name-te", NULL, 1 },
    { "--name", NULL, 1 },
    { "--description", NULL, 1 },
    { "--fee", NULL, 1 },
    { "--sla-days", NULL, 1 },
    { "--keyword", NULL, 1 },
    { "--intent", NULL, 1 },
    { "--document", NULL, 1 },
    { "--content", NULL, 1 },
    { "--form-file", NULL, 1 },
    { "--popular", NULL, 0 },
    { "--disabled", NULL, 0 },
    { "--sort", NULL, 1 },
    { NULL, NULL, 0 }
};

enum {
    LIST_DEPARTMENT = 0,
    LIST_TYPE,
    LIST_ENABLED,
    LIST_DISABLED,
    LIST_SEARCH
};

static const mmctl_option_t  mmctl_service_list_options[] = {
    { "--department", NULL, 1 },
    { "--type", NULL, 1 },
    { "--enabled", NULL, 0 },
    { "--disabled", NULL, 0 },
    { "--search", NULL, 1 },
    { NULL, NULL, 0 }
};

enum {
    IMPORT_DRY_RUN = 0,
    IMPORT_FORMAT
};

static const mmctl_option_t  mmctl_service_import_options[] = {
    { "--dry-run", NULL, 0 },
    { "--format", NULL, 1 },
    { NULL, NULL, 0 }
};

enum {
    EXPORT_FORMAT = 0,
    EXPORT_OUTPUT
};

static const mmctl_option_t  mmctl_service_export_options[] = {
    { "--format", NULL, 1 },
    { "--output", "-o", 1 },
    { NULL, NULL, 0 }
};

static const mmctl_option_t  mmctl_service_no_options[] = {
    { NULL, NULL, 0 }
};


static int mmctl_service_add(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_service_update(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_service_enable(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_service_disable(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_service_show(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_service_list(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_service_import(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_service_export(mmctl_ctx_t *ctx, mmctl_args_t *args);


#define MMCTL_SERVICE_EDIT_HELP                                               \
"  --department D          the department's code (required for add)\n"       \
"  --type T                information, application, instant_document,\n"    \
"                          status_lookup, grievance or payment (required\n"  \
"                          for add)\n"                                       \
"  --name-en TEXT          the English name, 1 to 24 code points\n"          \
"                          (required for add)\n"                             \
"  --name-te TEXT          the Telugu name\n"                                \
"  --name LANG=TEXT        the name in another language (repeatable)\n"      \
"  --description LANG=TEXT at most 72 code points (repeatable)\n"            \
"  --fee N                 rupees, at most 2 decimals; \"none\" for no fee\n" \
"  --sla-days N            0 to 365, or \"none\"; required for application\n" \
"                          and grievance services\n"                         \
"  --keyword LANG=WORD     a search keyword (repeatable)\n"                  \
"  --intent PATTERN        a PCRE2 pattern that finds the service in a\n"    \
"                          citizen's message (repeatable)\n"                 \
"  --document LANG=TEXT    a document the citizen needs (repeatable)\n"      \
"  --content LANG=TEXT     the text of an information service, at most\n"    \
"                          4096 code points (repeatable)\n"                  \
"  --form-file FILE.json   the form: a JSON array of fields (see\n"          \
"                          docs/catalogue-format.md)\n"                      \
"  --popular               list it among the popular services\n"             \
"  --disabled              hide it from citizens\n"                          \
"  --sort N                its place in lists (then by code; default 0)\n"

#define MMCTL_SERVICE_WRITE_OUTPUT                                            \
"Output: CODE RESULT VERSION (result added, changed or unchanged; the\n"     \
"catalogue version after it); with --json\n"                                 \
"  {\"code\":..,\"result\":..,\"version\":N,\"service\":{...}}\n"            \
"A problem is reported with its place (\"service REV-INC: name.en: ...\")\n" \
"and exit status 1, and nothing is written.\n"


static const mmctl_verb_t  mmctl_service_verbs[] = {

    { "add", "CODE --department D --type T --name-en TEXT [options]",
      "add a service",
      "Adds the service CODE (e.g. REV-INC: its department's code, a hyphen,\n"
      "then 1 to 12 of A-Z 0-9, and optionally another such part), checked\n"
      "by every rule of docs/catalogue-format.md, in one transaction that\n"
      "bumps catalogue_version.  The department must exist; the code must\n"
      "not.\n"
      "\n"
      MMCTL_SERVICE_EDIT_HELP
      "\n"
      MMCTL_SERVICE_WRITE_OUTPUT,
      mmctl_service_edit_options, 1, 1, mmctl_service_add },

    { "list", "[--department D] [--type T] [--enabled|--disabled] "
              "[--search TEXT]",
      "list services",
      "Lists the services, by department, then sort, then code.\n"
      "\n"
      "  --department D   only department D's\n"
      "  --type T         only services of type T\n"
      "  --enabled        only enabled ones\n"
      "  --disabled       only disabled ones\n"
      "  --search TEXT    only those whose code, name (any language) or\n"
      "                   keywords contain TEXT (case-insensitive)\n"
      "\n"
      "Output: CODE DEPARTMENT TYPE ENABLED POPULAR SORT NAME; with --json\n"
      "  {\"services\":[{\"code\":..,\"department\":..,\"type\":..,\n"
      "                \"enabled\":true,\"popular\":false,\"sort\":0,\n"
      "                \"name\":{\"en\":..,\"te\":..}},...]}\n",
      mmctl_service_list_options, 0, 0, mmctl_service_list },

    { "show", "CODE",
      "show a service, its texts and its form",
      "Shows every field of the service CODE.\n"
      "\n"
      "Output: FIELD VALUE rows; with --json the service's canonical JSON\n"
      "object, as export writes it.  Exit status 1 when there is none.\n",
      mmctl_service_no_options, 1, 1, mmctl_service_show },

    { "update", "CODE [options]",
      "change some fields of a service",
      "Changes the fields given and keeps the others.  A text option\n"
      "(--name, --description, --content) sets that language's text and an\n"
      "empty TEXT removes the language; --keyword and --document replace the\n"
      "lists of the languages they name; --intent replaces all the intents;\n"
      "--form-file replaces the form.  catalogue_version is bumped only when\n"
      "the service changed.\n"
      "\n"
      MMCTL_SERVICE_EDIT_HELP
      "\n"
      MMCTL_SERVICE_WRITE_OUTPUT,
      mmctl_service_edit_options, 1, 1, mmctl_service_update },

    { "enable", "CODE",
      "offer a service to citizens",
      "Sets the service's enabled flag.\n\n" MMCTL_SERVICE_WRITE_OUTPUT,
      mmctl_service_no_options, 1, 1, mmctl_service_enable },

    { "disable", "CODE",
      "stop offering a service",
      "Clears the service's enabled flag: citizens no longer see it;\n"
      "applications already made keep it.\n\n" MMCTL_SERVICE_WRITE_OUTPUT,
      mmctl_service_no_options, 1, 1, mmctl_service_disable },

    { "import", "FILE [--dry-run] [--format json|csv]",
      "add or update services (and departments, offices) from a file",
      "Reads FILE, a \"mana-catalogue/1\" JSON document (departments,\n"
      "offices and services) or a CSV file of services (docs/catalogue-\n"
      "format.md), and upserts every object by code.  The format comes from\n"
      "--format or the file's extension.\n"
      "\n"
      "All or nothing: every object is checked first (a department an\n"
      "object names must be in the file or the database), and every problem\n"
      "is reported, as \"FILE: place: message\" or \"FILE.csv:LINE: column\n"
      "NAME: message\"; with any error nothing is written and the exit status\n"
      "is 1.  Otherwise one transaction writes only the rows that differ\n"
      "from the stored ones and bumps catalogue_version once if any did: an\n"
      "import of what is stored changes nothing.  Concurrent imports wait\n"
      "for each other (GET_LOCK('mana_catalogue', 30)).  Objects that are\n"
      "not in the file are left alone.\n"
      "\n"
      "  --dry-run            check and count, write nothing\n"
      "  --format json|csv    the file's format\n"
      "\n"
      "Output: KIND ADDED CHANGED UNCHANGED; with --json\n"
      "  {\"file\":..,\"format\":..,\"dry_run\":false,\"changed\":true,\n"
      "   \"version\":N,\"departments\":{\"added\":N,\"changed\":N,\n"
      "   \"unchanged\":N},\"offices\":{...},\"services\":{...}}\n"
      "and on invalid input {\"error\":{\"code\":\"invalid\",\"message\":..,\n"
      "\"problems\":[{\"place\":..,\"message\":..},...]}}.\n",
      mmctl_service_import_options, 1, 1, mmctl_service_import },

    { "export", "[--format json|csv] [-o FILE]",
      "write the catalogue as JSON, or its services as CSV",
      "Writes the whole catalogue as a canonical \"mana-catalogue/1\"\n"
      "document (keys in the documented order, objects sorted by code), or\n"
      "with --format csv the services as CSV, to stdout or FILE.  Importing\n"
      "the export changes nothing, and exporting again gives the same\n"
      "bytes.\n"
      "\n"
      "  --format json|csv    default json\n"
      "  --output, -o FILE    write FILE (replaced whole) instead of stdout\n"
      "\n"
      "With --json and -o: {\"file\":..,\"format\":..,\"departments\":N,\n"
      "\"offices\":N,\"services\":N}.\n",
      mmctl_service_export_options, 0, 0, mmctl_service_export },

    { NULL, NULL, NULL, NULL, NULL, 0, 0, NULL }
};


const mmctl_noun_t  mmctl_noun_service = {
    "service",
    "the services citizens can use, and catalogue files",
    "Manages the services of the catalogue: their names and texts per\n"
    "language, fees, SLAs, search keywords and intents, required documents\n"
    "and forms; and imports and exports whole catalogue files\n"
    "(docs/catalogue-format.md).  Every change bumps catalogue_version, and\n"
    "the module's workers reload.\n",
    mmctl_service_verbs
};


/*
 * Repeatable options.  mmctl.c keeps one value per option, so the verb's
 * own arguments are parsed again here from the process's argv, which
 * glibc hands to constructors.  The verb's arguments are what follows the
 * first "<noun> <verb>" pair: before it only global options can come, and
 * none of those can be followed by a value that is a verb's name and
 * still have led to this handler.
 */

static int     mmctl_service_argc;
static char  **mmctl_service_argv;

__attribute__ ((constructor))
static void
mmctl_service_save_argv(int argc, char **argv)
{
    mmctl_service_argc = argc;
    mmctl_service_argv = argv;
}


/* every value of option id, in order; NULL when none (or no memory) */

static const char **
mmctl_service_all(mmctl_ctx_t *ctx, int id, size_t *n)
{
    int                 i, argc, got;
    char              **argv, **ops;
    const char         *arg, **v;
    mmctl_opt_state_t   st;

    static const mmctl_option_t  common[] = {
        { "--json", NULL, 0 },
        { "--help", "-h", 0 },
        { NULL, NULL, 0 }
    };

    *n = 0;
    argc = mmctl_service_argc;
    argv = mmctl_service_argv;

    for (i = 1; i + 1 < argc; i++) {
        if (strcmp(argv[i], ctx->noun->name) == 0
            && strcmp(argv[i + 1], ctx->verb->name) == 0)
        {
            break;
        }
    }

    if (argv == NULL || i + 1 >= argc) {
        return NULL;
    }

    argc -= i + 2;
    argv += i + 2;

    v = calloc(argc + 1, sizeof(char *));
    ops = calloc(argc + 1, sizeof(char *));

    if (v == NULL || ops == NULL) {
        free(v);
        free(ops);
        return NULL;
    }

    mmctl_opt_init(&st, argc, argv, 1);
    st.ops = ops;

    while ((got = mmctl_opt_next(&st, ctx->verb->options, common, &arg))
           >= 0)
    {
        if (got == id) {
            v[(*n)++] = arg;
        }
    }

    free(ops);

    if (*n == 0) {
        free(v);
        return NULL;
    }

    return v;
}


/* "te=text" into lang and text; a usage error when it is not */

static int
mmctl_service_lang_text(mmctl_ctx_t *ctx, const char *opt, const char *arg,
    char *lang, size_t size, const char **text)
{
    const char  *eq;

    eq = strchr(arg, '=');

    if (eq == NULL || (size_t) (eq - arg) >= size) {
        return mmctl_usage_error(ctx, "%s \"%s\": expected LANG=TEXT, e.g. "
                                 "te=...", opt, arg);
    }

    memcpy(lang, arg, eq - arg);
    lang[eq - arg] = '\0';
    *text = eq + 1;

    if (!mana_cat_code_valid(MANA_CAT_CODE_LANG, lang)) {
        return mmctl_usage_error(ctx, "%s: \"%s\" is not a language code "
                                 "(%s)", opt, lang,
                                 mana_cat_code_regex(MANA_CAT_CODE_LANG));
    }

    return MMCTL_OK;
}


/* sets obj[field][lang] = text (a string), or removes it when empty */

static int
mmctl_service_set_text(mmctl_ctx_t *ctx, json_t *svc, const char *field,
    const char *lang, const char *text)
{
    json_t  *texts, *s;

    texts = json_object_get(svc, field);

    if (texts == NULL) {
        texts = json_object();
        json_object_set_new(svc, field, texts);
    }

    if (*text == '\0') {
        json_object_del(texts, lang);
        return MMCTL_OK;
    }

    s = json_string(text);
    if (s == NULL) {
        return mmctl_usage_error(ctx, "--%s %s=...: not valid UTF-8 text",
                                 field, lang);
    }

    json_object_set_new(texts, lang, s);

    return MMCTL_OK;
}


static int
mmctl_service_texts(mmctl_ctx_t *ctx, json_t *svc, int id, const char *opt,
    const char *field)
{
    int           rc;
    char          lang[8];
    size_t        i, n;
    const char   *text, **v;

    v = mmctl_service_all(ctx, id, &n);
    rc = MMCTL_OK;

    for (i = 0; i < n && rc == MMCTL_OK; i++) {
        rc = mmctl_service_lang_text(ctx, opt, v[i], lang, sizeof(lang),
                                     &text);
        if (rc == MMCTL_OK) {
            rc = mmctl_service_set_text(ctx, svc, field, lang, text);
        }
    }

    free(v);

    return rc;
}


/* --keyword, --document: the languages given get the lists given */

static int
mmctl_service_lists(mmctl_ctx_t *ctx, json_t *svc, int id, const char *opt,
    const char *field)
{
    int           rc;
    char          lang[8];
    size_t        i, n;
    json_t       *lists, *fresh, *a, *s;
    const char   *text, **v;

    v = mmctl_service_all(ctx, id, &n);
    if (v == NULL) {
        return MMCTL_OK;
    }

    fresh = json_object();
    rc = MMCTL_OK;

    for (i = 0; i < n && rc == MMCTL_OK; i++) {
        rc = mmctl_service_lang_text(ctx, opt, v[i], lang, sizeof(lang),
                                     &text);
        if (rc != MMCTL_OK) {
            break;
        }

        a = json_object_get(fresh, lang);
        if (a == NULL) {
            a = json_array();
            json_object_set_new(fresh, lang, a);
        }

        s = json_string(text);
        if (s == NULL) {
            rc = mmctl_usage_error(ctx, "%s %s=...: not valid UTF-8 text",
                                   opt, lang);
            break;
        }

        json_array_append_new(a, s);
    }

    lists = json_object_get(svc, field);

    if (rc == MMCTL_OK && lists) {
        json_object_update(lists, fresh);

    } else if (rc == MMCTL_OK) {
        json_object_set(svc, field, fresh);
    }

    json_decref(fresh);
    free(v);

    return rc;
}


static int
mmctl_service_number(mmctl_ctx_t *ctx, json_t *svc, const char *key,
    const char *opt, const char *arg, int fee)
{
    char        *end;
    long long    n;
    const char  *dot;

    if (arg == NULL) {
        return MMCTL_OK;
    }

    if (*arg == '\0' || strcmp(arg, "none") == 0) {
        if (strcmp(key, "sort") == 0) {
            return mmctl_usage_error(ctx, "%s needs a number", opt);
        }

        json_object_set_new(svc, key, json_null());
        return MMCTL_OK;
    }

    dot = strchr(arg, '.');

    if (fee && dot) {
        if (strspn(arg, "0123456789.") != strlen(arg) || dot == arg
            || strchr(dot + 1, '.') || dot[1] == '\0')
        {
            return mmctl_usage_error(ctx, "%s \"%s\": expected a number of "
                                     "rupees", opt, arg);
        }

        json_object_set_new(svc, key, json_real(strtod(arg, NULL)));
        return MMCTL_OK;
    }

    errno = 0;
    n = strtoll(arg, &end, 10);

    if (*end != '\0' || errno != 0) {
        return mmctl_usage_error(ctx, "%s \"%s\": expected an integer", opt,
                                 arg);
    }

    json_object_set_new(svc, key, json_integer(n));

    return MMCTL_OK;
}


static int
mmctl_service_form(mmctl_ctx_t *ctx, json_t *svc, const char *path)
{
    int            rc;
    char          *data;
    size_t         len;
    json_t        *form;
    json_error_t   err;

    if (path == NULL) {
        return MMCTL_OK;
    }

    data = NULL;
    len = 0;

    rc = mmctl_catalogue_read_file(ctx, path, &data, &len);
    if (rc != MMCTL_OK) {
        return rc;
    }

    form = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
    free(data);

    if (form == NULL) {
        return mmctl_error(ctx, MMCTL_FAILED, "invalid", "%s:%d:%d: not "
                           "JSON: %s", path, err.line, err.column, err.text);
    }

    if (!json_is_array(form)) {
        json_decref(form);
        return mmctl_error(ctx, MMCTL_FAILED, "invalid", "%s: the form must "
                           "be a JSON array of fields", path);
    }

    json_object_set_new(svc, "form", form);

    return MMCTL_OK;
}


/* applies add's and update's options to svc */

static int
mmctl_service_apply(mmctl_ctx_t *ctx, mmctl_args_t *args, json_t *svc)
{
    int            rc;
    size_t         i, n;
    json_t        *intents, *s;
    const char   **v;

    if (args->opt[SVC_DEPARTMENT]) {
        json_object_set_new(svc, "department",
                            json_string(args->opt[SVC_DEPARTMENT]));
    }

    if (args->opt[SVC_TYPE]) {
        json_object_set_new(svc, "type", json_string(args->opt[SVC_TYPE]));
    }

    if (args->opt[SVC_POPULAR]) {
        json_object_set_new(svc, "popular", json_true());
    }

    if (args->opt[SVC_DISABLED]) {
        json_object_set_new(svc, "enabled", json_false());
    }

    rc = mmctl_service_number(ctx, svc, "fee", "--fee", args->opt[SVC_FEE],
                              1);

    if (rc == MMCTL_OK) {
        rc = mmctl_service_number(ctx, svc, "sla_days", "--sla-days",
                                  args->opt[SVC_SLA_DAYS], 0);
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_service_number(ctx, svc, "sort", "--sort",
                                  args->opt[SVC_SORT], 0);
    }

    if (rc == MMCTL_OK && args->opt[SVC_NAME_EN]) {
        rc = mmctl_service_set_text(ctx, svc, "name", "en",
                                    args->opt[SVC_NAME_EN]);
    }

    if (rc == MMCTL_OK && args->opt[SVC_NAME_TE]) {
        rc = mmctl_service_set_text(ctx, svc, "name", "te",
                                    args->opt[SVC_NAME_TE]);
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_service_texts(ctx, svc, SVC_NAME, "--name", "name");
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_service_texts(ctx, svc, SVC_DESCRIPTION, "--description",
                                 "description");
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_service_texts(ctx, svc, SVC_CONTENT, "--content",
                                 "content");
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_service_lists(ctx, svc, SVC_KEYWORD, "--keyword",
                                 "keywords");
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_service_lists(ctx, svc, SVC_DOCUMENT, "--document",
                                 "documents");
    }

    if (rc == MMCTL_OK && args->opt[SVC_INTENT]) {
        v = mmctl_service_all(ctx, SVC_INTENT, &n);
        intents = json_array();

        for (i = 0; v && i < n; i++) {
            s = json_string(v[i]);
            if (s == NULL) {
                rc = mmctl_usage_error(ctx, "--intent: not valid UTF-8");
                break;
            }

            json_array_append_new(intents, s);
        }

        free(v);
        json_object_set_new(svc, "intents", intents);
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_service_form(ctx, svc, args->opt[SVC_FORM_FILE]);
    }

    return rc;
}


#define MMCTL_SERVICE_ADD     0
#define MMCTL_SERVICE_UPDATE  1
#define MMCTL_SERVICE_ENABLE  2
#define MMCTL_SERVICE_DISABLE 3


/* checked, then written in one locked transaction with the version bump */

static int
mmctl_service_write(mmctl_ctx_t *ctx, mmctl_args_t *args, int mode)
{
    int                   rc, result, locked;
    char                  place[64];
    json_t               *old, *svc, *canon;
    long long             version;
    const char           *code, *dept, *results[3];
    mmctl_table_t         t;
    mana_cat_problems_t   p;

    code = args->argv[0];
    old = NULL;
    svc = NULL;
    canon = NULL;
    locked = 0;
    result = 0;

    mana_cat_problems_init(&p);

    if (!mana_cat_code_valid(MANA_CAT_CODE_SERVICE, code)) {
        return mmctl_usage_error(ctx, "invalid service code \"%s\": it must "
                                 "match %s", code,
                                 mana_cat_code_regex(MANA_CAT_CODE_SERVICE));
    }

    if (mode == MMCTL_SERVICE_ADD) {
        if (args->opt[SVC_DEPARTMENT] == NULL || args->opt[SVC_TYPE] == NULL
            || args->opt[SVC_NAME_EN] == NULL)
        {
            return mmctl_usage_error(ctx, "service add needs --department, "
                                     "--type and --name-en");
        }

        svc = json_pack("{s:s}", "code", code);
        rc = mmctl_service_apply(ctx, args, svc);
        if (rc != MMCTL_OK) {
            goto done;
        }
    }

    rc = mmctl_catalogue_connect(ctx);

    if (rc == MMCTL_OK) {
        rc = mmctl_catalogue_lock(ctx);
        locked = (rc == MMCTL_OK);
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_catalogue_begin(ctx);
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_catalogue_read_one(ctx, "service", code, &old);
    }

    if (rc != MMCTL_OK) {
        goto done;
    }

    if (mode == MMCTL_SERVICE_ADD && old) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "exists", "service %s already "
                         "exists: use \"mmctl service update\"", code);
        goto done;
    }

    if (mode != MMCTL_SERVICE_ADD) {
        if (old == NULL) {
            rc = mmctl_error(ctx, MMCTL_FAILED, "not_found", "no service %s",
                             code);
            goto done;
        }

        svc = json_deep_copy(old);

        if (mode == MMCTL_SERVICE_UPDATE) {
            rc = mmctl_service_apply(ctx, args, svc);
            if (rc != MMCTL_OK) {
                goto done;
            }

        } else {
            json_object_set_new(svc, "enabled",
                                json_boolean(mode == MMCTL_SERVICE_ENABLE));
        }
    }

    snprintf(place, sizeof(place), "service %s", code);

    if (mana_cat_check_service(svc, "", &p) != 0) {
        rc = mmctl_catalogue_report(ctx, place, &p, 0);
        goto done;
    }

    dept = json_string_value(json_object_get(svc, "department"));
    rc = mmctl_catalogue_department_exists(ctx, dept);

    if (rc != 1) {
        rc = rc < 0 ? MMCTL_FAILED
             : mmctl_error(ctx, MMCTL_FAILED, "invalid", "%s: department: "
                           "no department \"%s\" (\"mmctl dept add\" adds "
                           "one)", place, dept);
        goto done;
    }

    canon = mana_cat_canonical_service(svc);
    rc = mmctl_catalogue_write(ctx, "service", canon, old, &result);

    if (rc == MMCTL_OK && result) {
        rc = mmctl_catalogue_bump(ctx);
    }

    version = (rc == MMCTL_OK) ? mmctl_catalogue_version(ctx) : -1;

    if (version < 0) {
        rc = MMCTL_FAILED;

    } else if (result) {
        rc = mmctl_catalogue_commit(ctx);
    }

    if (rc != MMCTL_OK) {
        goto done;
    }

    results[0] = code;
    results[1] = result == 1 ? "added" : result == 2 ? "changed"
                                                     : "unchanged";

    if (ctx->json) {
        printf("{\"code\":");
        mmctl_json_str(stdout, code);
        printf(",\"result\":\"%s\",\"version\":%lld,\"service\":", results[1],
               version);
        json_dumpf(canon, stdout, JSON_COMPACT | JSON_REAL_PRECISION(15));
        printf("}\n");
        ctx->json_done = 1;

    } else {
        const char  *hdr[3] = { "CODE", "RESULT", "VERSION" };
        char         ver[32];

        snprintf(ver, sizeof(ver), "%lld", version);
        results[2] = ver;

        if (mmctl_table_init(&t, 3, hdr) == 0
            && mmctl_table_add(&t, results) == 0)
        {
            mmctl_table_print(&t, stdout);
        }

        mmctl_table_free(&t);
    }

done:

    /* after an error, or when there was nothing to write */
    if (ctx->mysql && (rc != MMCTL_OK || !result)) {
        mmctl_catalogue_rollback(ctx);
    }

    if (locked) {
        mmctl_catalogue_unlock(ctx);
    }

    json_decref(old);
    json_decref(svc);
    json_decref(canon);
    mana_cat_problems_free(&p);

    return rc;
}


static int
mmctl_service_add(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    return mmctl_service_write(ctx, args, MMCTL_SERVICE_ADD);
}


static int
mmctl_service_update(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    return mmctl_service_write(ctx, args, MMCTL_SERVICE_UPDATE);
}


static int
mmctl_service_enable(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    return mmctl_service_write(ctx, args, MMCTL_SERVICE_ENABLE);
}


static int
mmctl_service_disable(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    return mmctl_service_write(ctx, args, MMCTL_SERVICE_DISABLE);
}


/* show: one row a value, texts one row a language */

static void
mmctl_service_row(mmctl_table_t *t, const char *field, json_t *v)
{
    char        *s, *nl;
    const char  *row[2];

    s = json_is_string(v) ? strdup(json_string_value(v))
        : json_is_null(v) ? strdup("-") : mana_cat_dump_compact(v);

    /* a table row is one line */
    for (nl = s; nl && (nl = strchr(nl, '\n')) != NULL; nl++) {
        *nl = ' ';
    }

    row[0] = field;
    row[1] = s;
    (void) mmctl_table_add(t, row);
    free(s);
}


static void
mmctl_service_rows(mmctl_table_t *t, const char *field, json_t *obj)
{
    char         name[64];
    const char  *lang;
    json_t      *v;

    json_object_foreach(obj, lang, v) {
        snprintf(name, sizeof(name), "%s.%s", field, lang);
        mmctl_service_row(t, name, v);
    }
}


static int
mmctl_service_show(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int             rc;
    char            name[64];
    size_t          i;
    json_t         *svc, *f;
    const char     *key, *hdr[2] = { "FIELD", "VALUE" };
    json_t         *v;
    mmctl_table_t   t;

    rc = mmctl_catalogue_connect(ctx);

    if (rc == MMCTL_OK) {
        rc = mmctl_catalogue_read_one(ctx, "service", args->argv[0], &svc);
    }

    if (rc != MMCTL_OK) {
        return rc;
    }

    if (svc == NULL) {
        return mmctl_error(ctx, MMCTL_FAILED, "not_found", "no service %s",
                           args->argv[0]);
    }

    if (ctx->json) {
        json_dumpf(svc, stdout, JSON_COMPACT | JSON_REAL_PRECISION(15));
        fputc('\n', stdout);
        ctx->json_done = 1;
        json_decref(svc);
        return MMCTL_OK;
    }

    if (mmctl_table_init(&t, 2, hdr) != 0) {
        json_decref(svc);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    json_object_foreach(svc, key, v) {
        if (strcmp(key, "form") == 0) {
            json_array_foreach(v, i, f) {
                snprintf(name, sizeof(name), "form[%zu]", i);
                mmctl_service_row(&t, name, f);
            }

        } else if (json_is_object(v)) {
            mmctl_service_rows(&t, key, v);

        } else if (strcmp(key, "intents") == 0) {
            json_array_foreach(v, i, f) {
                snprintf(name, sizeof(name), "intents[%zu]", i);
                mmctl_service_row(&t, name, f);
            }

        } else {
            mmctl_service_row(&t, key, v);
        }
    }

    mmctl_table_print(&t, stdout);
    mmctl_table_free(&t);
    json_decref(svc);

    return MMCTL_OK;
}


/* ASCII case-insensitive; other scripts have no case to fold */

static int
mmctl_service_contains(const char *hay, const char *needle)
{
    size_t  i, n;

    n = strlen(needle);

    for ( /* void */ ; hay && *hay; hay++) {
        for (i = 0; i < n; i++) {
            if ((hay[i] | (hay[i] >= 'A' && hay[i] <= 'Z' ? 0x20 : 0))
                != (needle[i]
                    | (needle[i] >= 'A' && needle[i] <= 'Z' ? 0x20 : 0)))
            {
                break;
            }
        }

        if (i == n) {
            return 1;
        }
    }

    return n == 0;
}


static int
mmctl_service_matches(json_t *svc, const char *text)
{
    size_t       i;
    const char  *lang;
    json_t      *v, *w;

    if (mmctl_service_contains(json_string_value(json_object_get(svc,
                                                                 "code")),
                               text))
    {
        return 1;
    }

    json_object_foreach(json_object_get(svc, "name"), lang, v) {
        if (mmctl_service_contains(json_string_value(v), text)) {
            return 1;
        }
    }

    json_object_foreach(json_object_get(svc, "keywords"), lang, v) {
        json_array_foreach(v, i, w) {
            if (mmctl_service_contains(json_string_value(w), text)) {
                return 1;
            }
        }
    }

    return 0;
}


static int
mmctl_service_list_cmp(const void *a, const void *b)
{
    int          c;
    json_t      *x, *y;
    json_int_t   sx, sy;

    x = *(json_t **) a;
    y = *(json_t **) b;

    c = strcmp(json_string_value(json_object_get(x, "department")),
               json_string_value(json_object_get(y, "department")));
    if (c) {
        return c;
    }

    sx = json_integer_value(json_object_get(x, "sort"));
    sy = json_integer_value(json_object_get(y, "sort"));
    if (sx != sy) {
        return sx < sy ? -1 : 1;
    }

    return strcmp(json_string_value(json_object_get(x, "code")),
                  json_string_value(json_object_get(y, "code")));
}


static int
mmctl_service_list(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int             rc;
    char            sort[32];
    size_t          i, n;
    json_t         *doc, *svc, **v, *name;
    const char     *row[8], *dept, *type;
    mmctl_table_t   t;

    static const char  *hdr[8] = {
        "CODE", "DEPARTMENT", "TYPE", "ENABLED", "POPULAR", "SORT", "NAME",
        "NAME_TE"
    };

    if (args->opt[LIST_ENABLED] && args->opt[LIST_DISABLED]) {
        return mmctl_usage_error(ctx, "--enabled and --disabled exclude "
                                 "each other");
    }

    rc = mmctl_catalogue_connect(ctx);

    if (rc == MMCTL_OK) {
        rc = mmctl_catalogue_read(ctx, &doc, NULL);
    }

    if (rc != MMCTL_OK) {
        return rc;
    }

    dept = args->opt[LIST_DEPARTMENT];
    type = args->opt[LIST_TYPE];

    v = calloc(json_array_size(json_object_get(doc, "services")) + 1,
               sizeof(json_t *));
    n = 0;

    json_array_foreach(json_object_get(doc, "services"), i, svc) {
        if (v == NULL
            || (dept && strcmp(dept, json_string_value(
                                         json_object_get(svc, "department"))))
            || (type && strcmp(type, json_string_value(
                                         json_object_get(svc, "type"))))
            || (args->opt[LIST_ENABLED]
                && !json_is_true(json_object_get(svc, "enabled")))
            || (args->opt[LIST_DISABLED]
                && json_is_true(json_object_get(svc, "enabled")))
            || (args->opt[LIST_SEARCH]
                && !mmctl_service_matches(svc, args->opt[LIST_SEARCH])))
        {
            continue;
        }

        v[n++] = svc;
    }

    if (v == NULL) {
        json_decref(doc);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    qsort(v, n, sizeof(json_t *), mmctl_service_list_cmp);

    if (ctx->json) {
        fputs("{\"services\":[", stdout);

        for (i = 0; i < n; i++) {
            svc = json_pack("{s:O,s:O,s:O,s:O,s:O,s:O,s:O}",
                            "code", json_object_get(v[i], "code"),
                            "department", json_object_get(v[i], "department"),
                            "type", json_object_get(v[i], "type"),
                            "enabled", json_object_get(v[i], "enabled"),
                            "popular", json_object_get(v[i], "popular"),
                            "sort", json_object_get(v[i], "sort"),
                            "name", json_object_get(v[i], "name"));
            fputs(i ? "," : "", stdout);
            json_dumpf(svc, stdout, JSON_COMPACT);
            json_decref(svc);
        }

        fputs("]}\n", stdout);
        ctx->json_done = 1;

    } else if (mmctl_table_init(&t, 8, hdr) == 0) {
        for (i = 0; i < n; i++) {
            name = json_object_get(v[i], "name");
            snprintf(sort, sizeof(sort), "%lld",
                     (long long) json_integer_value(json_object_get(v[i],
                                                                    "sort")));
            row[0] = json_string_value(json_object_get(v[i], "code"));
            row[1] = json_string_value(json_object_get(v[i], "department"));
            row[2] = json_string_value(json_object_get(v[i], "type"));
            row[3] = json_is_true(json_object_get(v[i], "enabled"))
                     ? "yes" : "no";
            row[4] = json_is_true(json_object_get(v[i], "popular"))
                     ? "yes" : "no";
            row[5] = sort;
            row[6] = json_string_value(json_object_get(name, "en"));
            row[7] = json_string_value(json_object_get(name, "te"));
            (void) mmctl_table_add(&t, row);
        }

        mmctl_table_print(&t, stdout);
        mmctl_table_free(&t);
    }

    free(v);
    json_decref(doc);

    return MMCTL_OK;
}


static int
mmctl_service_import(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    return mmctl_catalogue_import(ctx, args->argv[0],
                                  args->opt[IMPORT_FORMAT],
                                  args->opt[IMPORT_DRY_RUN] != NULL);
}


static int
mmctl_service_export(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    return mmctl_catalogue_export(ctx, args->opt[EXPORT_FORMAT],
                                  args->opt[EXPORT_OUTPUT]);
}
