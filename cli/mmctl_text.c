
/*
 * Language-keyed texts on the command line: "--name LANG=TEXT", given once
 * a language, and how catalogue objects are shown.
 */

#include <stdlib.h>
#include <string.h>

#include "mmctl_text.h"
#include "mana_catalogue.h"
#include "mana_utf8.h"


int
mmctl_text_split(mmctl_ctx_t *ctx, const char *opt, const char *arg,
    char *lang, size_t size, const char **text)
{
    const char  *eq;

    eq = strchr(arg, '=');

    if (eq == NULL || (size_t) (eq - arg) >= size) {
        return mmctl_usage_error(ctx, "%s \"%s\": expected LANG=TEXT, "
                                 "e.g. %s te=...", opt, arg, opt);
    }

    memcpy(lang, arg, eq - arg);
    lang[eq - arg] = '\0';
    *text = eq + 1;

    if (!mana_cat_code_valid(MANA_CAT_CODE_LANG, lang)) {
        return mmctl_usage_error(ctx, "%s: invalid language \"%s\": use a "
                                 "code of two or three lower-case letters "
                                 "(%s)", opt, lang,
                                 mana_cat_code_regex(MANA_CAT_CODE_LANG));
    }

    return MMCTL_OK;
}


int
mmctl_text_apply_all(mmctl_ctx_t *ctx, mmctl_args_t *args, int id,
    json_t *texts)
{
    int          i, rc;
    char         lang[8];
    const char  *opt, *v, *text;

    opt = ctx->verb->options[id].name;

    for (i = 0; (v = mmctl_args_next(args, id, &i)) != NULL; /* void */ ) {
        rc = mmctl_text_split(ctx, opt, v, lang, sizeof(lang), &text);

        if (rc == MMCTL_OK) {
            rc = mmctl_text_set(ctx, texts, opt, lang, text);
        }

        if (rc != MMCTL_OK) {
            return rc;
        }
    }

    return MMCTL_OK;
}


int
mmctl_text_set(mmctl_ctx_t *ctx, json_t *texts, const char *opt,
    const char *lang, const char *text)
{
    /* lang is a constant or came through mmctl_text_split(), which checks */

    if (!mana_utf8_valid(text, strlen(text))) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed",
                           "%s %s: the text is not valid UTF-8", opt, lang);
    }

    if (*text == '\0') {
        (void) json_object_del(texts, lang);
        return MMCTL_OK;
    }

    if (json_object_set_new(texts, lang, json_string(text)) != 0) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    return MMCTL_OK;
}


int
mmctl_text_check_arg(mmctl_ctx_t *ctx, const char *opt, const char *s)
{
    const unsigned char  *p;

    if (!mana_utf8_valid(s, strlen(s))) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed",
                           "%s: not valid UTF-8", opt);
    }

    for (p = (const unsigned char *) s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            return mmctl_error(ctx, MMCTL_FAILED, "failed",
                               "%s: control characters are not allowed",
                               opt);
        }
    }

    return MMCTL_OK;
}


static int
mmctl_text_lang_rank(const char *lang)
{
    if (strcmp(lang, "en") == 0) {
        return 0;
    }

    if (strcmp(lang, "te") == 0) {
        return 1;
    }

    if (strcmp(lang, "hi") == 0) {
        return 2;
    }

    return 3;
}


int
mmctl_text_lang_cmp(const char *a, const char *b)
{
    int  ra, rb;

    ra = mmctl_text_lang_rank(a);
    rb = mmctl_text_lang_rank(b);

    if (ra != rb) {
        return ra - rb;
    }

    return strcmp(a, b);
}


int
mmctl_text_lang_qsort_cmp(const void *a, const void *b)
{
    return mmctl_text_lang_cmp(*(const char * const *) a,
                               *(const char * const *) b);
}


