
/*
 * The "i18n" noun: the bot's own messages (the table i18n_message), one
 * text per language and key.  Translators work on files, so import and
 * export are the main verbs: "mana-i18n/1" JSON or a CSV with one column a
 * language (docs/catalogue-format.md).  An import is all or nothing: every
 * problem of the file is reported and nothing is written, or everything is
 * written in one transaction with the catalogue version bump.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "mmctl_catalogue.h"
#include "mmctl_text.h"
#include "mana_buf.h"
#include "mana_csv.h"
#include "mana_utf8.h"


#define MMCTL_I18N_FORMAT     "mana-i18n/1"
#define MMCTL_I18N_TEXT_MAX   4096            /* code points */
#define MMCTL_I18N_FILE_MAX   (64 * 1024 * 1024)
#define MMCTL_I18N_PROBLEMS   200             /* then the rest are counted */
#define MMCTL_I18N_BATCH      (512 * 1024)    /* bytes of one INSERT */
#define MMCTL_I18N_LIST_CUT   60              /* code points in a table */


typedef struct {
    char         lang[9];
    char         key[65];
    char        *text;
    size_t       len;
    char        *place;         /* "f.csv:12", "f.json: messages.te.k" */
    size_t       seq;           /* file order, for "first at" */
    unsigned     csv:1;         /* problems name the column, its lang */
    unsigned     state:2;       /* what the import does with it */
} mmctl_i18n_msg_t;

/* the CSV column of a message, for problems: JSON places hold the lang */
#define mmctl_i18n_col(m)  ((m)->csv ? (m)->lang : NULL)

enum {
    MMCTL_I18N_UNCHANGED = 0,
    MMCTL_I18N_ADDED,
    MMCTL_I18N_CHANGED
};


typedef struct {
    mmctl_i18n_msg_t  *v;
    size_t             n;
    size_t             cap;
} mmctl_i18n_set_t;


typedef struct {
    const char           *file;
    mana_cat_problems_t  *p;
    size_t                dropped;      /* problems past the limit */
} mmctl_i18n_src_t;


