/*
 * The bot engine's step: effect results, session expiry, first contact
 * (language, privacy notice), global words, and the dispatch of a message
 * to the screen it answers.  Also the snapshot's indexes.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mana_bot_int.h"


static void mana_bot_stop(mana_bot_t *b);


/* step memory: strings that live until the step returns */

const char *
mana_bot_strdup(mana_bot_t *b, const char *s, size_t n)
{
    char   *p, **v;
    size_t  cap;

    if (b->nstrs == b->capstrs) {
        cap = b->capstrs ? b->capstrs * 2 : 32;
        v = realloc(b->strs, cap * sizeof(char *));

        if (v == NULL) {
            b->failed = 1;
            return "";
        }

        b->strs = v;
        b->capstrs = cap;
    }

    p = malloc(n + 1);
    if (p == NULL) {
        b->failed = 1;
        return "";
    }

    memcpy(p, s, n);
    p[n] = '\0';
    b->strs[b->nstrs++] = p;

    return p;
}


const char *
mana_bot_sprintf(mana_bot_t *b, const char *fmt, ...)
{
    int      n;
    char     buf[512];
    va_list  ap;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);

    if (n < 0) {
        b->failed = 1;
        return "";
    }

    return mana_bot_strdup(b, buf, (size_t) n < sizeof(buf)
                                   ? (size_t) n : sizeof(buf) - 1);
}


/* state */

const char *
mana_bot_state_str(mana_bot_t *b, const char *key)
{
    json_t  *v = json_object_get(b->st, key);

    /* a copy: the state changes under its readers */
    return json_is_string(v) ? mana_bot_strdup(b, json_string_value(v),
                                                json_string_length(v))
                             : NULL;
}


void
mana_bot_set_str(mana_bot_t *b, const char *key, const char *v)
{
    if (v == NULL) {
        json_object_del(b->st, key);
        return;
    }

    if (json_object_set_new(b->st, key, json_string(v)) != 0) {
        b->failed = 1;
    }
}


void
mana_bot_set_int(mana_bot_t *b, const char *key, long long v)
{
    if (json_object_set_new(b->st, key, json_integer(v)) != 0) {
        b->failed = 1;
    }
}


void
mana_bot_clear_flow(mana_bot_t *b)
{
    static const char  *keys[] = {
        "page", "dept", "svc", "field", "answers", "editing", "ref"
    };
    size_t               i;

    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        json_object_del(b->st, keys[i]);
    }
}


void
mana_bot_effect(mana_bot_t *b, json_t *effect)
{
    if (effect == NULL) {
        b->failed = 1;
        return;
    }

    json_decref(b->effect);
    b->effect = effect;
    mana_bot_set_str(b, "pending", json_string_value(
                                       json_object_get(effect, "kind")));
}


mana_bot_dept_t *
mana_bot_dept_get(mana_bot_t *b, const char *code)
{
    size_t  i;

    for (i = 0; code && i < b->c->ndepts; i++) {
        if (strcmp(json_string_value(json_object_get(b->c->depts[i].dept,
                                                     "code")), code) == 0)
        {
            return &b->c->depts[i];
        }
    }

    return NULL;
}


json_t *
mana_bot_service_get(mana_bot_t *b, const char *code)
{
    json_t  *svc;

    if (code == NULL) {
        return NULL;
    }

    svc = mana_catalogue_service(b->env->cat, code);

    if (svc == NULL || json_is_false(json_object_get(svc, "enabled"))
        || mana_bot_dept_get(b, json_string_value(
                                 json_object_get(svc, "department"))) == NULL)
    {
        return NULL;
    }

    return svc;
}


/* a service code typed or sent by a deep link ("rev-inc" too) */
static json_t *
mana_bot_typed_code(mana_bot_t *b, const char *text, int dept,
    mana_bot_dept_t **d)
{
    size_t       n, i;
    const char  *t;
    char         code[48];

    if (text == NULL) {
        return NULL;
    }

    t = mana_validate_trim(text, &n);

    if (n < 2 || n >= sizeof(code)) {
        return NULL;
    }

    for (i = 0; i < n; i++) {
        code[i] = (t[i] >= 'a' && t[i] <= 'z') ? t[i] - 32 : t[i];
    }

    code[n] = '\0';

    if (mana_cat_code_valid(MANA_CAT_CODE_SERVICE, code)) {
        return mana_bot_service_get(b, code);
    }

    if (dept && d && mana_cat_code_valid(MANA_CAT_CODE_DEPARTMENT, code)) {
        *d = mana_bot_dept_get(b, code);
    }

    return NULL;
}


