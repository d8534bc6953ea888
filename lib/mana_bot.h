/*
 * The bot engine: a pure step function
 *
 *     (catalogue snapshot, session state, inbound event)
 *         -> (new state, replies, at most one effect)
 *
 * It does no I/O.  When the conversation needs the database (record a
 * consent, create an application, look a reference up), the step returns
 * an effect; the caller carries it out, in the same transaction, and steps
 * again with the same input and input.result set to its result.  A step
 * that returns an effect has no replies: the follow-up step has them.
 * Replies of every step are sent in order.
 *
 *
 * STATE (a JSON object stored per citizen; "{}" for a new one):
 *
 *   {"v":1,                      the format
 *    "lang":"te",                the citizen's language, once chosen
 *    "notice":"<version>",       the notice version accepted
 *    "at":1764230400,            the last inbound message (unix seconds)
 *    "screen":"menu",            what the last reply asked for:
 *                                lang, notice, menu, dept, pop, grv,
 *                                search, info, form, summary, edit,
 *                                status, done
 *    "page":1,                   the page of a paged list (1-based; in a
 *                                form, of the district list)
 *    "dept":"REV",               dept: the department shown
 *    "svc":"REV-INC",            info, form, summary, edit, done
 *    "field":2,                  form: the question asked (0-based; a
 *                                grievance's added photo and location
 *                                questions follow its form's fields)
 *    "answers":{"name":"..."},   form: the answers so far, normalised
 *                                (an Aadhaar number only masked, never
 *                                whole: "XXXXXXXX1234")
 *    "editing":1,                form: one answer being changed from the
 *                                summary (the summary follows it)
 *    "ref":"REV-INC-2026-..",    status: the reference looked up
 *    "next":"REV-INC",           lang, notice: a deep link to open once
 *                                the notice is accepted
 *    "stopped":1,                the citizen typed STOP: send them nothing
 *                                of our own (reminders, broadcasts) until
 *                                they write again (the next message
 *                                clears it)
 *    "pending":"application"}    an effect awaiting its result
 *
 * Keys absent mean "none".  Language is kept in the state AND reported
 * with the language effect (for templates outside the 24-hour window).
 * A form's answers leave the state with the application or grievance
 * effect.  A state whose "v" is not 1 starts over as a new citizen.
 *
 *
 * EFFECTS (effect->kind; the caller steps again with input.result):
 *
 *   {"kind":"language","lang":"te"}                   -> {"ok":true}
 *   {"kind":"consent","notice_version":"..","lang":"te"} -> {"ok":true}
 *   {"kind":"application","service":"REV-INC","department":"REV",
 *    "district":"Guntur"|null,"mandal":"Tenali"|null,
 *    "fields":{"name":"..",...},"sla_days":7}
 *       -> {"ref":"REV-INC-2026-000123","due_date":"2026-12-04"}
 *   {"kind":"grievance","service":"AGRI-ANNAG","department":"AGRI",
 *    "category":"seeds"|null,"description":".."|null,
 *    "media_id":".."|null,"location":{"latitude":..,"longitude":..}|null,
 *    "district":".."|null,"sla_days":15,"fields":{...all answers...}}
 *       -> {"ref":..,"due_date":..}
 *   {"kind":"status","ref":"REV-INC-2026-000123"}
 *       -> {"found":true,"service":"REV-INC","status":"in_review",
 *           "history":[{"status":"submitted","at":"2026-11-27 10:00"},..]}
 *          or {"found":false}
 *   {"kind":"records","service":"SED-SSCHT"}
 *       -> {"available":true|false,"cooldown":<minutes left, or 0>}
 *   {"kind":"instant","service":"SED-SSCHT","key":"<64 hex digits>"}
 *       -> {"outcome":"found","number":..,"holder":..,"link":..,
 *           "document":..|absent}
 *          or {"outcome":"missing"} or {"outcome":"cooldown","minutes":N}
 *       (instant documents: mana_bot_instant.c)
 *   {"kind":"certificates"}
 *       -> {"certificates":[{"id":"<24 hex>","number":..,"service":..,
 *                            "issued":"2026-11-27"},..]}
 *   {"kind":"certificate","id":"<24 hex>"}
 *       -> {"found":true,"number":..,"service":..,"link":..|absent,
 *           "document":..|absent} or {"found":false}
 *       (a citizen's certificates, again: mana_bot_certs.c)
 *
 * A result without what it should hold (a failed effect) gets an apology
 * and the main menu.
 *
 *
 * IDS of list rows and buttons (what input.text holds for interactive
 * and button messages):
 *
 *   lang:<code>        a language                  "lang:te"
 *   menu:<page>        a page of the main menu     "menu:2"
 *   pop[:<page>]       popular services            "pop", "pop:2"
 *   grv[:<page>]       grievance services          "grv", "grv:2"
 *   status             "track my application": ask the reference
 *   dept:<code>[:<p>]  a department's services     "dept:REV", "dept:REV:2"
 *   svc:<code>         a service                   "svc:REV-INC"
 *   opt:<id>           a choice answer; a district "opt:male",
 *                      by its English name         "opt:Guntur"
 *   dpage:<page>       a page of the district list
 *   field:<name>       the answer to change        "field:district"
 *   edit:<page>        a page of that list
 *   cert:<24 hex>      one of the citizen's certificates, to send again
 *   btn:accept|notice  the privacy notice: accept, its full text's link
 *   btn:menu|back|confirm|edit|cancel|skip         the other buttons
 *
 * The main menu's first page holds a "Quick access" section (popular
 * services, track my application, register a grievance) and the first
 * 6 departments and "More..."; later pages 9 departments and "More..."
 * (the last up to 10).  Every other list: 9 rows and "More...".
 *
 * Ids that name what they open (menu, pop, dept, svc, lang) work from any
 * screen, so a tap on an old list still does what it says.
 *
 *
 * MESSAGES: env->messages holds {"en":{key:text},"te":{...}} (the
 * "messages" of a mana-i18n/1 document, sql/seed/messages.json).  A key
 * missing in the citizen's language falls back to English, then to the
 * key itself.  Keys used are listed in mana_bot_i18n.c.  Global words come
 * from the words.* keys (comma-separated) of every language.
 */