static int mmctl_i18n_import(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_i18n_export(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_i18n_list(mmctl_ctx_t *ctx, mmctl_args_t *args);
static int mmctl_i18n_missing(mmctl_ctx_t *ctx, mmctl_args_t *args);

static int mmctl_i18n_read_file(mmctl_ctx_t *ctx, const char *path,
    char **data, size_t *len);
static int mmctl_i18n_format(const char *opt, const char *path,
    const char *data, size_t len);
static void mmctl_i18n_parse_json(mmctl_i18n_src_t *src, const char *data,
    size_t len, mmctl_i18n_set_t *set);
static void mmctl_i18n_parse_csv(mmctl_i18n_src_t *src, const char *data,
    size_t len, mmctl_i18n_set_t *set);
static void mmctl_i18n_check_text(mmctl_i18n_src_t *src,
    mmctl_i18n_msg_t *m);
static void mmctl_i18n_check_dups(mmctl_i18n_src_t *src,
    mmctl_i18n_set_t *set);
static void mmctl_i18n_check_placeholders(mmctl_i18n_src_t *src,
    mmctl_i18n_set_t *in, mmctl_i18n_set_t *db);
static int mmctl_i18n_write(mmctl_ctx_t *ctx, mmctl_i18n_set_t *in);
static void mmctl_i18n_print_import(mmctl_ctx_t *ctx, const char *file,
    const char *format, int dry_run, mmctl_i18n_set_t *in,
    long long version);

static void mmctl_i18n_problem(mmctl_i18n_src_t *src, const char *place,
    const char *column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static mmctl_i18n_msg_t *mmctl_i18n_add(mmctl_i18n_set_t *set,
    const char *lang, const char *key, const char *text, size_t len);
static void mmctl_i18n_free(mmctl_i18n_set_t *set);
static void mmctl_i18n_sort(mmctl_i18n_set_t *set);
static mmctl_i18n_msg_t *mmctl_i18n_find(mmctl_i18n_set_t *set,
    const char *lang, const char *key);
static int mmctl_i18n_cmp(const void *a, const void *b);
static int mmctl_i18n_load(mmctl_ctx_t *ctx, mmctl_i18n_set_t *set);
static size_t mmctl_i18n_langs(mmctl_i18n_set_t *set, const char **langs,
    size_t max);
static void mmctl_i18n_placeholders(const char *s, size_t len,
    mana_buf_t *b);
static char *mmctl_i18n_dump_json(mmctl_i18n_set_t *set, size_t *len);
static char *mmctl_i18n_dump_csv(mmctl_i18n_set_t *set, size_t *len);


enum {
    MMCTL_I18N_IMPORT_DRY_RUN = 0,
    MMCTL_I18N_IMPORT_FORMAT
};

static const mmctl_option_t  mmctl_i18n_import_options[] = {
    { "--dry-run", "-n", 0 },
    { "--format", NULL, 1 },
    { NULL, NULL, 0 }
};


enum {
    MMCTL_I18N_EXPORT_FORMAT = 0,
    MMCTL_I18N_EXPORT_OUTPUT
};

static const mmctl_option_t  mmctl_i18n_export_options[] = {
    { "--format", NULL, 1 },
    { "--output", "-o", 1 },
    { NULL, NULL, 0 }
};


enum {
    MMCTL_I18N_LIST_LANG = 0,
    MMCTL_I18N_LIST_KEY_PREFIX
};

static const mmctl_option_t  mmctl_i18n_list_options[] = {
    { "--lang", NULL, 1 },
    { "--key-prefix", NULL, 1 },
    { NULL, NULL, 0 }
};


enum {
    MMCTL_I18N_MISSING_LANG = 0
};

static const mmctl_option_t  mmctl_i18n_missing_options[] = {
    { "--lang", NULL, 1 },
    { NULL, NULL, 0 }
};


static const mmctl_verb_t  mmctl_i18n_verbs[] = {

    { "import", "FILE [--dry-run] [--format json|csv]",
      "add or change the bot's messages from a JSON or CSV file",
      "Reads FILE, a \"mana-i18n/1\" JSON document\n"
      "  {\"format\": \"mana-i18n/1\",\n"
      "   \"messages\": {\"en\": {\"welcome\": \"Welcome...\"},\n"
      "                \"te\": {\"welcome\": \"...\"}}}\n"
      "or a CSV file (RFC 4180, UTF-8; a byte-order mark is skipped) with\n"
      "the header key,en,te,... and one row a key, an empty cell for a\n"
      "missing translation.  The format follows the name (.json, .csv),\n"
      "else the first byte ({ is JSON), unless --format says.\n"
      "\n"
      "Rules: keys match ^[a-z][a-z0-9_.]{0,63}$; languages are two or\n"
      "three lower-case letters; a text is valid UTF-8 of 1 to 4096 code\n"
      "points; a translation uses the same set of {placeholders} as the\n"
      "English text of its key (from the file, else the database), and a\n"
      "key has an English text.  Changing an English text whose stored\n"
      "translations then disagree on placeholders is refused too: import\n"
      "the translations with it.\n"
      "\n"
      "All or nothing: every problem is reported as FILE:LINE (CSV) or\n"
      "FILE: messages.LANG.KEY (JSON) and nothing is written (exit 1).\n"
      "Otherwise one transaction writes the added and changed texts only,\n"
      "and bumps the catalogue version when there was any; importing the\n"
      "same file again writes nothing.  Messages not in the file are kept.\n"
      "\n"
      "  --dry-run, -n       check and count, write nothing\n"
      "  --format json|csv   the file's format\n"
      "\n"
      "Output: LANG ADDED CHANGED UNCHANGED, a row a language and the\n"
      "total; with --json\n"
      "  {\"file\":..,\"format\":\"csv\",\"dry_run\":false,\"changed\":true,\n"
      "   \"version\":N,\"total\":{\"added\":N,\"changed\":N,\n"
      "   \"unchanged\":N},\"languages\":{\"en\":{\"added\":N,...},...}}\n"
      "changed: whether anything was written; version: the catalogue\n"
      "version after the import.\n"
      "Problems with --json:\n"
      "  {\"error\":{\"code\":\"invalid\",\"message\":..,\n"
      "   \"problems\":[{\"place\":..,\"message\":..},...]}}\n",
      mmctl_i18n_import_options, 1, 1, mmctl_i18n_import },

    { "export", "[--format json|csv] [-o FILE]",
      "write every message as JSON or CSV",
      "Writes every message, keys sorted, languages in the order en, te,\n"
      "hi, then alphabetical: the JSON document indented by two spaces, or\n"
      "the CSV with CRLF line ends and quotes only where needed.  Export,\n"
      "import and export again gives the same bytes.\n"
      "\n"
      "  --format json|csv   default json, or csv when FILE ends in .csv\n"
      "  --output, -o FILE   write FILE (replaced atomically) instead of\n"
      "                      stdout\n"
      "\n"
      "Output: the document; with -o FILE and --json\n"
      "  {\"file\":..,\"format\":..,\"keys\":N,\"messages\":N,\n"
      "   \"languages\":[\"en\",\"te\",...]}\n"
      "Without -o, --json prints the JSON document itself (not CSV).\n",
      mmctl_i18n_export_options, 0, 0, mmctl_i18n_export },

    { "list", "[--lang L] [--key-prefix P]",
      "list messages",
      "Lists the messages, ordered by key then language.  In the table a\n"
      "text is shown on one line and cut at 60 code points; --json has the\n"
      "whole text.\n"
      "\n"
      "  --lang L           only the language L\n"
      "  --key-prefix P     only the keys that start with P (e.g. menu.)\n"
      "\n"
      "Output: KEY LANG TEXT; with --json\n"
      "  {\"messages\":[{\"key\":..,\"lang\":..,\"text\":..},...]}\n",
      mmctl_i18n_list_options, 0, 0, mmctl_i18n_list },

    { "missing", "[--lang L]",
      "list the keys English has that a language lacks",
      "For each language (Telugu always, and every language with at least\n"
      "one message), or for L only, lists the keys that have an English\n"
      "text and no text in that language.  Exits 0 whatever it finds.\n"
      "\n"
      "  --lang L   only the language L\n"
      "\n"
      "Output: LANG KEY, and a count per language on stderr; with --json\n"
      "  {\"missing\":{\"te\":[\"key\",...],\"hi\":[...]}}\n",
      mmctl_i18n_missing_options, 0, 0, mmctl_i18n_missing },

    { NULL, NULL, NULL, NULL, NULL, 0, 0, NULL }
};


const mmctl_noun_t  mmctl_noun_i18n = {
    "i18n",
    "the bot's own messages in every language",
    "Manages the bot's message catalogue (the table i18n_message): every\n"
    "text the bot says that is not a service's, per language and key, with\n"
    "{placeholders} filled in at run time.  English is the reference.\n"
    "Every change bumps catalogue_version in the same transaction.\n",
    mmctl_i18n_verbs
};


/* import ------------------------------------------------------------------ */


static int
mmctl_i18n_import(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int                  rc, format, dry_run, locked;
    char                *data;
    size_t               len, i;
    long long            version;
    mmctl_i18n_msg_t    *old;
    mmctl_i18n_set_t     in, db;
    mmctl_i18n_src_t     src;
    mana_cat_problems_t  p;
    const char          *file;

    file = args->argv[0];
    dry_run = args->opt[MMCTL_I18N_IMPORT_DRY_RUN] != NULL;

    memset(&in, 0, sizeof(mmctl_i18n_set_t));
    memset(&db, 0, sizeof(mmctl_i18n_set_t));
    mana_cat_problems_init(&p);
    locked = 0;
    data = NULL;
    len = 0;

    src.file = file;
    src.p = &p;
    src.dropped = 0;

    if (args->opt[MMCTL_I18N_IMPORT_FORMAT]
        && strcmp(args->opt[MMCTL_I18N_IMPORT_FORMAT], "json") != 0
        && strcmp(args->opt[MMCTL_I18N_IMPORT_FORMAT], "csv") != 0)
    {
        return mmctl_usage_error(ctx, "--format \"%s\": expected json or "
                                 "csv", args->opt[MMCTL_I18N_IMPORT_FORMAT]);
    }

    rc = mmctl_i18n_read_file(ctx, file, &data, &len);
    if (rc != MMCTL_OK) {
        return rc;
    }

    format = mmctl_i18n_format(args->opt[MMCTL_I18N_IMPORT_FORMAT], file,
                               data, len);

    /* first what the file alone says: no database needed to refuse it */
    if (format == 'j') {
        mmctl_i18n_parse_json(&src, data, len, &in);
    } else {
        mmctl_i18n_parse_csv(&src, data, len, &in);
    }

    mmctl_i18n_sort(&in);
    mmctl_i18n_check_dups(&src, &in);

    if (p.errors) {
        goto problems;
    }

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        goto done;
    }

    /* two imports at once would each count what the other writes */
    rc = mmctl_catalogue_lock(ctx);
    if (rc != MMCTL_OK) {
        goto done;
    }

    locked = 1;

    rc = mmctl_catalogue_begin(ctx);
    if (rc != MMCTL_OK) {
        goto done;
    }

    rc = mmctl_i18n_load(ctx, &db);
    if (rc != MMCTL_OK) {
        mmctl_catalogue_rollback(ctx);
        goto done;
    }

    mmctl_i18n_check_placeholders(&src, &in, &db);

    if (p.errors) {
        mmctl_catalogue_rollback(ctx);
        goto problems;
    }

    for (i = 0; i < in.n; i++) {
        old = mmctl_i18n_find(&db, in.v[i].lang, in.v[i].key);

        in.v[i].state = (old == NULL) ? MMCTL_I18N_ADDED
                        : (old->len == in.v[i].len
                           && memcmp(old->text, in.v[i].text, old->len) == 0)
                        ? MMCTL_I18N_UNCHANGED : MMCTL_I18N_CHANGED;
    }

    rc = dry_run ? MMCTL_OK : mmctl_i18n_write(ctx, &in);

    version = -1;

    if (rc == MMCTL_OK) {
        version = mmctl_catalogue_version(ctx);
        rc = (version < 0) ? MMCTL_FAILED : MMCTL_OK;
    }

    if (rc == MMCTL_OK && !dry_run) {
        rc = mmctl_catalogue_commit(ctx);
    }

    if (rc != MMCTL_OK || dry_run) {
        mmctl_catalogue_rollback(ctx);
    }

    if (rc == MMCTL_OK) {
        mmctl_i18n_print_import(ctx, file, format == 'j' ? "json" : "csv",
                                dry_run, &in, version);
    }

    goto done;

problems:

    if (src.dropped) {
        mana_cat_problem(&p, MANA_CAT_ERROR, file, "%zu more problems not "
                         "shown", src.dropped);
    }

    rc = mmctl_catalogue_report(ctx, NULL, &p, 1);
    mmctl_note("%s: nothing imported", file);

done:

    if (locked) {
        mmctl_catalogue_unlock(ctx);
    }

    mana_cat_problems_free(&p);
    mmctl_i18n_free(&in);
    mmctl_i18n_free(&db);
    free(data);

    return rc;
}


static int
mmctl_i18n_read_file(mmctl_ctx_t *ctx, const char *path, char **data,
    size_t *len)
{
    FILE    *f;
    char    *buf;
    size_t   n, cap;

    f = fopen(path, "rb");
    if (f == NULL) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot open %s: %s",
                           path, strerror(errno));
    }

    buf = NULL;
    n = 0;
    cap = 0;

    for ( ;; ) {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            buf = realloc(buf, cap + 1);
            if (buf == NULL) {
                fclose(f);
                return mmctl_error(ctx, MMCTL_FAILED, "failed",
                                   "out of memory");
            }
        }

        n += fread(buf + n, 1, cap - n, f);

        if (n < cap) {
            break;
        }

        if (n > MMCTL_I18N_FILE_MAX) {
            fclose(f);
            free(buf);
            return mmctl_error(ctx, MMCTL_FAILED, "failed",
                               "%s: larger than %d MiB", path,
                               MMCTL_I18N_FILE_MAX / 1024 / 1024);
        }
    }

    if (ferror(f)) {
        fclose(f);
        free(buf);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot read %s: %s",
                           path, strerror(errno));
    }

    fclose(f);

    buf[n] = '\0';
    *data = buf;
    *len = n;

    return MMCTL_OK;
}