/* first contact: the language, then the notice */

static int
mana_bot_lang_offered(mana_bot_t *b, const char *lang)
{
    size_t   i;
    json_t  *v;

    json_array_foreach(b->c->langs, i, v) {
        if (strcmp(json_string_value(v), lang) == 0) {
            return 1;
        }
    }

    return 0;
}


/* "lang:te", or a language's own name typed ("English", "తెలుగు") */
static const char *
mana_bot_lang_chosen(mana_bot_t *b, const char *text)
{
    size_t       i, n;
    json_t      *v;
    const char  *lang, *t;

    if (text == NULL) {
        return NULL;
    }

    if (strncmp(text, "lang:", 5) == 0) {
        return mana_bot_lang_offered(b, text + 5) ? text + 5 : NULL;
    }

    t = mana_validate_trim(text, &n);
    t = mana_bot_strdup(b, t, n);

    json_array_foreach(b->c->langs, i, v) {
        lang = json_string_value(v);

        if (mana_bot_caseeq(t, mana_bot_msg_lang(b->env, lang,
                               mana_bot_sprintf(b, "lang.name.%s", lang))))
        {
            return lang;
        }
    }

    return NULL;
}


/* key: lang.prompt (first contact, in every language) or lang.choose.body */
static void
mana_bot_language_screen(mana_bot_t *b, const char *key)
{
    size_t            i, n;
    json_t           *v;
    const char       *lang;
    mana_wa_choice_t  rows[MANA_WA_MAX_ROWS];

    n = 0;

    json_array_foreach(b->c->langs, i, v) {
        lang = json_string_value(v);

        if (n == MANA_WA_MAX_ROWS) {
            break;
        }

        /* each language in its own script */
        rows[n].id = mana_bot_sprintf(b, "lang:%s", lang);
        rows[n].title = mana_bot_msg_lang(b->env, lang,
                            mana_bot_sprintf(b, "lang.name.%s", lang));
        rows[n].description = NULL;
        n++;
    }

    mana_bot_clear_flow(b);
    mana_bot_set_str(b, "screen", "lang");

    if (n == 0) {
        mana_bot_text(b, mana_bot_msg(b, key));

    } else if (n <= MANA_WA_MAX_BUTTONS) {
        mana_bot_buttons(b, mana_bot_msg(b, key), rows, n);

    } else {
        mana_bot_list(b, mana_bot_msg(b, key),
                      mana_bot_msg(b, "lang.list.button"), rows, n);
    }
}


static void
mana_bot_language_set(mana_bot_t *b, const char *lang)
{
    mana_bot_set_str(b, "lang", lang);
    b->lang = mana_bot_state_str(b, "lang");
    mana_bot_effect(b, json_pack("{s:s,s:s}", "kind", "language",
                                 "lang", lang));
}


static void
mana_bot_notice(mana_bot_t *b)
{
    mana_wa_choice_t  btn[2];

    btn[0].id = "btn:accept";
    btn[0].title = mana_bot_msg(b, "privacy.accept.button");
    btn[0].description = NULL;
    btn[1].id = "btn:notice";
    btn[1].title = mana_bot_msg(b, "privacy.full.button");
    btn[1].description = NULL;

    mana_bot_clear_flow(b);
    mana_bot_set_str(b, "screen", "notice");
    mana_bot_buttons_long(b, mana_bot_fmt(b, "privacy.notice",
                                 "notice_url", b->env->notice_url
                                               ? b->env->notice_url : "",
                                 "contact", b->env->contact
                                            ? b->env->contact : "",
                                 NULL),
                          NULL, btn,
                          b->env->notice_url && *b->env->notice_url ? 2 : 1);
}


static int
mana_bot_notice_ok(mana_bot_t *b)
{
    const char  *v = json_string_value(json_object_get(b->st, "notice"));

    return v && strcmp(v, b->env->notice_version ? b->env->notice_version
                                                 : "") == 0;
}