#ifndef MANA_BOT_H
#define MANA_BOT_H

#include <jansson.h>

#include "mana_catalogue.h"


typedef struct {
    mana_catalogue_t   *cat;            /* the snapshot */
    json_t             *messages;       /* {"en":{key:text},"te":{...}} */
    json_t             *districts;      /* [{"en":..,"te":..}], or NULL */
    const char         *notice_url;     /* the full privacy notice */
    const char         *notice_version; /* e.g. a hash of its text */
    long long           session_idle;   /* seconds before a session
                                           expires; 0: never */
    void               *cache;          /* mana_bot_env_init() */
    const char         *contact;        /* the responsible officer's
                                           contact line in the notice, or
                                           NULL (an addition: zero it) */
} mana_bot_env_t;

/*
 * Builds what every step needs from the snapshot: the menu order, the
 * search index over service names and keywords in all languages, the
 * compiled intents and field patterns, the global words.  Returns 0, or
 * -1 (out of memory).  Patterns that do not compile are skipped (the
 * catalogue's validation refuses them).
 */
int mana_bot_env_init(mana_bot_env_t *env);
void mana_bot_env_free(mana_bot_env_t *env);


typedef struct {
    const char  *to;            /* reply recipient: wa_id or the BSUID */
    const char  *type;          /* text, interactive, button, location,
                                   image, document, audio, video, sticker,
                                   contacts, reaction, unsupported */
    const char  *text;          /* text body, or the id of the chosen
                                   button or list row */
    const char  *media_id;      /* image or document id, or NULL */
    int          has_location;
    double       latitude;
    double       longitude;
    long long    now;           /* unix seconds */
    json_t      *result;        /* NULL, or the result of the effect the
                                   previous step asked for */
} mana_bot_input_t;


typedef struct {
    json_t  *state;     /* the new session state (a new reference) */
    json_t  *replies;   /* array of strings: Cloud API message JSON */
    json_t  *effect;    /* NULL, or one effect to carry out */
} mana_bot_output_t;

/*
 * state: the stored session state (an empty object for a new citizen);
 * never modified.  Returns 0 with out filled, or -1 (out of memory, or a
 * bad argument) with out empty.
 */
int mana_bot_step(mana_bot_env_t *env, json_t *state,
    const mana_bot_input_t *in, mana_bot_output_t *out);
void mana_bot_output_free(mana_bot_output_t *out);

#endif /* MANA_BOT_H */