/* 'j' or 'c': the option, else the name's extension, else the first byte */

static int
mmctl_i18n_format(const char *opt, const char *path, const char *data,
    size_t len)
{
    size_t  i, n;

    if (opt) {
        return opt[0];
    }

    n = strlen(path);

    if (n > 5 && strcasecmp(path + n - 5, ".json") == 0) {
        return 'j';
    }

    if (n > 4 && strcasecmp(path + n - 4, ".csv") == 0) {
        return 'c';
    }

    for (i = 0; i < len && strchr(" \t\r\n", data[i]); i++) {
        /* void */
    }

    return (i < len && data[i] == '{') ? 'j' : 'c';
}


static void
mmctl_i18n_parse_json(mmctl_i18n_src_t *src, const char *data, size_t len,
    mmctl_i18n_set_t *set)
{
    char               place[512];
    json_t            *doc, *msgs, *texts, *v;
    const char        *key, *lang, *k;
    json_error_t       err;
    mmctl_i18n_msg_t  *m;

    doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);

    if (doc == NULL) {
        snprintf(place, sizeof(place), "%s:%d:%d", src->file, err.line,
                 err.column);
        mmctl_i18n_problem(src, place, NULL, "not a JSON document: %s",
                           err.text);
        return;
    }

    if (!json_is_object(doc)) {
        mmctl_i18n_problem(src, src->file, NULL, "expected an object "
                           "{\"format\": \"" MMCTL_I18N_FORMAT "\", "
                           "\"messages\": {...}}");
        goto done;
    }

    json_object_foreach(doc, key, v) {
        if (strcmp(key, "format") != 0 && strcmp(key, "messages") != 0) {
            snprintf(place, sizeof(place), "%s: %s", src->file, key);
            mmctl_i18n_problem(src, place, NULL, "unknown key (expected "
                               "format and messages)");
        }
    }

    v = json_object_get(doc, "format");

    if (!json_is_string(v)
        || strcmp(json_string_value(v), MMCTL_I18N_FORMAT) != 0)
    {
        snprintf(place, sizeof(place), "%s: format", src->file);
        mmctl_i18n_problem(src, place, NULL, "expected \"%s\"",
                           MMCTL_I18N_FORMAT);
    }

    msgs = json_object_get(doc, "messages");

    if (!json_is_object(msgs)) {
        snprintf(place, sizeof(place), "%s: messages", src->file);
        mmctl_i18n_problem(src, place, NULL, "expected an object of "
                           "languages, e.g. {\"en\": {\"welcome\": "
                           "\"...\"}}");
        goto done;
    }

    json_object_foreach(msgs, lang, texts) {
        snprintf(place, sizeof(place), "%s: messages.%.16s", src->file,
                 lang);

        if (!mana_cat_code_valid(MANA_CAT_CODE_LANG, lang)) {
            mmctl_i18n_problem(src, place, NULL, "not a language code (%s)",
                               mana_cat_code_regex(MANA_CAT_CODE_LANG));
            continue;
        }

        if (!json_is_object(texts)) {
            mmctl_i18n_problem(src, place, NULL, "expected an object of "
                               "texts by key");
            continue;
        }

        json_object_foreach(texts, k, v) {
            snprintf(place, sizeof(place), "%s: messages.%s.%.80s",
                     src->file, lang, k);

            if (!mana_cat_code_valid(MANA_CAT_CODE_I18N_KEY, k)) {
                mmctl_i18n_problem(src, place, NULL, "invalid key (%s)",
                                   mana_cat_code_regex(
                                       MANA_CAT_CODE_I18N_KEY));
                continue;
            }

            if (!json_is_string(v)) {
                mmctl_i18n_problem(src, place, NULL, "expected a string");
                continue;
            }

            m = mmctl_i18n_add(set, lang, k, json_string_value(v),
                               json_string_length(v));
            if (m == NULL || (m->place = strdup(place)) == NULL) {
                mmctl_i18n_problem(src, place, NULL, "out of memory");
                goto done;
            }

            mmctl_i18n_check_text(src, m);
        }
    }