/* the menu, or the service a deep link asked for before the notice */
static void
mana_bot_home(mana_bot_t *b)
{
    json_t  *svc;

    svc = mana_bot_service_get(b, mana_bot_state_str(b, "next"));
    json_object_del(b->st, "next");

    if (svc) {
        mana_bot_service(b, svc);

    } else {
        mana_bot_menu(b, 1);
    }
}


static void
mana_bot_remember_link(mana_bot_t *b)
{
    json_t  *svc;

    svc = mana_bot_typed_code(b, b->in->text, 0, NULL);

    if (svc) {
        mana_bot_set_str(b, "next", json_string_value(
                                        json_object_get(svc, "code")));
    }
}


static int
mana_bot_texty(const char *type)
{
    return type && (strcmp(type, "text") == 0
                    || strcmp(type, "interactive") == 0
                    || strcmp(type, "button") == 0);
}


static void
mana_bot_first_contact(mana_bot_t *b)
{
    const char  *lang;

    lang = mana_bot_texty(b->in->type)
           ? mana_bot_lang_chosen(b, b->in->text) : NULL;

    if (lang) {
        mana_bot_language_set(b, lang);
        return;
    }

    mana_bot_remember_link(b);
    mana_bot_language_screen(b, "lang.prompt");
}


static void
mana_bot_notice_input(mana_bot_t *b)
{
    const char       *lang, *rest;
    mana_bot_word_t   w;

    if (!mana_bot_texty(b->in->type)) {
        mana_bot_notice(b);
        return;
    }

    if (b->in->text == NULL) {
        mana_bot_notice(b);
        return;
    }

    if (strcmp(b->in->text, "btn:notice") == 0 && b->env->notice_url) {
        /* the full notice is a page: its link */
        mana_bot_text(b, b->env->notice_url);
        return;
    }

    if (mana_bot_is_button(b, b->in->text, "accept", "privacy.accept.button",
                           MANA_BOT_WORD_YES))
    {
        mana_bot_effect(b, json_pack("{s:s,s:s,s:s}",
                                     "kind", "consent",
                                     "notice_version",
                                     b->env->notice_version
                                     ? b->env->notice_version : "",
                                     "lang", b->lang));
        return;
    }

    lang = mana_bot_lang_chosen(b, b->in->text);

    if (lang && strncmp(b->in->text, "lang:", 5) == 0) {
        mana_bot_language_set(b, lang);
        return;
    }

    w = mana_bot_word(b, b->in->text, &rest);

    if (w == MANA_BOT_WORD_LANGUAGE) {
        mana_bot_language_screen(b, "lang.choose.body");
        return;
    }

    if (w == MANA_BOT_WORD_STOP) {
        mana_bot_stop(b);
        return;
    }

    mana_bot_remember_link(b);
    mana_bot_notice(b);
}


/*
 * STOP: the caller reads "stopped" from the state and sends nothing of its
 * own until they write again; the withdrawal goes to the consent ledger,
 * as the privacy rules ask, and is confirmed once it is written.
 */
static void
mana_bot_stop(mana_bot_t *b)
{
    mana_bot_set_int(b, "stopped", 1);
    mana_bot_effect(b, json_pack("{s:s,s:s,s:s}",
                                 "kind", "withdraw",
                                 "notice_version",
                                 b->env->notice_version
                                 ? b->env->notice_version : "",
                                 "lang", b->lang));
}


/* results of effects */

static void
mana_bot_on_result(mana_bot_t *b, const char *pending)
{
    json_t  *r = b->in->result;

    if (strcmp(pending, "language") == 0) {
        if (mana_bot_notice_ok(b)) {
            mana_bot_text(b, mana_bot_msg(b, "lang.changed"));
            mana_bot_home(b);

        } else {
            mana_bot_notice(b);
        }

        return;
    }

    if (strcmp(pending, "withdraw") == 0) {
        mana_bot_text(b, mana_bot_msg(b, "stop.done"));
        return;
    }

    if (strcmp(pending, "consent") == 0) {
        if (!json_is_object(r) || json_object_get(r, "error")) {
            mana_bot_text(b, mana_bot_msg(b, "error.generic"));
            mana_bot_notice(b);
            return;
        }

        mana_bot_set_str(b, "notice", b->env->notice_version
                                      ? b->env->notice_version : "");
        mana_bot_text(b, mana_bot_msg(b, "privacy.accepted"));
        mana_bot_home(b);
        return;
    }

    if (strcmp(pending, "certificates") == 0
        || strcmp(pending, "certificate") == 0)
    {
        mana_bot_certs_result(b, pending);
        return;
    }

    if (strcmp(pending, "records") == 0 || strcmp(pending, "instant") == 0) {
        mana_bot_instant_result(b, pending);
        return;
    }

    mana_bot_result(b, pending);
}


