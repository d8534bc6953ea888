
/*
 * The "office" noun: the offices of a department that applications and
 * grievances are routed to, by district and mandal.  The rules are
 * lib/mana_catalogue.c's; this file turns options into an office object.
 */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mmctl_catalogue.h"
#include "mmctl_text.h"


static int mmctl_office_add(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_office_list(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_office_show(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_office_update(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_office_department(mmctl_ctx_t *ctx, mmctl_args_t *args,
    json_t *office);


enum {
    MMCTL_OFFICE_DEPARTMENT = 0,
    MMCTL_OFFICE_DISTRICT,
    MMCTL_OFFICE_MANDAL,
    MMCTL_OFFICE_NAME_EN,
    MMCTL_OFFICE_NAME_TE,
    MMCTL_OFFICE_NAME,
    MMCTL_OFFICE_ADDRESS,
    MMCTL_OFFICE_PHONE,
    MMCTL_OFFICE_EMAIL,
    MMCTL_OFFICE_URL,
    MMCTL_OFFICE_ENABLED,
    MMCTL_OFFICE_DISABLED
};

static const mmctl_option_t  mmctl_office_options[] = {
    { "--department", NULL, 1 },
    { "--district", NULL, 1 },
    { "--mandal", NULL, 1 },
    { "--name-en", NULL, 1 },
    { "--name-te", NULL, 1 },
    { "--name", NULL, 1 },
    { "--address", NULL, 1 },
    { "--phone", NULL, 1 },
    { "--email", NULL, 1 },
    { "--url", NULL, 1 },
    { "--enabled", NULL, 0 },
    { "--disabled", NULL, 0 },
    { NULL, NULL, 0 }
};


enum {
    MMCTL_OFFICE_LIST_DEPARTMENT = 0,
    MMCTL_OFFICE_LIST_DISTRICT
};

static const mmctl_option_t  mmctl_office_list_options[] = {
    { "--department", NULL, 1 },
    { "--district", NULL, 1 },
    { NULL, NULL, 0 }
};


static const mmctl_option_t  mmctl_office_no_options[] = {
    { NULL, NULL, 0 }
};


#define MMCTL_OFFICE_FIELDS_HELP                                              \
"  --department D           the department's code; it must exist\n"         \
"  --district X             the district the office serves (1 to 64\n"      \
"                           code points, e.g. Guntur)\n"                     \
"  --mandal X               the mandal, when the office serves one (an\n"   \
"                           empty value removes it)\n"                       \
"  --name-en TEXT           the English name, 1 to 255 code points\n"       \
"  --name-te TEXT           the Telugu name\n"                               \
"  --name LANG=TEXT         the name in LANG; repeat for more languages\n"  \
"  --address LANG=TEXT      the address, at most 255 code points;\n"        \
"                           repeatable\n"                                    \
"  --phone P, --email E, --url U\n"                                          \
"                           the office's contact (may be empty)\n"

#define MMCTL_OFFICE_WRITE_OUTPUT                                             \
"Output: CODE RESULT VERSION (added, changed or unchanged; the catalogue\n"  \
"version after it); with --json\n"                                           \
"  {\"code\":..,\"result\":..,\"version\":N,\"office\":{\"code\":..,\n"       \
"   \"department\":..,\"district\":..,\"mandal\":..|null,\"enabled\":..,\n"  \
"   \"name\":{..},\"address\":{..},\"contact\":{..}}}\n"                     \
"A problem is reported with its place (\"office X: name.en: ...\"), exit\n"  \
"status 1, and nothing is written.\n"


static const mmctl_verb_t  mmctl_office_verbs[] = {

    { "add", "CODE --department D --district X --name-en TEXT [options]",
      "add an office of a department",
      "Adds the office CODE (^[A-Z0-9][A-Z0-9-]{1,31}$, e.g.\n"
      "REV-GNT-TENALI) of an existing department, and bumps the catalogue\n"
      "version in the same transaction.  Applications to the department\n"
      "from the office's district (and mandal, when it has one) are routed\n"
      "to it.  An office that exists is an error: use \"mmctl office\n"
      "update\".\n"
      "\n"
      MMCTL_OFFICE_FIELDS_HELP
      "  --disabled               add it, but route nothing to it yet\n"
      "\n"
      "Example:\n"
      "  mmctl office add REV-GNT-TENALI --department REV \\\n"
      "      --district Guntur --mandal Tenali \\\n"
      "      --name-en 'Tahsildar Office, Tenali' \\\n"
      "      --address en='Main Road, Tenali 522201' --phone 08644-222222\n"
      "\n"
      MMCTL_OFFICE_WRITE_OUTPUT,
      mmctl_office_options, 1, 1, mmctl_office_add },

    { "list", "[--department D] [--district X]",
      "list the offices",
      "Lists the offices, ordered by code.\n"
      "\n"
      "  --department D   only the offices of the department D\n"
      "  --district X     only the offices of the district X (ASCII letter\n"
      "                   case is ignored)\n"
      "\n"
      "Output: CODE DEPARTMENT DISTRICT MANDAL ENABLED NAME.EN; with --json\n"
      "  {\"offices\":[{\"code\":..,\"department\":..,\"district\":..,\n"
      "    \"mandal\":..,\"enabled\":..,\"name\":{..},\"address\":{..},\n"
      "    \"contact\":{..}},...]}\n",
      mmctl_office_list_options, 0, 0, mmctl_office_list },

    { "show", "CODE",
      "show one office",
      "Shows every field of the office CODE.  An unknown CODE is an error\n"
      "(exit 1).\n"
      "\n"
      "Output: FIELD VALUE rows; with --json {\"office\":{..}}\n",
      mmctl_office_no_options, 1, 1, mmctl_office_show },

    { "update", "CODE [options]",
      "change some fields of an office",
      "Changes the fields given and leaves the others as they are.  An\n"
      "empty text removes that language (not English).  Nothing is written,\n"
      "and the catalogue version does not move, when the result equals\n"
      "what is stored.\n"
      "\n"
      MMCTL_OFFICE_FIELDS_HELP
      "  --enabled, --disabled    route applications to it, or stop\n"
      "\n"
      "Example:\n"
      "  mmctl office update REV-GNT-TENALI --phone 08644-223344\n"
      "\n"
      MMCTL_OFFICE_WRITE_OUTPUT,
      mmctl_office_options, 1, 1, mmctl_office_update },

    { NULL, NULL, NULL, NULL, NULL, 0, 0, NULL }
};


const mmctl_noun_t  mmctl_noun_office = {
    "office",
    "the offices applications are routed to",
    "Manages the offices of the departments (the table office): where an\n"
    "application or a grievance goes, by department, district and mandal.\n"
    "Every change bumps catalogue_version in the same transaction.\n",
    mmctl_office_verbs
};


static const mmctl_catalogue_field_t  mmctl_office_fields[] = {
    { MMCTL_OFFICE_DEPARTMENT, "department", 0, 0 },
    { MMCTL_OFFICE_DISTRICT, "district", 0, 0 },
    { MMCTL_OFFICE_MANDAL, "mandal", 0, 1 },
    { MMCTL_OFFICE_PHONE, "phone", 1, 0 },
    { MMCTL_OFFICE_EMAIL, "email", 1, 0 },
    { MMCTL_OFFICE_URL, "url", 1, 0 },
    { 0, NULL, 0, 0 }
};

static const mmctl_catalogue_kind_t  mmctl_office_kind = {
    "office", MANA_CAT_CODE_OFFICE,
    MMCTL_OFFICE_NAME, MMCTL_OFFICE_NAME_EN, MMCTL_OFFICE_NAME_TE,
    MMCTL_OFFICE_ADDRESS, "address",
    MMCTL_OFFICE_ENABLED, MMCTL_OFFICE_DISABLED, 1,
    mmctl_office_fields,
    NULL,
    mana_cat_check_office,
    mana_cat_canonical_office,
    mmctl_office_department
};


static int
mmctl_office_add(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    json_t      *office;
    const char  *code, *missing;

    code = args->argv[0];

    missing = args->opt[MMCTL_OFFICE_DEPARTMENT] == NULL ? "--department D"
              : args->opt[MMCTL_OFFICE_DISTRICT] == NULL ? "--district X"
              : NULL;

    if (missing) {
        return mmctl_usage_error(ctx, "%s is required", missing);
    }

    office = json_pack("{s:s, s:s, s:s, s:n, s:b, s:{}, s:{},"
                       " s:{s:s, s:s, s:s}}",
                       "code", code, "department", "", "district", "",
                       "mandal",
                       "enabled", args->opt[MMCTL_OFFICE_DISABLED] == NULL,
                       "name", "address",
                       "contact", "phone", "", "email", "", "url", "");
    if (office == NULL) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    return mmctl_catalogue_edit(ctx, &mmctl_office_kind, code, args, office,
                                0);
}


/*
 * The office's department, when given (always, to add), must exist: the
 * foreign key would only say so.
 */

static int
mmctl_office_department(mmctl_ctx_t *ctx, mmctl_args_t *args, json_t *office)
{
    int          rc;
    json_t      *dept;
    const char  *code;

    if (args == NULL || args->opt[MMCTL_OFFICE_DEPARTMENT] == NULL) {
        return MMCTL_OK;
    }

    code = json_string_value(json_object_get(office, "department"));
    dept = NULL;

    rc = mmctl_catalogue_read_one(ctx, "department", code, &dept);
    if (rc != MMCTL_OK) {
        return rc;
    }

    if (dept == NULL) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed",
                           "office %s: department %s does not exist (see "
                           "\"mmctl dept list\")",
                           json_string_value(json_object_get(office, "code")),
                           code);
    }

    json_decref(dept);

    return MMCTL_OK;
}


static int
mmctl_office_list(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int             rc;
    size_t          i;
    json_t         *doc, *o, *arr;
    const char     *dept, *district, *s, *row[6];
    mmctl_table_t   t;

    dept = args->opt[MMCTL_OFFICE_LIST_DEPARTMENT];
    district = args->opt[MMCTL_OFFICE_LIST_DISTRICT];

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_catalogue_read(ctx, &doc, 0);
    if (rc != MMCTL_OK) {
        return rc;
    }

    arr = json_array();
    row[0] = "CODE";
    row[1] = "DEPARTMENT";
    row[2] = "DISTRICT";
    row[3] = "MANDAL";
    row[4] = "ENABLED";
    row[5] = "NAME.EN";

    if (arr == NULL || mmctl_table_init(&t, 6, row) != 0) {
        json_decref(arr);
        json_decref(doc);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    /* the document holds the offices sorted by code already */
    json_array_foreach(json_object_get(doc, "offices"), i, o) {
        s = json_string_value(json_object_get(o, "department"));
        if (dept && strcmp(dept, s) != 0) {
            continue;
        }

        s = json_string_value(json_object_get(o, "district"));
        if (district && strcasecmp(district, s) != 0) {
            continue;
        }

        row[0] = json_string_value(json_object_get(o, "code"));
        row[1] = json_string_value(json_object_get(o, "department"));
        row[2] = s;
        row[3] = json_string_value(json_object_get(o, "mandal"));
        row[4] = mmctl_text_yes(json_is_true(json_object_get(o, "enabled")));
        row[5] = mmctl_text_get(json_object_get(o, "name"), "en");

        if (mmctl_table_add(&t, row) != 0
            || json_array_append(arr, o) != 0)
        {
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
            goto done;
        }
    }

    if (ctx->json) {
        rc = mmctl_text_print_json(ctx, json_pack("{s:O}", "offices", arr));
    } else {
        mmctl_table_print(&t, stdout);
    }

done:

    mmctl_table_free(&t);
    json_decref(arr);
    json_decref(doc);

    return rc;
}


static int
mmctl_office_show(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int          rc;
    json_t      *office;
    const char  *code;

    code = args->argv[0];

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    office = NULL;

    if (mana_cat_code_valid(MANA_CAT_CODE_OFFICE, code)) {
        rc = mmctl_catalogue_read_one(ctx, "office", code, &office);
        if (rc != MMCTL_OK) {
            return rc;
        }
    }

    if (office == NULL) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "no office %s", code);
    }

    if (ctx->json) {
        rc = mmctl_text_print_json(ctx, json_pack("{s:O}", "office", office));

    } else if (mmctl_text_print_fields(office) != 0) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    json_decref(office);

    return rc;
}


static int
mmctl_office_update(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    return mmctl_catalogue_edit(ctx, &mmctl_office_kind, args->argv[0], args,
                                NULL, 0);
}
