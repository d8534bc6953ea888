/*
 * The bot engine's insides, shared by its files (mana_bot*.c): the
 * snapshot's indexes built by mana_bot_env_init() and one step's context.
 */

#ifndef MANA_BOT_INT_H
#define MANA_BOT_INT_H

#include <stddef.h>
#include <jansson.h>

#include "mana_bot.h"
#include "mana_buf.h"
#include "mana_validate.h"
#include "mana_wa_msg.h"


/* rows of a list page: 9 and "More...", or up to 10 on the last page */
#define MANA_BOT_PAGE       9
/* search results offered; the tenth row is the main menu */
#define MANA_BOT_RESULTS    9


typedef struct {
    json_t   *dept;
    json_t  **svcs;         /* enabled services, by sort then code */
    size_t    nsvcs;
} mana_bot_dept_t;


typedef struct {
    char      *token;       /* lower-cased, owned */
    unsigned   svc;         /* index into all */
    float      weight;
} mana_bot_posting_t;


typedef struct {
    mana_validate_cache_t  *re;

    mana_bot_dept_t        *depts;      /* departments with services, in
                                           menu order (sort, code) */
    size_t                  ndepts;
    json_t                **all;        /* every service offered, in menu
                                           order: the search's numbering */
    size_t                  nall;
    json_t                **popular;
    size_t                  npopular;
    json_t                **grievances; /* popular first */
    size_t                  ngrievances;

    mana_bot_posting_t     *post;       /* sorted by token */
    size_t                  npost;

    json_t                 *forms;      /* {code: fields}: a grievance's
                                           form with the optional photo and
                                           location questions added */
    json_t                 *words;      /* {"menu":["menu","hi",..],..} */
    json_t                 *langs;      /* ["te","en","hi"]: offered */
} mana_bot_cache_t;


/* one step */
typedef struct {
    mana_bot_env_t          *env;
    mana_bot_cache_t        *c;
    const mana_bot_input_t  *in;
    json_t                  *st;        /* the new state, being built */
    json_t                  *replies;
    json_t                  *effect;
    const char              *lang;
    char                   **strs;      /* strings freed with the step */
    size_t                   nstrs;
    size_t                   capstrs;
    int                      failed;
} mana_bot_t;


typedef enum {
    MANA_BOT_WORD_NONE = 0,
    MANA_BOT_WORD_MENU,
    MANA_BOT_WORD_BACK,
    MANA_BOT_WORD_HELP,
    MANA_BOT_WORD_LANGUAGE,
    MANA_BOT_WORD_STATUS,
    MANA_BOT_WORD_CANCEL,
    MANA_BOT_WORD_STOP,
    MANA_BOT_WORD_CERTS,
    MANA_BOT_WORD_YES,          /* the words below only where they fit */
    MANA_BOT_WORD_SKIP,
    MANA_BOT_WORD_MORE
} mana_bot_word_t;


/* mana_bot_i18n.c: texts in the citizen's language */
const char *mana_bot_msg(mana_bot_t *b, const char *key);
const char *mana_bot_msg_lang(mana_bot_env_t *env, const char *lang,
    const char *key);
int mana_bot_has_msg(mana_bot_t *b, const char *key);
/* key's text with {name} placeholders replaced: name, value pairs, NULL */
const char *mana_bot_fmt(mana_bot_t *b, const char *key, ...);
/* a language-keyed texts object, in the citizen's language or English */
const char *mana_bot_tr(mana_bot_t *b, json_t *texts);
/* "2026-12-04" or "2026-12-04 10:00" as the language writes dates */
const char *mana_bot_date(mana_bot_t *b, const char *iso);
/* rupees with Indian digit grouping: "1,20,000.50", "₹" first if sign */
const char *mana_bot_rupees(mana_bot_t *b, const char *number, int sign);
int mana_bot_words_build(mana_bot_env_t *env, mana_bot_cache_t *c);
/* a global word, with the rest of the text after it (status <ref>) */
mana_bot_word_t mana_bot_word(mana_bot_t *b, const char *text,
    const char **rest);
/* 1 when text is the id "btn:<id>", the button's title typed, or the
 * word (MANA_BOT_WORD_NONE: none) */
int mana_bot_is_button(mana_bot_t *b, const char *text, const char *id,
    const char *key, mana_bot_word_t word);
int mana_bot_caseeq(const char *a, const char *b);

/* mana_bot.c */
const char *mana_bot_strdup(mana_bot_t *b, const char *s, size_t n);
const char *mana_bot_sprintf(mana_bot_t *b, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));
const char *mana_bot_state_str(mana_bot_t *b, const char *key);
void mana_bot_set_str(mana_bot_t *b, const char *key, const char *v);
void mana_bot_set_int(mana_bot_t *b, const char *key, long long v);
void mana_bot_clear_flow(mana_bot_t *b);
void mana_bot_effect(mana_bot_t *b, json_t *effect);
/* a service offered (enabled, in an enabled department), or NULL */
json_t *mana_bot_service_get(mana_bot_t *b, const char *code);
mana_bot_dept_t *mana_bot_dept_get(mana_bot_t *b, const char *code);