/* where "back" leads from each screen */
static void
mana_bot_back(mana_bot_t *b)
{
    long long         page;
    const char       *screen;
    mana_bot_dept_t  *d;
    json_t           *svc;

    screen = mana_bot_state_str(b, "screen");
    screen = screen ? screen : "menu";
    page = json_integer_value(json_object_get(b->st, "page"));

    if (strcmp(screen, "form") == 0 || strcmp(screen, "summary") == 0
        || strcmp(screen, "edit") == 0 || strcmp(screen, "status") == 0)
    {
        mana_bot_form_back(b);
        return;
    }

    if (strcmp(screen, "menu") == 0 && page > 1) {
        mana_bot_menu(b, page - 1);
        return;
    }

    if ((strcmp(screen, "dept") == 0 || strcmp(screen, "pop") == 0
         || strcmp(screen, "grv") == 0) && page > 1)
    {
        if (strcmp(screen, "pop") == 0) {
            mana_bot_popular(b, page - 1);
            return;
        }

        if (strcmp(screen, "grv") == 0) {
            mana_bot_grievances(b, page - 1);
            return;
        }

        d = mana_bot_dept_get(b, mana_bot_state_str(b, "dept"));

        if (d) {
            mana_bot_dept(b, d, page - 1);
            return;
        }
    }

    if (strcmp(screen, "info") == 0) {
        svc = mana_bot_service_get(b, mana_bot_state_str(b, "svc"));
        d = svc ? mana_bot_dept_get(b, json_string_value(
                                        json_object_get(svc, "department")))
                : NULL;

        if (d) {
            mana_bot_dept(b, d, 1);
            return;
        }
    }

    mana_bot_menu(b, 1);
}


/* the current screen again (after help, or an answer out of place) */
static void
mana_bot_render(mana_bot_t *b)
{
    long long         page;
    const char       *screen;
    mana_bot_dept_t  *d;
    json_t           *svc;

    screen = mana_bot_state_str(b, "screen");
    screen = screen ? screen : "menu";
    page = json_integer_value(json_object_get(b->st, "page"));

    if (strcmp(screen, "form") == 0) {
        mana_bot_form_ask(b);

    } else if (strcmp(screen, "summary") == 0) {
        mana_bot_summary(b);

    } else if (strcmp(screen, "edit") == 0) {
        mana_bot_edit_list(b, page);

    } else if (strcmp(screen, "status") == 0) {
        mana_bot_status_ask(b);

    } else if (strcmp(screen, "dept") == 0
               && (d = mana_bot_dept_get(b, mana_bot_state_str(b, "dept"))))
    {
        mana_bot_dept(b, d, page);

    } else if (strcmp(screen, "pop") == 0) {
        mana_bot_popular(b, page);

    } else if (strcmp(screen, "grv") == 0) {
        mana_bot_grievances(b, page);

    } else if (strcmp(screen, "info") == 0
               && (svc = mana_bot_service_get(b,
                             mana_bot_state_str(b, "svc"))))
    {
        mana_bot_service(b, svc);

    } else {
        mana_bot_menu(b, strcmp(screen, "menu") == 0 ? page : 1);
    }
}


int
mana_bot_flow(const char *screen)
{
    return screen && (strcmp(screen, "form") == 0
                      || strcmp(screen, "summary") == 0
                      || strcmp(screen, "edit") == 0
                      || strcmp(screen, "status") == 0);
}


/* "more" typed on a paged list: its next page */
static int
mana_bot_more(mana_bot_t *b)
{
    long long         page;
    const char       *screen;
    mana_bot_dept_t  *d;

    screen = mana_bot_state_str(b, "screen");
    page = json_integer_value(json_object_get(b->st, "page")) + 1;

    if (screen == NULL) {
        return 0;
    }

    if (strcmp(screen, "menu") == 0) {
        mana_bot_menu(b, page);

    } else if (strcmp(screen, "pop") == 0) {
        mana_bot_popular(b, page);

    } else if (strcmp(screen, "grv") == 0) {
        mana_bot_grievances(b, page);

    } else if (strcmp(screen, "dept") == 0
               && (d = mana_bot_dept_get(b, mana_bot_state_str(b, "dept"))))
    {
        mana_bot_dept(b, d, page);

    } else {
        return 0;
    }

    return 1;
}


