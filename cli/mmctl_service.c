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
#include "mmctl_text.h"
#include "mana_utf8.h"


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
    SVC_NOT_POPULAR,
    SVC_ENABLED,
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
    { "--not-popular", NULL, 0 },
    { "--enabled", NULL, 0 },
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
    { "--dry-run", "-n", 0 },
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
"  --keyword LANG=WORD     a search keyword (repeatable; LANG= alone\n"      \
"                          empties LANG's list)\n"                           \
"  --intent PATTERN        a PCRE2 pattern that finds the service in a\n"    \
"                          citizen's message (repeatable; '' alone: none)\n" \
"  --document LANG=TEXT    a document the citizen needs (repeatable; LANG=\n"\
"                          alone empties LANG's list)\n"                     \
"  --content LANG=TEXT     the text of an information service, at most\n"    \
"                          4096 code points (repeatable)\n"                  \
"  --form-file FILE.json   the form: a JSON array of fields (see\n"          \
"                          docs/catalogue-format.md)\n"                      \
"  --popular, --not-popular\n"                                              \
"                          list it among the popular services, or not\n"     \
"                          (default: not)\n"                                 \
"  --enabled, --disabled   show it to citizens, or hide it (default:\n"      \
"                          enabled)\n"                                       \
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
      "Example:\n"
      "  mmctl service add REV-INC --department REV --type application \\\n"
      "      --name-en 'Income certificate' --name-te 'ఆదాయ ధృవీకరణ పత్రం' \\\n"
      "      --sla-days 7 --fee 0 --keyword en=income --keyword en=salary \\\n"
      "      --form-file form.json\n"
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
      "Output: CODE DEPARTMENT TYPE ENABLED POPULAR SORT NAME.EN NAME.TE;\n"
      "with --json\n"
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
      "Example:\n"
      "  mmctl service update REV-INC --not-popular --name hi='आय प्रमाण पत्र' \\\n"
      "      --keyword te=ఆదాయం --keyword te=జీతం\n"
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
      "offices, services and districts) or a CSV file of services\n"
      "(docs/catalogue-format.md), and upserts every object by code (a\n"
      "district by its English name).  The format comes from --format or\n"
      "the file's extension.\n"
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
      "  --dry-run, -n        check and count, write nothing\n"
      "  --format json|csv    the file's format\n"
      "\n"
      "Output: KIND ADDED CHANGED UNCHANGED; with --json\n"
      "  {\"file\":..,\"format\":..,\"dry_run\":false,\"changed\":true,\n"
      "   \"version\":N,\"departments\":{\"added\":N,\"changed\":N,\n"
      "   \"unchanged\":N},\"offices\":{...},\"services\":{...},\n"
      "   \"districts\":{...}}\n"
      "and on invalid input {\"error\":{\"code\":\"invalid\",\"message\":..,\n"
      "\"problems\":[{\"place\":..,\"message\":..},...]}}.\n",
      mmctl_service_import_options, 1, 1, mmctl_service_import },

    { "export", "[--format json|csv] [-o FILE]",
      "write the catalogue as JSON, or its services as CSV",
      "Writes the whole catalogue as a canonical \"mana-catalogue/1\"\n"
      "document (keys in the documented order, objects sorted by code,\n"
      "districts by English name), or with --format csv the services as\n"
      "CSV, to stdout or FILE.  Importing the export changes nothing, and\n"
      "exporting again gives the same bytes.\n"
      "\n"
      "  --format json|csv    default json\n"
      "  --output, -o FILE    write FILE (replaced whole) instead of stdout\n"
      "\n"
      "Output: the document; with -o, \"wrote FILE: N departments, N offices,\n"
      "N services, N districts\" on stderr, and with --json too\n"
      "  {\"file\":..,\"format\":..,\"departments\":N,\"offices\":N,\n"
      "   \"services\":N,\"districts\":N}\n",
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


/* the object of texts (or lists) svc[field], added when missing */

static json_t *
mmctl_service_field(json_t *svc, const char *field)
{
    json_t  *v;

    v = json_object_get(svc, field);

    if (v == NULL) {
        v = json_object();
        if (json_object_set_new(svc, field, v) != 0) {
            return NULL;
        }
    }

    return v;
}


/* --name, --description, --content: one language's text each */

static int
mmctl_service_texts(mmctl_ctx_t *ctx, mmctl_args_t *args, json_t *svc,
    int id, const char *field)
{
    json_t  *texts;

    if (args->opt[id] == NULL) {
        return MMCTL_OK;
    }

    texts = mmctl_service_field(svc, field);
    if (texts == NULL) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    return mmctl_text_apply_all(ctx, args, id, texts);
}


/*
 * --keyword, --document: the languages given get the lists given, in
 * order, and the others keep theirs; "LANG=" alone empties LANG's list,
 * which is then dropped, as an empty list is not a valid one.
 */

static int
mmctl_service_lists(mmctl_ctx_t *ctx, mmctl_args_t *args, json_t *svc,
    int id, const char *field)
{
    int           i, rc;
    char          lang[8];
    json_t       *lists, *fresh, *a;
    const char   *opt, *v, *text, *key;

    if (args->opt[id] == NULL) {
        return MMCTL_OK;
    }

    opt = ctx->verb->options[id].name;
    fresh = json_object();
    rc = fresh ? MMCTL_OK
               : mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");

    for (i = 0;
         rc == MMCTL_OK && (v = mmctl_args_next(args, id, &i)) != NULL;
         /* void */)
    {
        rc = mmctl_text_split(ctx, opt, v, lang, sizeof(lang), &text);
        if (rc != MMCTL_OK) {
            break;
        }

        a = json_object_get(fresh, lang);
        if (a == NULL) {
            a = json_array();
            json_object_set_new(fresh, lang, a);
        }

        if (*text == '\0') {
            continue;
        }

        if (!mana_utf8_valid(text, strlen(text))) {
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "%s %s: the text "
                             "is not valid UTF-8", opt, lang);
            break;
        }

        if (json_array_append_new(a, json_string(text)) != 0) {
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
        }
    }

    lists = (rc == MMCTL_OK) ? mmctl_service_field(svc, field) : NULL;

    if (rc == MMCTL_OK && (lists == NULL
                           || json_object_update(lists, fresh) != 0))
    {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    if (rc == MMCTL_OK) {
        json_object_foreach(fresh, key, a) {
            if (json_array_size(a) == 0) {
                (void) json_object_del(lists, key);
            }
        }
    }

    json_decref(fresh);

    return rc;
}


/* --intent: all the intents, replaced; "--intent ''" alone leaves none */

static int
mmctl_service_intents(mmctl_ctx_t *ctx, mmctl_args_t *args, json_t *svc)
{
    int           i;
    json_t       *intents;
    const char   *v;

    if (args->opt[SVC_INTENT] == NULL) {
        return MMCTL_OK;
    }

    intents = json_array();

    if (intents == NULL
        || json_object_set_new(svc, "intents", intents) != 0)
    {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    for (i = 0; (v = mmctl_args_next(args, SVC_INTENT, &i)) != NULL; ) {
        if (*v == '\0') {
            continue;
        }

        if (!mana_utf8_valid(v, strlen(v))) {
            return mmctl_error(ctx, MMCTL_FAILED, "failed", "--intent: the "
                               "pattern is not valid UTF-8");
        }

        if (json_array_append_new(intents, json_string(v)) != 0) {
            return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
        }
    }

    return MMCTL_OK;
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
    int      rc;
    json_t  *name;

    if (args->opt[SVC_DEPARTMENT]) {
        json_object_set_new(svc, "department",
                            json_string(args->opt[SVC_DEPARTMENT]));
    }

    if (args->opt[SVC_TYPE]) {
        json_object_set_new(svc, "type", json_string(args->opt[SVC_TYPE]));
    }

    if (args->opt[SVC_POPULAR] || args->opt[SVC_NOT_POPULAR]) {
        json_object_set_new(svc, "popular",
                            json_boolean(args->opt[SVC_POPULAR] != NULL));
    }

    if (args->opt[SVC_ENABLED] || args->opt[SVC_DISABLED]) {
        json_object_set_new(svc, "enabled",
                            json_boolean(args->opt[SVC_ENABLED] != NULL));
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

    if (rc == MMCTL_OK
        && (args->opt[SVC_NAME_EN] || args->opt[SVC_NAME_TE]))
    {
        name = mmctl_service_field(svc, "name");

        if (name == NULL) {
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
        }

        if (rc == MMCTL_OK && args->opt[SVC_NAME_EN]) {
            rc = mmctl_text_set(ctx, name, "--name-en", "en",
                                args->opt[SVC_NAME_EN]);
        }

        if (rc == MMCTL_OK && args->opt[SVC_NAME_TE]) {
            rc = mmctl_text_set(ctx, name, "--name-te", "te",
                                args->opt[SVC_NAME_TE]);
        }
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_service_texts(ctx, args, svc, SVC_NAME, "name");
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_service_texts(ctx, args, svc, SVC_DESCRIPTION,
                                 "description");
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_service_texts(ctx, args, svc, SVC_CONTENT, "content");
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_service_lists(ctx, args, svc, SVC_KEYWORD, "keywords");
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_service_lists(ctx, args, svc, SVC_DOCUMENT, "documents");
    }

    if (rc == MMCTL_OK) {
        rc = mmctl_service_intents(ctx, args, svc);
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
    int                   rc, result, locked, warnings;
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

    if (mode <= MMCTL_SERVICE_UPDATE) {
        if (args->opt[SVC_POPULAR] && args->opt[SVC_NOT_POPULAR]) {
            return mmctl_usage_error(ctx, "--popular and --not-popular "
                                     "exclude each other");
        }

        if (args->opt[SVC_ENABLED] && args->opt[SVC_DISABLED]) {
            return mmctl_usage_error(ctx, "--enabled and --disabled exclude "
                                     "each other");
        }
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

    /*
     * Warnings (a missing Telugu text) as "dept" shows them: only when
     * texts were given, so that "update --sort 5" does not nag.
     */
    warnings = (mode == MMCTL_SERVICE_ADD
                || (mode == MMCTL_SERVICE_UPDATE
                    && (args->opt[SVC_NAME_EN] || args->opt[SVC_NAME_TE]
                        || args->opt[SVC_NAME] || args->opt[SVC_DESCRIPTION]
                        || args->opt[SVC_CONTENT]
                        || args->opt[SVC_FORM_FILE])));

    (void) mana_cat_check_service(svc, "", &p);

    rc = mmctl_catalogue_report(ctx, place, &p, warnings);
    if (rc != MMCTL_OK) {
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

    /* booleans as in every table, "yes" or "no" */
    s = json_is_string(v) ? strdup(json_string_value(v))
        : json_is_boolean(v) ? strdup(mmctl_text_yes(json_is_true(v)))
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
        "CODE", "DEPARTMENT", "TYPE", "ENABLED", "POPULAR", "SORT", "NAME.EN",
        "NAME.TE"
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
            row[3] = mmctl_text_yes(json_is_true(json_object_get(v[i],
                                                                 "enabled")));
            row[4] = mmctl_text_yes(json_is_true(json_object_get(v[i],
                                                                 "popular")));
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