/* mana_bot_reply.c: replies, each built with mana_wa_msg */
void mana_bot_text(mana_bot_t *b, const char *body);
/* a document Meta fetches from link: a certificate's PDF */
void mana_bot_document(mana_bot_t *b, const char *link, const char *filename,
    const char *caption);
void mana_bot_buttons(mana_bot_t *b, const char *body,
    const mana_wa_choice_t *buttons, size_t n);
void mana_bot_list(mana_bot_t *b, const char *body, const char *button,
    const mana_wa_choice_t *rows, size_t n);
void mana_bot_sections(mana_bot_t *b, const char *body, const char *button,
    const mana_wa_section_t *s, size_t n);
/* a paged list: the quick rows on the first page, then the items */
typedef struct {
    const char              *body;          /* page 1 */
    const char              *body_more;     /* key of the other pages'
                                               body ({page}, {pages}) */
    const char              *button;
    const char              *button_more;
    const char              *header;        /* page 1 */
    const char              *footer;
    const char              *quick_title;
    const mana_wa_choice_t  *quick;
    size_t                   nquick;
    const char              *title;         /* the items' section */
    const mana_wa_choice_t  *items;
    size_t                   n;
    size_t                   page;          /* 1-based */
    const char              *more_fmt;      /* the next page's id: "%d" */
} mana_bot_page_t;

void mana_bot_paged(mana_bot_t *b, const mana_bot_page_t *pg);
size_t mana_bot_pages(size_t n);
size_t mana_bot_pages_from(size_t n, size_t first);
/* buttons under a body that may be too long for them (see .c) */
void mana_bot_buttons_long(mana_bot_t *b, const char *body,
    const char *brief, const mana_wa_choice_t *buttons, size_t n);
/*
 * body with the Main menu (and Back) buttons; a body too long for them is
 * sent as a text first and brief (when given) carries the buttons
 */
void mana_bot_nav(mana_bot_t *b, const char *body, const char *brief,
    int back);

/* mana_bot_menu.c */
void mana_bot_menu(mana_bot_t *b, size_t page);
void mana_bot_dept(mana_bot_t *b, mana_bot_dept_t *d, size_t page);
void mana_bot_popular(mana_bot_t *b, size_t page);
void mana_bot_grievances(mana_bot_t *b, size_t page);
/* a service's documents in the citizen's language as bullets, or NULL */
const char *mana_bot_documents(mana_bot_t *b, json_t *svc);
void mana_bot_service(mana_bot_t *b, json_t *svc);
/* ids that open what they name: 1 when handled */
int mana_bot_menu_id(mana_bot_t *b, const char *id);

/* mana_bot_form.c */
json_t *mana_bot_form_fields(mana_bot_t *b, json_t *svc);
void mana_bot_form_start(mana_bot_t *b, json_t *svc);
void mana_bot_form_ask(mana_bot_t *b);
void mana_bot_form_input(mana_bot_t *b);
/* an answer on the screens form, summary, edit and status */
void mana_bot_flow_input(mana_bot_t *b, const char *screen);
void mana_bot_form_back(mana_bot_t *b);
void mana_bot_summary(mana_bot_t *b);
void mana_bot_edit_list(mana_bot_t *b, size_t page);
void mana_bot_status_ask(mana_bot_t *b);
/* the form's service cancelled, or whatever was going on */
void mana_bot_cancel(mana_bot_t *b);
/* 1 on the screens of a form: form, summary, edit, status */
int mana_bot_flow(const char *screen);
void mana_bot_status_lookup(mana_bot_t *b, const char *text);
void mana_bot_result(mana_bot_t *b, const char *pending);
int mana_bot_forms_build(mana_bot_env_t *env, mana_bot_cache_t *c);

/* mana_bot_instant.c: instant documents */
void mana_bot_instant_open(mana_bot_t *b, json_t *svc);
void mana_bot_instant_lookup(mana_bot_t *b, json_t *svc);
void mana_bot_instant_result(mana_bot_t *b, const char *pending);

/* mana_bot_certs.c: a citizen's certificates, sent again */
void mana_bot_certs_ask(mana_bot_t *b);
void mana_bot_certs_pick(mana_bot_t *b, const char *id);
void mana_bot_certs_result(mana_bot_t *b, const char *pending);

/* mana_bot_search.c */
int mana_bot_search_build(mana_bot_env_t *env, mana_bot_cache_t *c);
void mana_bot_search_free(mana_bot_cache_t *c);
/* service indexes (into c->all) best first; returns how many */
size_t mana_bot_search_rank(mana_bot_env_t *env, const char *text,
    size_t *out, size_t max);
void mana_bot_search(mana_bot_t *b, const char *text);

#endif /* MANA_BOT_INT_H */