/* 1 when a global word was handled */
static int
mana_bot_global(mana_bot_t *b, const char *text)
{
    const char  *rest;

    if (mana_bot_is_button(b, text, "menu", "nav.menu.button",
                           MANA_BOT_WORD_NONE))
    {
        mana_bot_menu(b, 1);
        return 1;
    }

    if (strcmp(text, "btn:back") == 0) {
        mana_bot_back(b);
        return 1;
    }

    if (strncmp(text, "cert:", 5) == 0) {
        mana_bot_certs_pick(b, text + 5);
        return 1;
    }

    switch (mana_bot_word(b, text, &rest)) {

    case MANA_BOT_WORD_MENU:
        mana_bot_menu(b, 1);
        return 1;

    case MANA_BOT_WORD_BACK:
        mana_bot_back(b);
        return 1;

    case MANA_BOT_WORD_HELP:
        mana_bot_text(b, mana_bot_msg(b, "help.text"));
        mana_bot_render(b);
        return 1;

    case MANA_BOT_WORD_LANGUAGE:
        mana_bot_language_screen(b, "lang.choose.body");
        return 1;

    case MANA_BOT_WORD_STATUS:
        if (rest && *rest) {
            mana_bot_status_lookup(b, rest);

        } else {
            mana_bot_status_ask(b);
        }

        return 1;

    case MANA_BOT_WORD_CANCEL:
        mana_bot_cancel(b);
        return 1;

    case MANA_BOT_WORD_STOP:
        /* the caller reads "stopped" from the state: no messages of its
           own to this citizen until they write again */
        mana_bot_clear_flow(b);
        mana_bot_set_str(b, "screen", "done");
        mana_bot_stop(b);
        return 1;

    case MANA_BOT_WORD_CERTS:
        mana_bot_certs_ask(b);
        return 1;

    case MANA_BOT_WORD_MORE:
        return mana_bot_more(b);

    default:
        return 0;
    }
}


static void
mana_bot_dispatch(mana_bot_t *b)
{
    long long                at;
    const char              *pending, *screen, *text, *lang;
    json_t                  *svc;
    mana_bot_dept_t         *d;
    const mana_bot_input_t  *in;

    in = b->in;
    pending = mana_bot_state_str(b, "pending");

    if (pending) {
        json_object_del(b->st, "pending");

        if (in->result) {
            mana_bot_on_result(b, pending);
            return;
        }

        /* the result never came: take the message afresh */

    } else if (in->result) {
        /* a result nobody asked for */
        return;
    }

    screen = mana_bot_state_str(b, "screen");
    at = json_integer_value(json_object_get(b->st, "at"));
    mana_bot_set_int(b, "at", in->now);

    if (at && b->env->session_idle > 0
        && in->now - at > b->env->session_idle && b->lang[0]
        && mana_bot_notice_ok(b))
    {
        json_object_del(b->st, "next");
        svc = mana_bot_service_get(b, mana_bot_state_str(b, "svc"));

        if (svc && mana_bot_flow(screen) && strcmp(screen, "status") != 0) {
            /* never continue a form the citizen may have forgotten */
            mana_bot_text(b, mana_bot_fmt(b, "session.expired", "service",
                              mana_bot_tr(b, json_object_get(svc, "name")),
                              NULL));
            mana_bot_menu(b, 1);
            return;
        }

        mana_bot_clear_flow(b);
        mana_bot_set_str(b, "screen", "menu");
        screen = "menu";
    }

    text = in->text ? in->text : "";

    if (b->lang[0] == '\0') {
        mana_bot_first_contact(b);
        return;
    }

    if (screen && strcmp(screen, "lang") == 0) {
        lang = mana_bot_texty(in->type) ? mana_bot_lang_chosen(b, text)
                                        : NULL;
        if (lang) {
            mana_bot_language_set(b, lang);
            return;
        }

        if (!mana_bot_notice_ok(b)) {
            mana_bot_language_screen(b, "lang.prompt");
            return;
        }

        /* anything else than a language: on as from the menu */
        screen = "menu";
    }

    if (!mana_bot_notice_ok(b)) {
        mana_bot_notice_input(b);
        return;
    }

    if (in->type && strcmp(in->type, "reaction") == 0) {
        /* an emoji on a message asks nothing */
        return;
    }

    if (json_object_get(b->st, "stopped")) {
        /* they wrote again: messages are on again */
        json_object_del(b->st, "stopped");
        mana_bot_text(b, mana_bot_msg(b, "stop.resumed"));
    }

    if (mana_bot_texty(in->type)) {
        if (strncmp(text, "lang:", 5) == 0) {
            lang = mana_bot_lang_chosen(b, text);

            if (lang) {
                mana_bot_language_set(b, lang);
                return;
            }
        }

        if (mana_bot_menu_id(b, text) || mana_bot_global(b, text)) {
            return;
        }
    }

    if (mana_bot_flow(screen)) {
        mana_bot_flow_input(b, screen);
        return;
    }

    if (!mana_bot_texty(in->type)) {
        mana_bot_nav(b, mana_bot_msg(b, "error.unsupported"), NULL, 0);
        return;
    }

    if (strncmp(text, "btn:", 4) == 0 || strncmp(text, "opt:", 4) == 0
        || strncmp(text, "field:", 6) == 0 || strncmp(text, "edit:", 5) == 0)
    {
        /* a button of a message answered already */
        mana_bot_render(b);
        return;
    }

    d = NULL;
    svc = mana_bot_typed_code(b, text, 1, &d);

    if (svc) {
        mana_bot_service(b, svc);
        return;
    }

    if (d) {
        mana_bot_dept(b, d, 1);
        return;
    }

    mana_bot_search(b, text);
}