done:

    json_decref(doc);
}


static void
mmctl_i18n_parse_csv(mmctl_i18n_src_t *src, const char *data, size_t len,
    mmctl_i18n_set_t *set)
{
    int                rc;
    char               place[512], **langs;
    size_t             i, j, ncols;
    mana_csv_t         c;
    mmctl_i18n_msg_t  *m;

    mana_csv_init(&c, data, len);
    langs = NULL;
    ncols = 0;

    rc = mana_csv_next(&c);
    snprintf(place, sizeof(place), "%s:%zu", src->file,
             rc < 0 ? c.err_line : c.record_line);

    if (rc <= 0) {
        mmctl_i18n_problem(src, place, NULL, "%s",
                           rc < 0 ? c.err : "empty file: expected the "
                                            "header key,en,te,...");
        goto done;
    }

    if (strcmp(c.fields[0], "key") != 0) {
        mmctl_i18n_problem(src, place, NULL, "the header's first column "
                           "must be \"key\", then one column a language "
                           "(key,en,te,...)");
        goto done;
    }

    ncols = c.nfields;
    langs = calloc(ncols, sizeof(char *));
    if (langs == NULL) {
        mmctl_i18n_problem(src, place, NULL, "out of memory");
        goto done;
    }

    for (i = 1; i < ncols; i++) {
        langs[i] = strdup(c.fields[i]);
        if (langs[i] == NULL) {
            mmctl_i18n_problem(src, place, NULL, "out of memory");
            goto done;
        }

        if (!mana_cat_code_valid(MANA_CAT_CODE_LANG, langs[i])) {
            mmctl_i18n_problem(src, place, NULL, "column %zu: \"%.16s\" is "
                               "not a language code (%s)", i + 1, langs[i],
                               mana_cat_code_regex(MANA_CAT_CODE_LANG));
            continue;
        }

        for (j = 1; j < i; j++) {
            if (strcmp(langs[j], langs[i]) == 0) {
                mmctl_i18n_problem(src, place, NULL, "column %s appears "
                                   "twice", langs[i]);
            }
        }
    }

    if (src->p->errors) {
        goto done;
    }

    for ( ;; ) {
        rc = mana_csv_next(&c);

        if (rc == 0) {
            break;
        }

        if (rc < 0) {
            snprintf(place, sizeof(place), "%s:%zu", src->file, c.err_line);

            if (c.err_field > 0 && c.err_field <= ncols) {
                mmctl_i18n_problem(src, place, NULL, "column %s: %s",
                                   c.err_field == 1 ? "key"
                                   : langs[c.err_field - 1], c.err);
            } else {
                mmctl_i18n_problem(src, place, NULL, "%s", c.err);
            }

            /*
             * A bad field leaves the reader at the next record; an open
             * quote leaves no way to tell where the next record starts.
             */
            if (c.line > c.record_line || c.pos >= c.len) {
                continue;
            }

            break;
        }

        snprintf(place, sizeof(place), "%s:%zu", src->file, c.record_line);

        if (c.nfields == 1 && c.lens[0] == 0) {
            continue;           /* an empty line */
        }

        if (c.nfields != ncols) {
            mmctl_i18n_problem(src, place, NULL, "%zu field%s where the "
                               "header has %zu", c.nfields,
                               c.nfields == 1 ? "" : "s", ncols);
            continue;
        }

        if (!mana_cat_code_valid(MANA_CAT_CODE_I18N_KEY, c.fields[0])) {
            mmctl_i18n_problem(src, place, NULL, "column key: %s (%s)",
                               c.lens[0] ? "invalid key" : "empty",
                               mana_cat_code_regex(MANA_CAT_CODE_I18N_KEY));
            continue;
        }

        for (i = 1; i < ncols; i++) {
            if (c.lens[i] == 0) {
                continue;       /* not translated */
            }

            m = mmctl_i18n_add(set, langs[i], c.fields[0], c.fields[i],
                               c.lens[i]);
            if (m == NULL || (m->place = strdup(place)) == NULL) {
                mmctl_i18n_problem(src, place, NULL, "out of memory");
                goto done;
            }

            m->csv = 1;
            mmctl_i18n_check_text(src, m);
        }
    }

done:

    if (langs) {
        for (i = 1; i < ncols; i++) {
            free(langs[i]);
        }
    }

    free(langs);
    mana_csv_free(&c);
}


static void
mmctl_i18n_check_text(mmctl_i18n_src_t *src, mmctl_i18n_msg_t *m)
{
    size_t  n;

    if (!mana_utf8_valid(m->text, m->len)) {
        mmctl_i18n_problem(src, m->place, mmctl_i18n_col(m),
                           "not valid UTF-8");
        return;
    }

    if (memchr(m->text, '\0', m->len) != NULL) {
        mmctl_i18n_problem(src, m->place, mmctl_i18n_col(m), "contains a NUL "
                           "character");
        return;
    }

    n = mana_utf8_len(m->text, m->len);

    if (n == 0) {
        mmctl_i18n_problem(src, m->place, mmctl_i18n_col(m),
                           "empty text: leave the key out of the language "
                           "instead");

    } else if (n > MMCTL_I18N_TEXT_MAX) {
        mmctl_i18n_problem(src, m->place, mmctl_i18n_col(m),
                           "%zu code points, at most %d", n,
                           MMCTL_I18N_TEXT_MAX);
    }
}


/* the same key twice in one language: only CSV can say it */

static void
mmctl_i18n_check_dups(mmctl_i18n_src_t *src, mmctl_i18n_set_t *set)
{
    size_t       i;
    const char  *last;

    last = NULL;

    for (i = 1; i < set->n; i++) {
        if (mmctl_i18n_cmp(&set->v[i - 1], &set->v[i]) != 0) {
            continue;
        }

        /* a row repeats once, however many languages it has */
        if (last && strcmp(last, set->v[i].place) == 0) {
            continue;
        }

        last = set->v[i].place;
        mmctl_i18n_problem(src, set->v[i].place, NULL, "key %s repeats "
                           "(first at %s)", set->v[i].key,
                           set->v[i - 1].place);
    }
}