int
mmctl_text_order(json_t *texts)
{
    int          rc;
    size_t       i, n;
    json_t      *copy, *v;
    const char  *key, **keys;

    if (!json_is_object(texts) || json_object_size(texts) < 2) {
        return 0;
    }

    n = json_object_size(texts);
    keys = calloc(n, sizeof(char *));
    copy = json_copy(texts);

    if (keys == NULL || copy == NULL) {
        free(keys);
        json_decref(copy);
        return -1;
    }

    i = 0;
    json_object_foreach(copy, key, v) {
        keys[i++] = key;
    }

    qsort(keys, n, sizeof(char *), mmctl_text_lang_qsort_cmp);

    rc = json_object_clear(texts);

    for (i = 0; rc == 0 && i < n; i++) {
        rc = json_object_set(texts, keys[i], json_object_get(copy, keys[i]));
    }

    free(keys);
    json_decref(copy);

    return rc;
}


const char *
mmctl_text_get(json_t *texts, const char *lang)
{
    return json_string_value(json_object_get(texts, lang));
}


static void
mmctl_text_scalar(json_t *v, char *buf, size_t size, const char **cell)
{
    *cell = buf;

    switch (json_typeof(v)) {

    case JSON_STRING:
        *cell = *json_string_value(v) ? json_string_value(v) : NULL;
        break;

    case JSON_INTEGER:
        snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        break;

    case JSON_REAL:
        snprintf(buf, size, "%.2f", json_real_value(v));
        break;

    case JSON_TRUE:
        *cell = "yes";
        break;

    case JSON_FALSE:
        *cell = "no";
        break;

    default:
        *cell = NULL;
    }
}


int
mmctl_text_print_fields(json_t *obj)
{
    int             rc;
    char            field[128], value[64];
    json_t         *v, *m;
    const char     *key, *sub, *row[2];
    mmctl_table_t   t;

    row[0] = "FIELD";
    row[1] = "VALUE";

    if (mmctl_table_init(&t, 2, row) != 0) {
        return -1;
    }

    rc = 0;

    json_object_foreach(obj, key, v) {
        row[0] = field;

        if (!json_is_object(v)) {
            snprintf(field, sizeof(field), "%s", key);
            mmctl_text_scalar(v, value, sizeof(value), &row[1]);
            rc |= mmctl_table_add(&t, row);
            continue;
        }

        json_object_foreach(v, sub, m) {
            snprintf(field, sizeof(field), "%s.%s", key, sub);
            mmctl_text_scalar(m, value, sizeof(value), &row[1]);
            rc |= mmctl_table_add(&t, row);
        }
    }

    if (rc == 0) {
        mmctl_table_print(&t, stdout);
    }

    mmctl_table_free(&t);

    return rc;
}


int
mmctl_text_print_result(mmctl_ctx_t *ctx, const char *kind, json_t *obj,
    const char *result, long long version)
{
    int             rc;
    char            v[32];
    const char     *code, *row[3];
    mmctl_table_t   t;

    code = json_string_value(json_object_get(obj, "code"));

    if (ctx->json) {
        return mmctl_text_print_json(ctx,
                   json_pack("{s:s, s:s, s:I, s:O}", "code", code,
                             "result", result,
                             "version", (json_int_t) version, kind, obj));
    }

    row[0] = "CODE";
    row[1] = "RESULT";
    row[2] = "VERSION";

    snprintf(v, sizeof(v), "%lld", version);

    rc = mmctl_table_init(&t, 3, row);

    if (rc == 0) {
        row[0] = code;
        row[1] = result;
        row[2] = v;
        rc = mmctl_table_add(&t, row);
    }

    if (rc == 0) {
        mmctl_table_print(&t, stdout);
    }

    mmctl_table_free(&t);

    if (rc != 0) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    return MMCTL_OK;
}


int
mmctl_text_print_json(mmctl_ctx_t *ctx, json_t *doc)
{
    int  rc;

    if (doc == NULL) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    rc = json_dumpf(doc, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(doc);

    if (rc != 0) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed",
                           "cannot write the JSON document");
    }

    fputc('\n', stdout);
    ctx->json_done = 1;

    return MMCTL_OK;
}