int
mana_bot_step(mana_bot_env_t *env, json_t *state,
    const mana_bot_input_t *in, mana_bot_output_t *out)
{
    size_t       i;
    json_t      *v;
    mana_bot_t   b;
    const char  *lang;

    if (out == NULL) {
        return -1;
    }

    memset(out, 0, sizeof(*out));

    if (env == NULL || env->cache == NULL || in == NULL) {
        return -1;
    }

    memset(&b, 0, sizeof(b));
    b.env = env;
    b.c = env->cache;
    b.in = in;

    v = json_object_get(state, "v");

    /* a state of another version starts over, as a new citizen would */
    b.st = json_is_object(state) && json_integer_value(v) == 1
           ? json_deep_copy(state) : json_pack("{s:i}", "v", 1);
    b.replies = json_array();

    if (b.st == NULL || b.replies == NULL) {
        goto failed;
    }

    lang = mana_bot_state_str(&b, "lang");
    b.lang = lang && json_object_get(env->messages, lang) ? lang : "";

    if (b.lang[0] == '\0') {
        json_object_del(b.st, "lang");
    }

    mana_bot_dispatch(&b);

    if (b.failed) {
        goto failed;
    }

    out->state = b.st;
    out->replies = b.replies;
    out->effect = b.effect;

    for (i = 0; i < b.nstrs; i++) {
        free(b.strs[i]);
    }

    free(b.strs);
    return 0;

failed:

    json_decref(b.st);
    json_decref(b.replies);
    json_decref(b.effect);

    for (i = 0; i < b.nstrs; i++) {
        free(b.strs[i]);
    }

    free(b.strs);
    return -1;
}


void
mana_bot_output_free(mana_bot_output_t *out)
{
    if (out == NULL) {
        return;
    }

    json_decref(out->state);
    json_decref(out->replies);
    json_decref(out->effect);
    out->state = NULL;
    out->replies = NULL;
    out->effect = NULL;
}


/* the snapshot's indexes */

static int
mana_bot_order_cmp(const void *a, const void *b)
{
    json_t     *x = *(json_t * const *) a, *y = *(json_t * const *) b;
    json_int_t  sx, sy;

    sx = json_integer_value(json_object_get(x, "sort"));
    sy = json_integer_value(json_object_get(y, "sort"));

    if (sx != sy) {
        return sx < sy ? -1 : 1;
    }

    return strcmp(json_string_value(json_object_get(x, "code")),
                  json_string_value(json_object_get(y, "code")));
}