static void
mmctl_i18n_check_placeholders(mmctl_i18n_src_t *src, mmctl_i18n_set_t *in,
    mmctl_i18n_set_t *db)
{
    size_t             i;
    mana_buf_t         a, b;
    mmctl_i18n_msg_t  *m, *en, *old;

    mana_buf_init(&a);
    mana_buf_init(&b);

    for (i = 0; i < in->n; i++) {
        m = &in->v[i];

        if (strcmp(m->lang, "en") == 0) {
            continue;
        }

        en = mmctl_i18n_find(in, "en", m->key);
        if (en == NULL) {
            en = mmctl_i18n_find(db, "en", m->key);
        }

        if (en == NULL) {
            mmctl_i18n_problem(src, m->place, mmctl_i18n_col(m),
                               "the key %s has no English text, in the "
                               "file or the database (English is the "
                               "reference)", m->key);
            continue;
        }

        a.len = 0;
        b.len = 0;
        mmctl_i18n_placeholders(m->text, m->len, &a);
        mmctl_i18n_placeholders(en->text, en->len, &b);

        if (mana_buf_failed(&a) || mana_buf_failed(&b)) {
            mmctl_i18n_problem(src, m->place, NULL, "out of memory");
            break;
        }

        if (strcmp(a.data, b.data) != 0) {
            mmctl_i18n_problem(src, m->place, mmctl_i18n_col(m),
                               "placeholders %s differ from English's %s",
                               *a.data ? a.data : "(none)",
                               *b.data ? b.data : "(none)");
        }
    }

    /* a new English text must not leave stored translations behind */
    for (i = 0; i < db->n; i++) {
        old = &db->v[i];

        if (strcmp(old->lang, "en") == 0
            || mmctl_i18n_find(in, old->lang, old->key) != NULL
            || (en = mmctl_i18n_find(in, "en", old->key)) == NULL)
        {
            continue;
        }

        a.len = 0;
        b.len = 0;
        mmctl_i18n_placeholders(old->text, old->len, &a);
        mmctl_i18n_placeholders(en->text, en->len, &b);

        if (mana_buf_failed(&a) || mana_buf_failed(&b)) {
            mmctl_i18n_problem(src, en->place, NULL, "out of memory");
            break;
        }

        if (strcmp(a.data, b.data) != 0) {
            mmctl_i18n_problem(src, en->place, mmctl_i18n_col(en),
                               "placeholders %s of the new English text "
                               "differ from the stored %s translation's "
                               "%s: import that translation with it",
                               *b.data ? b.data : "(none)", old->lang,
                               *a.data ? a.data : "(none)");
        }
    }

    mana_buf_free(&a);
    mana_buf_free(&b);
}


/* the sorted, distinct {names} of a text, as "{a}, {b}" ("" for none) */

static void
mmctl_i18n_placeholders(const char *s, size_t len, mana_buf_t *b)
{
    size_t       i, j, n, k, m;
    const char  *name[256];
    size_t       nlen[256];

    n = 0;

    for (i = 0; i < len; i++) {
        if (s[i] != '{') {
            continue;
        }

        for (j = i + 1; j < len
                        && (s[j] == '_' || (s[j] >= 'a' && s[j] <= 'z')
                            || (s[j] >= 'A' && s[j] <= 'Z')
                            || (j > i + 1 && s[j] >= '0' && s[j] <= '9'));
             j++)
        {
            /* void */
        }

        if (j == i + 1 || j >= len || s[j] != '}' || j - i - 1 > 64) {
            continue;
        }

        /* insertion into the sorted list, skipping repeats */
        for (k = 0; k < n; k++) {
            m = nlen[k] < j - i - 1 ? nlen[k] : j - i - 1;
            if (memcmp(name[k], s + i + 1, m) > 0
                || (memcmp(name[k], s + i + 1, m) == 0
                    && nlen[k] >= j - i - 1))
            {
                break;
            }
        }

        if ((k < n && nlen[k] == j - i - 1
             && memcmp(name[k], s + i + 1, nlen[k]) == 0)
            || n == 256)
        {
            i = j;
            continue;
        }

        memmove(&name[k + 1], &name[k], (n - k) * sizeof(char *));
        memmove(&nlen[k + 1], &nlen[k], (n - k) * sizeof(size_t));
        name[k] = s + i + 1;
        nlen[k] = j - i - 1;
        n++;
        i = j;
    }

    mana_buf_add(b, "", 0);

    for (k = 0; k < n; k++) {
        mana_buf_addf(b, "%s{%.*s}", k ? ", " : "", (int) nlen[k], name[k]);
    }
}


static int
mmctl_i18n_write(mmctl_ctx_t *ctx, mmctl_i18n_set_t *in)
{
    int          rc, any;
    size_t       i, rows;
    mana_buf_t   sql;
    const char  *head;

    head = "INSERT INTO i18n_message (lang, msg_key, text) VALUES ";

    mana_buf_init(&sql);
    rows = 0;
    any = 0;
    rc = MMCTL_OK;

    for (i = 0; i <= in->n && rc == MMCTL_OK; i++) {
        if (rows
            && (i == in->n || sql.len > MMCTL_I18N_BATCH))
        {
            mana_buf_adds(&sql, " ON DUPLICATE KEY UPDATE"
                                " text = VALUES(text)");

            if (mana_buf_failed(&sql)) {
                rc = mmctl_error(ctx, MMCTL_FAILED, "failed",
                                 "out of memory");
                break;
            }

            rc = mmctl_exec(ctx, "cannot write the messages", sql.data);
            sql.len = 0;
            rows = 0;
        }

        if (i == in->n || in->v[i].state == MMCTL_I18N_UNCHANGED) {
            continue;
        }

        /* lang and key were checked against their rules: plain literals */
        mana_buf_addf(&sql, "%s('%s', '%s', ", rows ? ", " : head,
                      in->v[i].lang, in->v[i].key);
        mana_buf_add_sql_text(&sql, in->v[i].text, in->v[i].len);
        mana_buf_adds(&sql, ")");
        rows++;
        any = 1;
    }

    mana_buf_free(&sql);

    if (rc == MMCTL_OK && any) {
        rc = mmctl_catalogue_bump(ctx);
    }

    return rc;
}


