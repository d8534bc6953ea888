/*
 * The bot's texts: message lookup in the citizen's language, placeholder
 * substitution, dates and amounts as the language writes them, and the
 * global words of every language.
 *
 * No citizen-facing text is in the code: everything comes from the
 * message catalogue (a missing key shows as the key, which tests catch).
 * Keys used by the engine (sql/seed/messages.json):
 *
 *   lang.prompt, lang.name.<code>, lang.choose.body, lang.changed,
 *   lang.list.button (only with more than three languages)
 *   privacy.notice {contact} {notice_url}, privacy.accept.button,
 *   privacy.full.button, privacy.accepted
 *   menu.header, menu.body, menu.footer, menu.button,
 *   menu.section.popular, menu.section.departments, menu.row.popular(.desc),
 *   menu.row.status(.desc), menu.row.grievance(.desc), menu.row.more,
 *   menu.row.more.desc {page} {pages}
 *   dept.list.body {page} {pages}, dept.list.button
 *   service.list.body {department} {page} {pages}, service.list.button,
 *   service.list.section
 *   popular.list.body, popular.list.button, popular.list.section
 *   info.content {service} {content}, info.documents {documents},
 *   info.fee {fee}, info.no_fee, info.sla {days}, info.contact {contact}
 *   instant.soon {service}, payment.soon {service}
 *   instant.start {service} {count}, instant.ready {service} {holder}
 *   {number} {link}, instant.not_found {service}, instant.cooldown
 *   {service} {minutes}
 *   nav.back.button, nav.menu.button
 *   app.start {service} {count}, app.documents.note {documents},
 *   app.ask / app.ask.optional / app.ask.choice.body {step} {count}
 *   {label}, app.choice.button, app.skip.button,
 *   app.invalid {label} {hint}, validation.<kind> (text name number
 *   amount date phone email pincode aadhaar ifsc district choice reference
 *   photo location required), validation.too_long {max}
 *   app.summary.body {service} {summary}, app.confirm.button,
 *   app.edit.button, app.cancel.button, app.edit.body, app.edit.section,
 *   app.confirmed {ref} {service} {due_date}, app.cancelled {service}
 *   grievance.category.body, grievance.category.button, grievance.photo,
 *   grievance.location, grievance.registered {ref} {department}
 *   {due_date}
 *   status.ask {example}, status.result {ref} {status} {service}
 *   {updated}, status.history.header, status.history.line {date} {status}
 *   {note}, status.due {due_date}, status.rejected.reason {reason},
 *   status.not_found {ref}, status.<status> for every status the schema
 *   allows (sql/004_requests.sql): submitted in_review approved rejected
 *   issued (applications), registered in_progress resolved closed
 *   (grievances); a status without one is shown as stored
 *   search.results.body {query}, search.results.button,
 *   search.results.section, search.none {query}
 *   help.text, session.expired {service}, session.cancelled, stop.done,
 *   stop.resumed, error.generic, error.unsupported
 *   words.menu words.back words.help words.language words.status
 *   words.cancel words.stop words.certificates words.yes words.skip
 *   words.more
 *   (comma-separated, any case, any language at any time)
 *   months (optional: twelve comma-separated names; dates are dd-mm-yyyy
 *   without it)
 */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mana_bot_int.h"
#include "mana_utf8.h"


const char *
mana_bot_msg_lang(mana_bot_env_t *env, const char *lang, const char *key)
{
    const char  *s;

    s = json_string_value(json_object_get(
                              json_object_get(env->messages, lang), key));

    if (s == NULL || *s == '\0') {
        s = json_string_value(json_object_get(
                                  json_object_get(env->messages, "en"), key));
    }

    return s && *s ? s : key;
}


const char *
mana_bot_msg(mana_bot_t *b, const char *key)
{
    return mana_bot_msg_lang(b->env, b->lang, key);
}


int
mana_bot_has_msg(mana_bot_t *b, const char *key)
{
    return mana_bot_msg(b, key) != key;
}


const char *
mana_bot_fmt(mana_bot_t *b, const char *key, ...)
{
    va_list      ap;
    size_t       n;
    const char  *s, *end, *name, *value;
    mana_buf_t   out;

    mana_buf_init(&out);

    for (s = mana_bot_msg(b, key); *s; s++) {
        end = *s == '{' ? strchr(s + 1, '}') : NULL;

        if (end == NULL) {
            mana_buf_add(&out, s, 1);
            continue;
        }

        n = end - s - 1;
        value = NULL;

        va_start(ap, key);

        while ((name = va_arg(ap, const char *)) != NULL) {
            const char  *v = va_arg(ap, const char *);

            if (value == NULL && strlen(name) == n
                && memcmp(name, s + 1, n) == 0)
            {
                value = v ? v : "";
            }
        }

        va_end(ap);

        if (value == NULL) {
            mana_buf_add(&out, s, 1);
            continue;
        }

        mana_buf_adds(&out, value);
        s = end;
    }

    mana_buf_add(&out, "", 1);

    s = mana_bot_strdup(b, out.data ? out.data : "", out.len ? out.len - 1
                                                                : 0);
    mana_buf_free(&out);

    return s;
}