static int
mana_bot_env_menus(mana_bot_env_t *env, mana_bot_cache_t *c)
{
    size_t        i, k, n, nd;
    json_t       *d, *s, **depts, **svcs;
    const char   *code;

    nd = json_array_size(env->cat->departments);
    n = json_array_size(env->cat->services);

    depts = calloc(nd ? nd : 1, sizeof(json_t *));
    svcs = calloc(n ? n : 1, sizeof(json_t *));
    c->depts = calloc(nd ? nd : 1, sizeof(mana_bot_dept_t));
    c->all = calloc(n ? n : 1, sizeof(json_t *));
    c->popular = calloc(n ? n : 1, sizeof(json_t *));

    if (depts == NULL || svcs == NULL || c->depts == NULL || c->all == NULL
        || c->popular == NULL)
    {
        free(depts);
        free(svcs);
        return -1;
    }

    k = 0;

    json_array_foreach(env->cat->departments, i, d) {
        if (!json_is_false(json_object_get(d, "enabled"))) {
            depts[k++] = d;
        }
    }

    nd = k;
    qsort(depts, nd, sizeof(json_t *), mana_bot_order_cmp);

    for (i = 0; i < nd; i++) {
        code = json_string_value(json_object_get(depts[i], "code"));
        n = 0;

        json_array_foreach(env->cat->services, k, s) {
            if (!json_is_false(json_object_get(s, "enabled"))
                && strcmp(json_string_value(json_object_get(s,
                                                            "department")),
                          code) == 0)
            {
                svcs[n++] = s;
            }
        }

        if (n == 0) {
            /* nothing to offer: not in the menu */
            continue;
        }

        qsort(svcs, n, sizeof(json_t *), mana_bot_order_cmp);

        c->depts[c->ndepts].dept = depts[i];
        c->depts[c->ndepts].svcs = &c->all[c->nall];
        c->depts[c->ndepts].nsvcs = n;
        c->ndepts++;

        for (k = 0; k < n; k++) {
            c->all[c->nall++] = svcs[k];

            if (json_is_true(json_object_get(svcs[k], "popular"))) {
                c->popular[c->npopular++] = svcs[k];
            }
        }
    }

    free(depts);
    free(svcs);

    /* grievances: the popular ones first */
    c->grievances = calloc(c->nall ? c->nall : 1, sizeof(json_t *));
    if (c->grievances == NULL) {
        return -1;
    }

    for (k = 0; k < 2; k++) {
        for (i = 0; i < c->nall; i++) {
            s = c->all[i];

            if (strcmp(json_string_value(json_object_get(s, "type")),
                       "grievance") == 0
                && json_is_true(json_object_get(s, "popular")) == !k)
            {
                c->grievances[c->ngrievances++] = s;
            }
        }
    }

    return 0;
}


/* every field pattern compiled before the first citizen needs it */
static void
mana_bot_env_patterns(mana_bot_cache_t *c)
{
    size_t   i, k;
    json_t  *f;

    for (i = 0; i < c->nall; i++) {
        json_array_foreach(json_object_get(c->all[i], "form"), k, f) {
            if (json_is_string(json_object_get(f, "pattern"))) {
                (void) mana_validate_cache_add(c->re, json_string_value(
                                   json_object_get(f, "pattern")), NULL, 0);
            }
        }
    }
}


int
mana_bot_env_init(mana_bot_env_t *env)
{
    mana_bot_cache_t  *c;

    env->cache = NULL;

    if (env->cat == NULL || env->messages == NULL) {
        return -1;
    }

    c = calloc(1, sizeof(mana_bot_cache_t));
    if (c == NULL) {
        return -1;
    }

    env->cache = c;
    c->re = mana_validate_cache_new();

    if (c->re == NULL
        || mana_bot_env_menus(env, c) != 0
        || mana_bot_words_build(env, c) != 0
        || mana_bot_forms_build(env, c) != 0
        || mana_bot_search_build(env, c) != 0)
    {
        mana_bot_env_free(env);
        return -1;
    }

    mana_bot_env_patterns(c);

    return 0;
}


void
mana_bot_env_free(mana_bot_env_t *env)
{
    mana_bot_cache_t  *c;

    c = env->cache;
    if (c == NULL) {
        return;
    }

    mana_bot_search_free(c);
    mana_validate_cache_free(c->re);
    free(c->depts);
    free(c->all);
    free(c->popular);
    free(c->grievances);
    json_decref(c->forms);
    json_decref(c->words);
    json_decref(c->langs);
    free(c);

    env->cache = NULL;
}