static void
mmctl_i18n_print_import(mmctl_ctx_t *ctx, const char *file,
    const char *format, int dry_run, mmctl_i18n_set_t *in,
    long long version)
{
    char            cell[3][24];
    size_t          i, l, nl, (*count)[3];
    json_t         *langs;
    const char     *lang[MMCTL_TEXT_MAX], *row[4];
    mmctl_table_t   t;

    nl = mmctl_i18n_langs(in, lang, MMCTL_TEXT_MAX);

    /* one row a language, then the total */
    count = calloc(nl + 1, sizeof(*count));
    if (count == NULL) {
        (void) mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
        return;
    }

    for (i = 0; i < in->n; i++) {
        for (l = 0; l < nl && strcmp(lang[l], in->v[i].lang) != 0; l++) {
            /* void */
        }

        count[l][in->v[i].state]++;

        if (l < nl) {
            count[nl][in->v[i].state]++;
        }
    }

    mmctl_note("%s%s: %zu added, %zu changed, %zu unchanged%s "
               "(catalogue version %lld)", dry_run ? "dry run: " : "", file,
               count[nl][MMCTL_I18N_ADDED], count[nl][MMCTL_I18N_CHANGED],
               count[nl][MMCTL_I18N_UNCHANGED],
               dry_run ? ", nothing written" : "", version);

    if (ctx->json) {
        langs = json_object();

        for (l = 0; langs && l < nl; l++) {
            json_object_set_new(langs, lang[l],
                json_pack("{s:I, s:I, s:I}",
                          "added", (json_int_t) count[l][MMCTL_I18N_ADDED],
                          "changed",
                          (json_int_t) count[l][MMCTL_I18N_CHANGED],
                          "unchanged",
                          (json_int_t) count[l][MMCTL_I18N_UNCHANGED]));
        }

        /* the shape of "mmctl service import --json" */
        (void) mmctl_text_print_json(ctx,
            json_pack("{s:s, s:s, s:b, s:b, s:I, s:{s:I, s:I, s:I}, s:o}",
                      "file", file, "format", format, "dry_run", dry_run,
                      "changed", !dry_run
                                 && count[nl][MMCTL_I18N_ADDED]
                                    + count[nl][MMCTL_I18N_CHANGED] > 0,
                      "version", (json_int_t) version,
                      "total",
                      "added", (json_int_t) count[nl][MMCTL_I18N_ADDED],
                      "changed", (json_int_t) count[nl][MMCTL_I18N_CHANGED],
                      "unchanged",
                      (json_int_t) count[nl][MMCTL_I18N_UNCHANGED],
                      "languages", langs));
        free(count);
        return;
    }

    row[0] = "LANG";
    row[1] = "ADDED";
    row[2] = "CHANGED";
    row[3] = "UNCHANGED";

    if (mmctl_table_init(&t, 4, row) == 0) {
        for (l = 0; l <= nl; l++) {
            snprintf(cell[0], 24, "%zu", count[l][MMCTL_I18N_ADDED]);
            snprintf(cell[1], 24, "%zu", count[l][MMCTL_I18N_CHANGED]);
            snprintf(cell[2], 24, "%zu", count[l][MMCTL_I18N_UNCHANGED]);
            row[0] = (l == nl) ? "total" : lang[l];
            row[1] = cell[0];
            row[2] = cell[1];
            row[3] = cell[2];
            (void) mmctl_table_add(&t, row);
        }

        mmctl_table_print(&t, stdout);
    }

    mmctl_table_free(&t);
    free(count);
}


/* export ------------------------------------------------------------------ */


static int
mmctl_i18n_export(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int               rc, csv;
    char             *out;
    size_t            len, i, keys, nl;
    const char       *format, *path, *lang[MMCTL_TEXT_MAX];
    json_t           *langs;
    mmctl_i18n_set_t  db;

    format = args->opt[MMCTL_I18N_EXPORT_FORMAT];
    path = args->opt[MMCTL_I18N_EXPORT_OUTPUT];

    if (path && strcmp(path, "-") == 0) {
        path = NULL;
    }

    if (format && strcmp(format, "json") != 0 && strcmp(format, "csv") != 0)
    {
        return mmctl_usage_error(ctx, "--format \"%s\": expected json or "
                                 "csv", format);
    }

    csv = format ? (strcmp(format, "csv") == 0)
          : (path && strlen(path) > 4
             && strcasecmp(path + strlen(path) - 4, ".csv") == 0);

    if (ctx->json && csv && path == NULL) {
        return mmctl_usage_error(ctx, "--json with --format csv needs "
                                 "-o FILE: stdout can hold one document "
                                 "only");
    }

    memset(&db, 0, sizeof(mmctl_i18n_set_t));

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_i18n_load(ctx, &db);
    if (rc != MMCTL_OK) {
        mmctl_i18n_free(&db);
        return rc;
    }

    out = csv ? mmctl_i18n_dump_csv(&db, &len)
              : mmctl_i18n_dump_json(&db, &len);

    if (out == NULL) {
        mmctl_i18n_free(&db);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot build the "
                           "export (out of memory, or a stored text that is "
                           "not UTF-8)");
    }

    if (path == NULL) {
        if (fwrite(out, 1, len, stdout) != len) {
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "cannot write "
                             "stdout: %s", strerror(errno));
        }

        /* the document itself is the --json output */
        ctx->json_done = ctx->json;
        goto done;
    }

    rc = mmctl_write_file(ctx, path, out, len, 0644);
    if (rc != MMCTL_OK) {
        goto done;
    }

    for (i = 0, keys = 0; i < db.n; i++) {
        keys += (i == 0 || strcmp(db.v[i - 1].key, db.v[i].key) != 0);
    }

    nl = mmctl_i18n_langs(&db, lang, MMCTL_TEXT_MAX);

    mmctl_note("wrote %s: %zu keys, %zu messages, %zu languages", path, keys,
               db.n, nl);

    if (ctx->json) {
        langs = json_array();

        for (i = 0; langs && i < nl; i++) {
            json_array_append_new(langs, json_string(lang[i]));
        }

        rc = mmctl_text_print_json(ctx,
                 json_pack("{s:s, s:s, s:I, s:I, s:o}", "file", path,
                           "format", csv ? "csv" : "json",
                           "keys", (json_int_t) keys,
                           "messages", (json_int_t) db.n,
                           "languages", langs));
    }

done:

    free(out);
    mmctl_i18n_free(&db);

    return rc;
}


static char *
mmctl_i18n_dump_json(mmctl_i18n_set_t *set, size_t *len)
{
    char         *s;
    size_t        i, l, nl;
    json_t       *doc, *msgs, *texts, *v;
    const char   *lang[MMCTL_TEXT_MAX];

    nl = mmctl_i18n_langs(set, lang, MMCTL_TEXT_MAX);

    doc = json_object();
    msgs = json_object();

    if (doc == NULL || msgs == NULL
        || json_object_set_new(doc, "format", json_string(MMCTL_I18N_FORMAT))
        || json_object_set_new(doc, "messages", msgs))
    {
        json_decref(doc);
        return NULL;
    }

    for (l = 0; l < nl; l++) {
        texts = json_object();
        if (texts == NULL || json_object_set_new(msgs, lang[l], texts)) {
            json_decref(doc);
            return NULL;
        }

        /* the set is sorted by key: each language's keys come in order */
        for (i = 0; i < set->n; i++) {
            if (strcmp(set->v[i].lang, lang[l]) != 0) {
                continue;
            }

            v = json_stringn(set->v[i].text, set->v[i].len);
            if (v == NULL || json_object_set_new(texts, set->v[i].key, v)) {
                json_decref(doc);
                return NULL;
            }
        }
    }

    s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(doc);

    if (s == NULL) {
        return NULL;
    }

    *len = strlen(s);

    /* one more byte: the final newline where the NUL was */
    s = realloc(s, *len + 2);
    if (s) {
        s[(*len)++] = '\n';
        s[*len] = '\0';
    }

    return s;
}