const char *
mana_bot_tr(mana_bot_t *b, json_t *texts)
{
    const char  *s;

    s = json_string_value(json_object_get(texts, b->lang));

    if (s == NULL || *s == '\0') {
        s = json_string_value(json_object_get(texts, "en"));
    }

    return s ? s : "";
}


const char *
mana_bot_date(mana_bot_t *b, const char *iso)
{
    int          y, m, d, hh, mm, n;
    size_t       i, len;
    const char  *months, *p, *e;

    if (iso == NULL) {
        return "";
    }

    hh = mm = -1;
    n = sscanf(iso, "%4d-%2d-%2d %2d:%2d", &y, &m, &d, &hh, &mm);

    if (n < 3 || m < 1 || m > 12) {
        return iso;
    }

    months = json_string_value(json_object_get(
                 json_object_get(b->env->messages, b->lang), "months"));

    if (months) {
        /* the m-th comma-separated name */
        p = months;

        for (i = 1; i < (size_t) m && p; i++) {
            p = strchr(p, ',');
            p = p ? p + 1 : NULL;
        }

        if (p) {
            while (*p == ' ') {
                p++;
            }

            e = strchr(p, ',');
            len = e ? (size_t) (e - p) : strlen(p);

            if (n == 5) {
                return mana_bot_sprintf(b, "%d %.*s %d, %02d:%02d", d,
                                        (int) len, p, y, hh, mm);
            }

            return mana_bot_sprintf(b, "%d %.*s %d", d, (int) len, p, y);
        }
    }

    if (n == 5) {
        return mana_bot_sprintf(b, "%02d-%02d-%04d %02d:%02d", d, m, y, hh,
                                mm);
    }

    return mana_bot_sprintf(b, "%02d-%02d-%04d", d, m, y);
}


const char *
mana_bot_rupees(mana_bot_t *b, const char *number, int sign)
{
    size_t       n, i, k;
    const char  *dot;
    char         out[64];

    dot = strchr(number, '.');
    n = dot ? (size_t) (dot - number) : strlen(number);

    if (n == 0 || n > 20) {
        return number;
    }

    /* the last three digits, then groups of two: 12,34,567 */
    k = 0;

    if (sign) {
        memcpy(out, "\xe2\x82\xb9", 3);
        k = 3;
    }

    for (i = 0; i < n; i++) {
        size_t  left = n - i;

        if (i > 0 && left >= 3 && (left == 3 || (left - 3) % 2 == 0)) {
            out[k++] = ',';
        }

        out[k++] = number[i];
    }

    if (dot && strcmp(dot, ".00") != 0 && strcmp(dot, ".0") != 0) {
        k += snprintf(out + k, sizeof(out) - k, "%.3s", dot);
    }

    return mana_bot_strdup(b, out, k);
}


int
mana_bot_caseeq(const char *a, const char *b)
{
    for ( /* void */ ; *a && *b; a++, b++) {
        int  x = (*a >= 'A' && *a <= 'Z') ? *a + 32 : *a;
        int  y = (*b >= 'A' && *b <= 'Z') ? *b + 32 : *b;

        if (x != y) {
            return 0;
        }
    }

    return *a == *b;
}


int
mana_bot_is_button(mana_bot_t *b, const char *text, const char *id,
    const char *key, mana_bot_word_t word)
{
    size_t       n;
    const char  *t, *title, *rest;

    if (text == NULL) {
        return 0;
    }

    if (strncmp(text, "btn:", 4) == 0) {
        return strcmp(text + 4, id) == 0;
    }

    t = mana_validate_trim(text, &n);
    title = mana_bot_msg(b, key);

    if (strlen(title) == n
        && mana_bot_caseeq(mana_bot_strdup(b, t, n), title))
    {
        return 1;
    }

    return word != MANA_BOT_WORD_NONE && mana_bot_word(b, text, &rest) == word;
}


/* global words */

static const char  *mana_bot_word_names[] = {
    NULL, "menu", "back", "help", "language", "status", "cancel", "stop",
    "certificates", "yes", "skip", "more"
};


/* lower-cased ASCII, trimmed, without trailing ".!?" */
static char *
mana_bot_word_norm(const char *s)
{
    size_t  n, i;
    char   *w;

    s = mana_validate_trim(s, &n);

    /* "Hi!" is "hi"; "?" alone stays a word */
    while (n > 1 && (s[n - 1] == '.' || s[n - 1] == '!' || s[n - 1] == '?'))
    {
        n--;
    }

    w = malloc(n + 1);
    if (w == NULL) {
        return NULL;
    }

    for (i = 0; i < n; i++) {
        w[i] = (s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i];
    }

    w[n] = '\0';
    return w;
}