static char *
mmctl_i18n_dump_csv(mmctl_i18n_set_t *set, size_t *len)
{
    size_t             i, j, l, nl;
    mana_buf_t         b;
    const char        *lang[MMCTL_TEXT_MAX];
    mmctl_i18n_msg_t  *m;

    nl = mmctl_i18n_langs(set, lang, MMCTL_TEXT_MAX);

    mana_buf_init(&b);
    mana_csv_field(&b, "key", 3, 1);

    for (l = 0; l < nl; l++) {
        mana_csv_field(&b, lang[l], strlen(lang[l]), 0);
    }

    mana_csv_end(&b);

    /* one row a key: the set is sorted by key, then language */
    for (i = 0; i < set->n; i = j) {
        mana_csv_field(&b, set->v[i].key, strlen(set->v[i].key), 1);

        for (l = 0; l < nl; l++) {
            m = mmctl_i18n_find(set, lang[l], set->v[i].key);
            mana_csv_field(&b, m ? m->text : "", m ? m->len : 0, 0);
        }

        mana_csv_end(&b);

        for (j = i + 1;
             j < set->n && strcmp(set->v[j].key, set->v[i].key) == 0;
             j++)
        {
            /* void */
        }
    }

    if (mana_buf_failed(&b)) {
        mana_buf_free(&b);
        return NULL;
    }

    if (b.data == NULL) {
        mana_buf_add(&b, "", 0);
    }

    *len = b.len;

    return b.data;
}


/* writes a temporary file beside path and renames it: never half a file */

/* list and missing ------------------------------------------------------- */


static int
mmctl_i18n_list(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int               rc;
    char             *cell, *c;
    size_t            i, n, plen;
    json_t           *arr;
    const char       *lang, *prefix, *row[3];
    mmctl_table_t     t;
    mmctl_i18n_set_t  db;

    lang = args->opt[MMCTL_I18N_LIST_LANG];
    prefix = args->opt[MMCTL_I18N_LIST_KEY_PREFIX];
    plen = prefix ? strlen(prefix) : 0;

    if (lang && !mana_cat_code_valid(MANA_CAT_CODE_LANG, lang)) {
        return mmctl_usage_error(ctx, "--lang \"%s\": not a language code "
                                 "(%s)", lang,
                                 mana_cat_code_regex(MANA_CAT_CODE_LANG));
    }

    memset(&db, 0, sizeof(mmctl_i18n_set_t));

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_i18n_load(ctx, &db);
    if (rc != MMCTL_OK) {
        mmctl_i18n_free(&db);
        return rc;
    }

    row[0] = "KEY";
    row[1] = "LANG";
    row[2] = "TEXT";
    arr = json_array();

    if (arr == NULL || mmctl_table_init(&t, 3, row) != 0) {
        json_decref(arr);
        mmctl_i18n_free(&db);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    for (i = 0; i < db.n; i++) {
        if ((lang && strcmp(lang, db.v[i].lang) != 0)
            || (prefix && strncmp(prefix, db.v[i].key, plen) != 0))
        {
            continue;
        }

        /* one line a message, and not a whole page of it */
        n = mana_utf8_prefix(db.v[i].text, db.v[i].len, MMCTL_I18N_LIST_CUT);
        cell = malloc(n + 4);
        if (cell == NULL) {
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
            break;
        }

        memcpy(cell, db.v[i].text, n);
        strcpy(cell + n, n < db.v[i].len ? "..." : "");

        for (c = cell; *c; c++) {
            if ((unsigned char) *c < 0x20) {
                *c = ' ';
            }
        }

        row[0] = db.v[i].key;
        row[1] = db.v[i].lang;
        row[2] = cell;

        if (mmctl_table_add(&t, row) != 0
            || json_array_append_new(arr,
                   json_pack("{s:s, s:s, s:s%}", "key", db.v[i].key,
                             "lang", db.v[i].lang, "text", db.v[i].text,
                             db.v[i].len))
               != 0)
        {
            free(cell);
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
            break;
        }

        free(cell);
    }

    if (rc == MMCTL_OK) {
        if (ctx->json) {
            rc = mmctl_text_print_json(ctx, json_pack("{s:O}", "messages",
                                                      arr));
        } else {
            mmctl_table_print(&t, stdout);
        }
    }

    mmctl_table_free(&t);
    json_decref(arr);
    mmctl_i18n_free(&db);

    return rc;
}


static int
mmctl_i18n_missing(mmctl_ctx_t *ctx, mmctl_args_t *args)
{
    int               rc;
    size_t            i, l, nl, nen, miss;
    json_t           *doc, *keys;
    const char       *only, *lang[MMCTL_TEXT_MAX + 1], *row[2];
    mmctl_table_t     t;
    mmctl_i18n_set_t  db;

    only = args->opt[MMCTL_I18N_MISSING_LANG];

    if (only && !mana_cat_code_valid(MANA_CAT_CODE_LANG, only)) {
        return mmctl_usage_error(ctx, "--lang \"%s\": not a language code "
                                 "(%s)", only,
                                 mana_cat_code_regex(MANA_CAT_CODE_LANG));
    }

    memset(&db, 0, sizeof(mmctl_i18n_set_t));

    rc = mmctl_catalogue_connect(ctx);
    if (rc != MMCTL_OK) {
        return rc;
    }

    rc = mmctl_i18n_load(ctx, &db);
    if (rc != MMCTL_OK) {
        mmctl_i18n_free(&db);
        return rc;
    }

    if (only) {
        lang[0] = only;
        nl = 1;

    } else {
        /* Telugu is expected even before its first message */
        nl = mmctl_i18n_langs(&db, lang, MMCTL_TEXT_MAX);

        for (l = 0; l < nl && strcmp(lang[l], "te") != 0; l++) {
            /* void */
        }

        if (l == nl) {
            lang[nl++] = "te";
            qsort(lang, nl, sizeof(char *), mmctl_text_lang_qsort_cmp);
        }

        /* English lacks nothing of English */
        if (nl && strcmp(lang[0], "en") == 0) {
            memmove(lang, lang + 1, --nl * sizeof(char *));
        }
    }

    row[0] = "LANG";
    row[1] = "KEY";
    doc = json_object();

    if (doc == NULL || mmctl_table_init(&t, 2, row) != 0) {
        json_decref(doc);
        mmctl_i18n_free(&db);
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    nen = 0;

    for (i = 0; i < db.n; i++) {
        nen += strcmp(db.v[i].lang, "en") == 0;
    }

    for (l = 0; l < nl && rc == MMCTL_OK; l++) {
        keys = json_array();
        if (keys == NULL || json_object_set_new(doc, lang[l], keys) != 0) {
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
            break;
        }

        miss = 0;

        for (i = 0; i < db.n; i++) {
            if (strcmp(db.v[i].lang, "en") != 0
                || mmctl_i18n_find(&db, lang[l], db.v[i].key) != NULL)
            {
                continue;
            }

            row[0] = lang[l];
            row[1] = db.v[i].key;
            miss++;

            if (mmctl_table_add(&t, row) != 0
                || json_array_append_new(keys, json_string(db.v[i].key)))
            {
                rc = mmctl_error(ctx, MMCTL_FAILED, "failed",
                                 "out of memory");
                break;
            }
        }

        mmctl_note("%s: %zu of %zu keys missing", lang[l], miss, nen);
    }

    if (rc == MMCTL_OK) {
        if (ctx->json) {
            rc = mmctl_text_print_json(ctx, json_pack("{s:O}", "missing",
                                                      doc));
        } else {
            mmctl_table_print(&t, stdout);
        }
    }

    mmctl_table_free(&t);
    json_decref(doc);
    mmctl_i18n_free(&db);

    return rc;
}


/* sets of messages ------------------------------------------------------ */


static int
mmctl_i18n_load(mmctl_ctx_t *ctx, mmctl_i18n_set_t *set)
{
    int                 rc;
    MYSQL_RES          *res;
    MYSQL_ROW           row;
    unsigned long      *len;
    mmctl_i18n_msg_t   *m;
    static const char   sql[] =
        "SELECT lang, msg_key, text FROM i18n_message";

    if (mysql_real_query(ctx->mysql, sql, sizeof(sql) - 1) != 0
        || (res = mysql_store_result(ctx->mysql)) == NULL)
    {
        return mmctl_query_error(ctx, "cannot read the messages");
    }

    rc = MMCTL_OK;

    while ((row = mysql_fetch_row(res)) != NULL) {
        len = mysql_fetch_lengths(res);

        if (len[0] >= sizeof(m->lang) || len[1] >= sizeof(m->key)) {
            continue;
        }

        m = mmctl_i18n_add(set, row[0], row[1], row[2], len[2]);
        if (m == NULL) {
            rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
            break;
        }
    }

    mysql_free_result(res);

    /* every user of a loaded set looks messages up by (key, lang) */
    mmctl_i18n_sort(set);

    return rc;
}


static mmctl_i18n_msg_t *
mmctl_i18n_add(mmctl_i18n_set_t *set, const char *lang, const char *key,
    const char *text, size_t len)
{
    size_t             cap;
    mmctl_i18n_msg_t  *v, *m;

    if (set->n == set->cap) {
        cap = set->cap ? set->cap * 2 : 64;
        v = realloc(set->v, cap * sizeof(mmctl_i18n_msg_t));
        if (v == NULL) {
            return NULL;
        }

        set->v = v;
        set->cap = cap;
    }

    m = &set->v[set->n];
    memset(m, 0, sizeof(mmctl_i18n_msg_t));

    snprintf(m->lang, sizeof(m->lang), "%s", lang);
    snprintf(m->key, sizeof(m->key), "%s", key);

    m->text = malloc(len + 1);
    if (m->text == NULL) {
        return NULL;
    }

    memcpy(m->text, text, len);
    m->text[len] = '\0';
    m->len = len;
    m->seq = set->n;

    set->n++;

    return m;
}


static void
mmctl_i18n_free(mmctl_i18n_set_t *set)
{
    size_t  i;

    for (i = 0; i < set->n; i++) {
        free(set->v[i].text);
        free(set->v[i].place);
    }

    free(set->v);
    memset(set, 0, sizeof(mmctl_i18n_set_t));
}


static int
mmctl_i18n_cmp(const void *a, const void *b)
{
    int                      rc;
    const mmctl_i18n_msg_t  *x, *y;

    x = a;
    y = b;

    rc = strcmp(x->key, y->key);

    return rc ? rc : mmctl_text_lang_cmp(x->lang, y->lang);
}


/* qsort() is not stable: repeats keep their file order by seq */

static int
mmctl_i18n_sort_cmp(const void *a, const void *b)
{
    int                      rc;
    const mmctl_i18n_msg_t  *x, *y;

    x = a;
    y = b;

    rc = mmctl_i18n_cmp(a, b);

    return rc ? rc : (x->seq > y->seq) - (x->seq < y->seq);
}


static void
mmctl_i18n_sort(mmctl_i18n_set_t *set)
{
    if (set->n > 1) {
        qsort(set->v, set->n, sizeof(mmctl_i18n_msg_t), mmctl_i18n_sort_cmp);
    }
}


static mmctl_i18n_msg_t *
mmctl_i18n_find(mmctl_i18n_set_t *set, const char *lang, const char *key)
{
    mmctl_i18n_msg_t  k;

    if (set->n == 0) {
        return NULL;
    }

    snprintf(k.lang, sizeof(k.lang), "%s", lang);
    snprintf(k.key, sizeof(k.key), "%s", key);

    return bsearch(&k, set->v, set->n, sizeof(mmctl_i18n_msg_t),
                   mmctl_i18n_cmp);
}


/* the distinct languages of a set, en, te, hi first, then alphabetical */

static size_t
mmctl_i18n_langs(mmctl_i18n_set_t *set, const char **langs, size_t max)
{
    size_t  i, j, n;

    n = 0;

    for (i = 0; i < set->n; i++) {
        for (j = 0; j < n && strcmp(langs[j], set->v[i].lang) != 0; j++) {
            /* void */
        }

        if (j == n && n < max) {
            langs[n++] = set->v[i].lang;
        }
    }

    qsort(langs, n, sizeof(char *), mmctl_text_lang_qsort_cmp);

    return n;
}


static void
mmctl_i18n_problem(mmctl_i18n_src_t *src, const char *place,
    const char *column, const char *fmt, ...)
{
    char     msg[1024];
    va_list  ap;

    if (src->p->n >= MMCTL_I18N_PROBLEMS) {
        src->dropped++;
        src->p->errors++;
        return;
    }

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);

    if (column) {
        mana_cat_problem(src->p, MANA_CAT_ERROR, place, "column %s: %s",
                         column, msg);
    } else {
        mana_cat_problem(src->p, MANA_CAT_ERROR, place, "%s", msg);
    }
}