static int
mana_bot_word_add(json_t *list, const char *s, size_t n)
{
    size_t   i;
    char    *w, *t;
    json_t  *v;

    t = strndup(s, n);
    if (t == NULL) {
        return -1;
    }

    w = mana_bot_word_norm(t);
    free(t);

    if (w == NULL) {
        return -1;
    }

    if (*w) {
        json_array_foreach(list, i, v) {
            if (strcmp(json_string_value(v), w) == 0) {
                free(w);
                return 0;
            }
        }

        if (json_array_append_new(list, json_string(w)) != 0) {
            free(w);
            return -1;
        }
    }

    free(w);
    return 0;
}


static int
mana_bot_lang_order(const char *l)
{
    return strcmp(l, "te") == 0 ? 0 : strcmp(l, "en") == 0 ? 1
           : strcmp(l, "hi") == 0 ? 2 : 3;
}


static int
mana_bot_lang_cmp(const void *a, const void *b)
{
    const char  *x = json_string_value(*(json_t * const *) a);
    const char  *y = json_string_value(*(json_t * const *) b);
    int          d = mana_bot_lang_order(x) - mana_bot_lang_order(y);

    return d ? d : strcmp(x, y);
}


int
mana_bot_words_build(mana_bot_env_t *env, mana_bot_cache_t *c)
{
    size_t       i, k, n;
    json_t      *texts, *list, *v, *w, *sorted[32];
    const char  *lang, *s, *e;
    char         key[32];

    c->words = json_object();
    c->langs = json_array();

    if (c->words == NULL || c->langs == NULL) {
        return -1;
    }

    for (i = 1; i < sizeof(mana_bot_word_names) / sizeof(char *); i++) {
        if (json_object_set_new(c->words, mana_bot_word_names[i],
                                json_array()) != 0)
        {
            return -1;
        }
    }

    n = 0;

    json_object_foreach(env->messages, lang, texts) {
        /* a language is offered when it names itself */
        snprintf(key, sizeof(key), "lang.name.%s", lang);

        if (json_string_value(json_object_get(texts, key))
            && n < sizeof(sorted) / sizeof(sorted[0]))
        {
            sorted[n++] = json_string(lang);
        }

        for (i = 1; i < sizeof(mana_bot_word_names) / sizeof(char *); i++) {
            snprintf(key, sizeof(key), "words.%s", mana_bot_word_names[i]);
            list = json_object_get(c->words, mana_bot_word_names[i]);
            v = json_object_get(texts, key);

            if (json_is_array(v)) {
                json_array_foreach(v, k, w) {
                    s = json_string_value(w);

                    if (s && mana_bot_word_add(list, s, strlen(s)) != 0) {
                        return -1;
                    }
                }

                continue;
            }

            for (s = json_string_value(v); s && *s; s = e ? e + 1 : NULL) {
                e = strchr(s, ',');

                if (mana_bot_word_add(list, s, e ? (size_t) (e - s)
                                                 : strlen(s)) != 0)
                {
                    return -1;
                }

                if (e == NULL) {
                    break;
                }
            }
        }
    }

    qsort(sorted, n, sizeof(json_t *), mana_bot_lang_cmp);

    for (i = 0; i < n; i++) {
        if (json_array_append_new(c->langs, sorted[i]) != 0) {
            return -1;
        }
    }

    return 0;
}


mana_bot_word_t
mana_bot_word(mana_bot_t *b, const char *text, const char **rest)
{
    size_t           i, k, n, lead;
    char            *w;
    json_t          *v;
    const char      *s, *t;
    mana_bot_word_t  found;

    *rest = NULL;

    if (text == NULL) {
        return MANA_BOT_WORD_NONE;
    }

    w = mana_bot_word_norm(text);
    if (w == NULL) {
        return MANA_BOT_WORD_NONE;
    }

    found = MANA_BOT_WORD_NONE;

    for (i = 1; i < sizeof(mana_bot_word_names) / sizeof(char *)
                && found == MANA_BOT_WORD_NONE; i++)
    {
        json_array_foreach(json_object_get(b->c->words,
                                           mana_bot_word_names[i]), k, v)
        {
            s = json_string_value(v);

            if (strcmp(s, w) == 0) {
                found = (mana_bot_word_t) i;
                break;
            }

            /* "status REV-INC-2026-000123" */
            n = strlen(s);

            if (i == MANA_BOT_WORD_STATUS && strncmp(w, s, n) == 0
                && (w[n] == ' ' || w[n] == ':'))
            {
                t = mana_validate_trim(text, &lead);
                t += n + 1;

                while (*t == ' ' || *t == ':') {
                    t++;
                }

                *rest = t;
                found = MANA_BOT_WORD_STATUS;
                break;
            }
        }
    }

    free(w);
    return found;
}
