/*
 * The bot engine: whole conversations as tables of (input -> expected
 * replies), in English and Telugu, over a small fixture catalogue; every
 * reply parsed and checked against the Cloud API's limits.  Then, when
 * sql/seed/catalogue.json loads, a walk of the whole demo catalogue.
 *
 * Run from the repository's root (t/05-unit-bot.t does).
 */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "tap.h"
#include "mana_bot.h"
#include "mana_buf.h"
#include "mana_catalogue.h"
#include "mana_utf8.h"


#define T0  1764230400LL    /* 2025-11-27 08:00 UTC */


static size_t
cp(json_t *s)
{
    const char  *v = json_string_value(s);

    return v ? mana_utf8_len(v, strlen(v)) : 0;
}


/* every limit of the reference, on a parsed message; why it fails in why */
static int
within_limits(json_t *msg, const char **why)
{
    size_t   i, j, rows;
    json_t  *ia, *action, *sections, *rowsv, *buttons, *ids;

    *why = "recipient";
    if (json_string_length(json_object_get(msg, "to")) == 0
        || !json_is_string(json_object_get(msg, "messaging_product")))
    {
        return 0;
    }

    if (json_object_get(msg, "text")) {
        *why = "text body";
        i = cp(json_object_get(json_object_get(msg, "text"), "body"));
        return i >= 1 && i <= 4096;
    }

    if (json_object_get(msg, "document")) {
        *why = "document link, file name or caption";
        ia = json_object_get(msg, "document");
        return json_string_length(json_object_get(ia, "link")) > 0
               && json_string_length(json_object_get(ia, "filename")) > 0
               && cp(json_object_get(ia, "caption")) <= 1024;
    }

    ia = json_object_get(msg, "interactive");
    action = json_object_get(ia, "action");

    *why = "interactive body, header or footer";
    if (cp(json_object_get(json_object_get(ia, "body"), "text")) > 1024
        || cp(json_object_get(json_object_get(ia, "body"), "text")) == 0
        || cp(json_object_get(json_object_get(ia, "header"), "text")) > 60
        || cp(json_object_get(json_object_get(ia, "footer"), "text")) > 60)
    {
        return 0;
    }

    buttons = json_object_get(action, "buttons");

    if (buttons) {
        *why = "buttons";
        if (json_array_size(buttons) < 1 || json_array_size(buttons) > 3) {
            return 0;
        }

        for (i = 0; i < json_array_size(buttons); i++) {
            json_t  *r = json_object_get(json_array_get(buttons, i), "reply");

            if (cp(json_object_get(r, "title")) > 20
                || cp(json_object_get(r, "title")) == 0
                || json_string_length(json_object_get(r, "id")) > 256
                || json_string_length(json_object_get(r, "id")) == 0)
            {
                return 0;
            }

            for (j = 0; j < i; j++) {
                json_t  *o = json_object_get(json_array_get(buttons, j),
                                             "reply");

                if (json_equal(json_object_get(r, "title"),
                               json_object_get(o, "title"))
                    || json_equal(json_object_get(r, "id"),
                                  json_object_get(o, "id")))
                {
                    *why = "buttons not unique";
                    return 0;
                }
            }
        }

        return 1;
    }

    *why = "list";
    sections = json_object_get(action, "sections");

    if (cp(json_object_get(action, "button")) > 20
        || cp(json_object_get(action, "button")) == 0
        || json_array_size(sections) < 1 || json_array_size(sections) > 10)
    {
        return 0;
    }

    rows = 0;
    ids = json_object();

    for (i = 0; i < json_array_size(sections); i++) {
        json_t  *s = json_array_get(sections, i);

        if (cp(json_object_get(s, "title")) > 24
            || (json_array_size(sections) > 1
                && cp(json_object_get(s, "title")) == 0))
        {
            json_decref(ids);
            return 0;
        }

        rowsv = json_object_get(s, "rows");

        for (j = 0; j < json_array_size(rowsv); j++) {
            json_t      *r = json_array_get(rowsv, j);
            const char  *id = json_string_value(json_object_get(r, "id"));

            if (cp(json_object_get(r, "title")) > 24
                || cp(json_object_get(r, "title")) == 0
                || cp(json_object_get(r, "description")) > 72
                || id == NULL || strlen(id) == 0 || strlen(id) > 200
                || json_object_get(ids, id))
            {
                *why = "list row";
                json_decref(ids);
                return 0;
            }

            json_object_set_new(ids, id, json_true());
            rows++;
        }
    }

    json_decref(ids);
    return rows >= 1 && rows <= 10;
}


/* a flat view of a reply: texts and ids, '|'-separated, for substrings */
static void
flatten(json_t *v, mana_buf_t *out)
{
    size_t       i;
    json_t      *e;
    const char  *k;

    if (json_is_string(v)) {
        mana_buf_adds(out, json_string_value(v));
        mana_buf_adds(out, "|");

    } else if (json_is_object(v)) {
        json_object_foreach(v, k, e) {
            if (strcmp(k, "to") && strcmp(k, "messaging_product")
                && strcmp(k, "recipient_type") && strcmp(k, "type"))
            {
                flatten(e, out);
            }
        }

    } else if (json_is_array(v)) {
        json_array_foreach(v, i, e) {
            flatten(e, out);
        }
    }
}


/* the conversation under test */

static mana_bot_env_t   env;
static json_t          *state;
static long long        now;
static mana_buf_t       seen;
static size_t           nreplies, nchecked, nbad;
static int              verbose;


/* one step; replies checked and flattened into seen; 0 or -1 */
static int
step_raw(const char *type, const char *text, const char *media, int loc,
    double lat, double lon, json_t *result, json_t **effect)
{
    size_t             i;
    json_t            *msg;
    mana_bot_input_t   in;
    mana_bot_output_t  out;
    const char        *why;

    memset(&in, 0, sizeof(in));
    in.to = "919876543210";
    in.type = type;
    in.text = text;
    in.media_id = media;
    in.has_location = loc;
    in.latitude = lat;
    in.longitude = lon;
    in.now = now;
    in.result = result;

    if (mana_bot_step(&env, state, &in, &out) != 0) {
        return -1;
    }

    json_decref(state);
    state = json_incref(out.state);

    for (i = 0; i < json_array_size(out.replies); i++) {
        msg = json_loads(json_string_value(json_array_get(out.replies, i)),
                         0, NULL);
        nreplies++;
        nchecked++;

        if (msg == NULL || !within_limits(msg, &why)) {
            nbad++;
            printf("# reply outside the limits (%s): %s\n",
                   msg ? why : "not JSON",
                   json_string_value(json_array_get(out.replies, i)));
        }

        flatten(msg, &seen);
        mana_buf_adds(&seen, "\n");

        if (verbose) {
            printf("#   << %s\n",
                   json_string_value(json_array_get(out.replies, i)));
        }

        json_decref(msg);
    }

    *effect = out.effect ? json_incref(out.effect) : NULL;

    mana_bot_output_free(&out);
    return 0;
}


typedef struct {
    const char  *type;          /* NULL ends the table */
    const char  *text;
    long long    dt;            /* seconds after the previous turn */
    const char  *effect;        /* the effect's compact JSON must hold it */
    const char  *result;        /* fed back for the effect */
    const char  *screen;        /* the state's screen after, or NULL */
    const char  *want[5];       /* in the replies (flattened) */
    const char  *nowant;
    const char  *media;
    int          loc;
} turn_t;


static void
run(const char *name, const turn_t *turns)
{
    int           rc;
    char         *dump;
    json_t       *effect, *result;
    const char   *screen;
    size_t        i, k;
    const turn_t  *t;

    json_decref(state);
    state = json_object();
    now = T0;

    for (t = turns, i = 1; t->type; t++, i++) {
        now += t->dt ? t->dt : 5;
        mana_buf_init(&seen);
        nreplies = 0;

        if (verbose) {
            printf("# >> %s %s\n", t->type, t->text ? t->text : "");
        }

        rc = step_raw(t->type, t->text, t->media, t->loc, 16.5, 80.25,
                      NULL, &effect);

        ok(rc == 0, "%s %zu: step '%s'", name, i, t->text ? t->text : "");

        dump = effect ? json_dumps(effect, JSON_COMPACT | JSON_SORT_KEYS)
                      : NULL;

        if (t->effect) {
            ok(dump && strstr(dump, t->effect), "%s %zu: effect has %s",
               name, i, t->effect);

            if (!(dump && strstr(dump, t->effect))) {
                printf("#   effect: %s\n", dump ? dump : "(none)");
            }

            ok(nreplies == 0, "%s %zu: no replies with an effect", name, i);

        } else {
            ok(dump == NULL, "%s %zu: no effect", name, i);

            if (dump) {
                printf("#   effect: %s\n", dump);
            }
        }

        if (effect) {
            json_decref(effect);
            result = json_loads(t->result ? t->result : "{\"ok\":true}", 0,
                                NULL);
            rc = step_raw("text", t->text, NULL, 0, 0, 0, result, &effect);
            json_decref(result);
            ok(rc == 0 && effect == NULL, "%s %zu: the result's step", name,
               i);
            json_decref(effect);
        }

        free(dump);

        mana_buf_add(&seen, "", 1);

        for (k = 0; k < 5 && t->want[k]; k++) {
            ok(strstr(seen.data, t->want[k]) != NULL, "%s %zu: '%s'", name,
               i, t->want[k]);

            if (strstr(seen.data, t->want[k]) == NULL) {
                printf("#   replies: %s\n", seen.data);
            }
        }

        if (t->nowant) {
            ok(strstr(seen.data, t->nowant) == NULL, "%s %zu: not '%s'",
               name, i, t->nowant);
        }

        if (t->screen) {
            screen = json_string_value(json_object_get(state, "screen"));
            is_str(screen, t->screen, "%s %zu: screen %s", name, i,
                   t->screen);
        }

        mana_buf_free(&seen);
    }
}


#define TEXT(s)   "text", s
#define TAP(s)    "interactive", s

static const turn_t  english[] = {
    /* first contact: the language, then the notice, then the menu */
    { TEXT("Hi"), 0, NULL, NULL, "lang",
      { "lang:en", "lang:te", "lang:hi", "Please choose your language",
        "తెలుగు" }, NULL, NULL, 0 },
    { TAP("lang:en"), 0, "\"kind\":\"language\",\"lang\":\"en\"", NULL,
      "notice",
      { "Your data on Mana Mitra", "https://mana.example/privacy",
        "btn:accept", "OK, continue", "Grievance Officer, 1902" },
      NULL, NULL, 0 },
    { TAP("btn:accept"), 0,
      "\"kind\":\"consent\",\"lang\":\"en\",\"notice_version\":\"v1\"",
      NULL, "menu",
      { "Thank you.", "dept:REV", "pop|", "Quick access", "grv|" },
      NULL, NULL, 0 },

    /* a department, its pages, back */
    { TAP("dept:REV"), 0, NULL, NULL, "dept",
      { "Services of Revenue (1/2)", "svc:REV-INC", "dept:REV:2",
        "More...", "Page 2 of 2" }, "svc:REV-I03", NULL, 0 },
    { TAP("dept:REV:2"), 0, NULL, NULL, "dept",
      { "Services of Revenue (2/2)", "svc:REV-I03", "svc:REV-I07" },
      "svc:REV-INC", NULL, 0 },
    { TEXT("back"), 0, NULL, NULL, "dept",
      { "Services of Revenue (1/2)" }, NULL, NULL, 0 },

    /* an information service */
    { TAP("svc:REV-LAND"), 0, NULL, NULL, "info",
      { "See your Adangal and 1-B on Meebhoomi", "Documents required",
        "Survey number", "*Fee:* none", "1902" }, NULL, NULL, 0 },
    { TAP("btn:back"), 0, NULL, NULL, "dept",
      { "Services of Revenue (1/2)" }, NULL, NULL, 0 },

    /* an application: an invalid answer corrected, Edit, Confirm */
    { TAP("svc:REV-INC"), 0, NULL, NULL, "form",
      { "apply for *Income certificate*", "4 questions", "Aadhaar card",
        "(1/4) Please send: *Applicant's full name*" }, NULL, NULL, 0 },
    { TEXT("Ravi Kumar"), 0, NULL, NULL, "form",
      { "(2/4) Please send: *Father's or husband's name*" }, NULL, NULL, 0 },
    { TEXT("K1ng"), 0, NULL, NULL, "form",
      { "doesn't fit *Father's or husband's name*", "letters only",
        "(2/4)" }, NULL, NULL, 0 },
    { TEXT("Venkata Rao"), 0, NULL, NULL, "form",
      { "(3/4) *Your district*", "opt:Srikakulam", "dpage:2" },
      NULL, NULL, 0 },
    { TEXT("Gotham"), 0, NULL, NULL, "form",
      { "doesn't fit *Your district*", "district from the list" },
      NULL, NULL, 0 },
    { TAP("dpage:2"), 0, NULL, NULL, "form",
      { "opt:Guntur", "dpage:3" }, "opt:Srikakulam", NULL, 0 },
    { TAP("opt:Guntur"), 0, NULL, NULL, "form",
      { "(4/4) Please send: *Annual family income in rupees*" },
      NULL, NULL, 0 },
    { TEXT("one lakh"), 0, NULL, NULL, "form",
      { "amount in rupees using digits" }, NULL, NULL, 0 },
    { TEXT("1,20,000"), 0, NULL, NULL, "summary",
      { "check your application for *Income certificate*",
        "Applicant's full name: Ravi Kumar", "Your district: Guntur",
        "\xe2\x82\xb9" "1,20,000", "btn:confirm" }, NULL, NULL, 0 },
    { TAP("btn:edit"), 0, NULL, NULL, "edit",
      { "Which answer would you like to change?", "field:name",
        "field:annual_income", "Venkata Rao" }, NULL, NULL, 0 },
    { TAP("field:annual_income"), 0, NULL, NULL, "form",
      { "(4/4) Please send: *Annual family income" }, NULL, NULL, 0 },
    { TEXT("150000"), 0, NULL, NULL, "summary",
      { "\xe2\x82\xb9" "1,50,000", "Ravi Kumar" }, NULL, NULL, 0 },
    { TAP("btn:confirm"), 0,
      "\"annual_income\":\"150000\",\"district\":\"Guntur\","
      "\"father_name\":\"Venkata Rao\",\"name\":\"Ravi Kumar\"}",
      "{\"ref\":\"REV-INC-2025-000123\",\"due_date\":\"2025-12-04\"}",
      "done",
      { "Your application *REV-INC-2025-000123*", "*04-12-2025*",
        "btn:menu" }, NULL, NULL, 0 },

    /* status: found, then not found */
    { TEXT("status rev-inc-2025-000123"), 0,
      "{\"kind\":\"status\",\"ref\":\"REV-INC-2025-000123\"}",
      "{\"found\":true,\"service\":\"REV-INC\",\"status\":\"in_review\","
      "\"history\":[{\"status\":\"submitted\",\"at\":\"2025-11-27 10:00\"},"
      "{\"status\":\"in_review\",\"at\":\"2025-11-28 09:30\"}]}",
      "done",
      { "*REV-INC-2025-000123*: Under review", "Income certificate",
        "History:", "27-11-2025 10:00: Submitted",
        "Last updated: 28-11-2025 09:30" }, NULL, NULL, 0 },
    { TAP("status"), 0, NULL, NULL, "status",
      { "reference number (for example REV-INC-2025-000123)" },
      NULL, NULL, 0 },
    { TEXT("hello world"), 0, NULL, NULL, "status",
      { "doesn't look like a reference number" }, NULL, NULL, 0 },
    { TEXT("REV-XYZ-2025-000999"), 0,
      "\"ref\":\"REV-XYZ-2025-000999\"", "{\"found\":false}", "done",
      { "couldn't find *REV-XYZ-2025-000999*" }, NULL, NULL, 0 },

    /* a grievance with a photo and a location */
    { TAP("grv"), 0, NULL, NULL, "grv",
      { "What is your complaint about?", "svc:REV-GRV", "svc:HLTH-GRV" },
      NULL, NULL, 0 },
    { TAP("svc:REV-GRV"), 0, NULL, NULL, "form",
      { "(1/4) *What is the problem about?*", "opt:bribe",
        "Open the list" }, NULL, NULL, 0 },
    { TAP("opt:bribe"), 0, NULL, NULL, "form",
      { "(2/4) Please send: *Describe the problem" }, NULL, NULL, 0 },
    { TEXT("too short"), 0, NULL, NULL, "form",
      { "doesn't fit *Describe the problem" }, NULL, NULL, 0 },
    { TEXT("The clerk asked for money to issue a certificate."), 0, NULL,
      NULL, "form",
      { "If you have a photo of the problem", "btn:skip" }, NULL, NULL, 0 },
    { TEXT("a picture"), 0, NULL, NULL, "form",
      { "Please send a photo", "If you have a photo" }, NULL, NULL, 0 },
    { "image", NULL, 0, NULL, NULL, "form",
      { "share the place", "btn:skip" }, NULL, "MEDIA-1234", 0 },
    { "location", NULL, 0,
      "\"category\":\"bribe\",\"department\":\"REV\",\"description\":"
      "\"The clerk asked for money to issue a certificate.\","
      "\"district\":null,\"fields\":{\"category\":\"bribe\","
      "\"description\":\"The clerk asked for money to issue a certificate."
      "\"},\"kind\":\"grievance\",\"location\":{\"latitude\":16.5,"
      "\"longitude\":80.25},\"media_id\":\"MEDIA-1234\","
      "\"service\":\"REV-GRV\",\"sla_days\":15}",
      "{\"ref\":\"REV-GRV-2025-000007\",\"due_date\":\"2025-12-12\"}",
      "done",
      { "Your grievance *REV-GRV-2025-000007* has been registered with "
        "Revenue", "*12-12-2025*" }, NULL, NULL, 1 },

    /* cancel midway */
    { TAP("svc:REV-INC"), 0, NULL, NULL, "form", { "(1/4)" }, NULL, NULL,
      0 },
    { TEXT("Ravi"), 0, NULL, NULL, "form", { "(2/4)" }, NULL, NULL, 0 },
    { TEXT("Cancel"), 0, NULL, NULL, "menu",
      { "Your application for Income certificate was cancelled",
        "dept:REV" }, NULL, NULL, 0 },

    /* popular services, coming soon */
    { TAP("pop"), 0, NULL, NULL, "pop",
      { "The services people use most", "svc:REV-INC", "svc:HLTH-AAR" },
      NULL, NULL, 0 },
    { TAP("svc:REV-COPY"), 0, "\"kind\":\"records\",\"service\":\"REV-COPY\"",
      "{\"available\":false}", "info",
      { "*Certified copy* right here on WhatsApp is coming soon" },
      NULL, NULL, 0 },
    { TAP("svc:REV-PAY"), 0, NULL, NULL, "info",
      { "Paying for *Land revenue payment* on WhatsApp is coming soon" },
      NULL, NULL, 0 },

    /* language switch and back */
    { TEXT("language"), 0, NULL, NULL, "lang",
      { "Which language would you like to use?", "lang:te" }, NULL, NULL,
      0 },
    { TAP("lang:te"), 0, "\"lang\":\"te\"", NULL, "menu",
      { "ఇకపై మీతో తెలుగులో మాట్లాడతాను", "రెవెన్యూ" }, NULL, NULL, 0 },
    { TAP("lang:en"), 0, "\"lang\":\"en\"", NULL, "menu",
      { "talk to you in English", "Revenue" }, NULL, NULL, 0 },

    /* search: a hit (the best first), a Telugu hit, a miss */
    { TEXT("I need an income certificate"), 0, NULL, NULL, "search",
      { "I found these for \"I need an income certificate\"",
        "|svc:REV-INC|" }, NULL, NULL, 0 },
    { TEXT("ఆసుపత్రి"), 0, NULL, NULL, "search",
      { "svc:HLTH-AAR", "svc:HLTH-GRV" }, "svc:REV-INC", NULL, 0 },
    { TEXT("xyzzy plugh"), 0, NULL, NULL, "done",
      { "couldn't find a service for \"xyzzy plugh\"", "btn:menu" },
      NULL, NULL, 0 },

    /* a deep link; every kind of question; back; expiry */
    { TEXT("rev-cst"), 0, NULL, NULL, "form",
      { "apply for *Caste certificate*", "(1/6)" }, NULL, NULL, 0 },
    { TEXT("Sita Devi"), 0, NULL, NULL, "form", { "(2/6)" }, NULL, NULL,
      0 },
    { TEXT("31-02-2000"), 0, NULL, NULL, "form",
      { "date as DD-MM-YYYY", "(2/6)" }, NULL, NULL, 0 },
    { TEXT("15/8/1990"), 0, NULL, NULL, "form",
      { "(3/6) *Gender*", "opt:male", "opt:transgender", "btn:skip" },
      NULL, NULL, 0 },
    { TEXT("skip"), 0, NULL, NULL, "form",
      { "(4/6) Please send: *Religion*", "opt:hindu", "opt:muslim" },
      NULL, NULL, 0 },
    { TEXT("2"), 0, NULL, NULL, "form",
      { "(5/6) *Aadhaar number", "optional", "btn:skip" }, NULL, NULL, 0 },
    { TEXT("2341 2341 2345"), 0, NULL, NULL, "form",
      { "not a valid Aadhaar number" }, NULL, NULL, 0 },
    { TEXT("2341 2341 2346"), 0, NULL, NULL, "form",
      { "(6/6) Please send: *Mobile number*" }, NULL, NULL, 0 },
    { TEXT("+91 98765 43210"), 0, NULL, NULL, "summary",
      { "Aadhaar number (optional, not stored): XXXXXXXX2346",
        "Mobile number: 9876543210", "Religion: Muslim", "Gender: -",
        "Date of birth (DD-MM-YYYY): 15-08-1990" }, "234123412346", NULL,
      0 },
    { TAP("btn:back"), 0, NULL, NULL, "form", { "(6/6)" }, NULL, NULL, 0 },
    { TEXT("9876543210"), 0, NULL, NULL, "summary",
      { "Caste certificate" }, NULL, NULL, 0 },
    { TAP("btn:confirm"), 3600, NULL, NULL, "menu",
      { "Your unfinished form for Caste certificate was closed",
        "dept:REV" }, NULL, NULL, 0 },

    /* other kinds of message, help, a status service, stop */
    { "sticker", NULL, 0, NULL, NULL, "menu",
      { "I can read text, buttons and lists" }, NULL, NULL, 0 },
    { TEXT("Help"), 0, NULL, NULL, "menu",
      { "type what you need in your own words", "dept:REV" }, NULL, NULL,
      0 },
    { TAP("svc:REV-STAT"), 0, NULL, NULL, "form",
      { "(1/1) Please send: *Application or reference number*" }, NULL,
      NULL, 0 },
    { TEXT("AP/2025/77"), 0, "\"ref\":\"AP/2025/77\"", "{\"found\":false}",
      "done", { "couldn't find *AP/2025/77*" }, NULL, NULL, 0 },
    { TEXT("HLTH"), 0, NULL, NULL, "dept",
      { "Services of Health (1/1)", "svc:HLTH-AAR" }, NULL, NULL, 0 },
    { TEXT("STOP"), 0, "{\"kind\":\"withdraw\",\"lang\":\"en\"", NULL,
      "done", { "You will not get any more messages" }, NULL, NULL, 0 },
    { TEXT("hi"), 0, NULL, NULL, "menu",
      { "Welcome back! Messages from Mana Mitra are on again",
        "dept:REV" }, NULL, NULL, 0 },
    { "reaction", NULL, 0, NULL, NULL, "menu", { NULL }, "|", NULL, 0 },
    { NULL, NULL, 0, NULL, NULL, NULL, { NULL }, NULL, NULL, 0 }
};


static const turn_t  telugu[] = {
    { TEXT("నమస్కారం"), 0, NULL, NULL, "lang",
      { "మీ భాషను ఎంచుకోండి", "lang:te" }, NULL, NULL, 0 },
    { TEXT("తెలుగు"), 0, "\"lang\":\"te\"", NULL, "notice",
      { "మన మిత్రలో మీ సమాచారం", "సరే, కొనసాగించండి" }, NULL, NULL, 0 },
    { TAP("btn:accept"), 0, "\"lang\":\"te\"", NULL, "menu",
      { "ధన్యవాదాలు", "త్వరిత సేవలు", "రెవెన్యూ" }, NULL, NULL, 0 },
    { TAP("dept:REV"), 0, NULL, NULL, "dept",
      { "రెవెన్యూ సేవలు (1/2)", "ఆదాయ ధృవీకరణ పత్రం", "మరిన్ని..." },
      NULL, NULL, 0 },
    { TEXT("వెనక్కి"), 0, NULL, NULL, "menu", { "త్వరిత సేవలు" }, NULL,
      NULL, 0 },
    { TEXT("ఆదాయ ధృవీకరణ పత్రం కావాలి"), 0, NULL, NULL, "search",
      { "|svc:REV-INC|", "కోసం ఇవి దొరికాయి" }, NULL, NULL, 0 },
    { TAP("svc:REV-INC"), 0, NULL, NULL, "form",
      { "*ఆదాయ ధృవీకరణ పత్రం* కోసం దరఖాస్తు ప్రారంభిద్దాం", "ఆధార్ కార్డు",
        "(1/4) దయచేసి పంపండి: *దరఖాస్తుదారు పూర్తి పేరు*" }, NULL, NULL,
      0 },
    { TEXT("రవి కుమార్"), 0, NULL, NULL, "form", { "(2/4)" }, NULL, NULL,
      0 },
    { TEXT("వెంకట రావు"), 0, NULL, NULL, "form",
      { "(3/4) *మీ జిల్లా*", "opt:Srikakulam", "శ్రీకాకుళం" }, NULL,
      NULL, 0 },
    { TEXT("గుంటూరు"), 0, NULL, NULL, "form", { "(4/4)" }, NULL, NULL, 0 },
    { TEXT("చాలా"), 0, NULL, NULL, "form",
      { "ఈ జవాబు సరిపోలేదు", "రూపాయల్లో అంకెల్లో" }, NULL, NULL, 0 },
    { TEXT("120000"), 0, NULL, NULL, "summary",
      { "దరఖాస్తు వివరాలు సరిచూసుకోండి", "మీ జిల్లా: గుంటూరు",
        "\xe2\x82\xb9" "1,20,000" }, NULL, NULL, 0 },
    { TEXT("అవును"), 0, "\"name\":\"రవి కుమార్\"",
      "{\"ref\":\"REV-INC-2025-000124\",\"due_date\":\"2025-12-04\"}",
      "done", { "మీ దరఖాస్తు *REV-INC-2025-000124* సమర్పించబడింది" },
      NULL, NULL, 0 },
    { TEXT("స్థితి REV-INC-2025-000124"), 0,
      "\"ref\":\"REV-INC-2025-000124\"",
      "{\"found\":true,\"service\":\"REV-INC\",\"status\":\"in_review\","
      "\"history\":[{\"status\":\"submitted\",\"at\":\"2025-11-27 10:00\"}]}",
      "done", { "పరిశీలనలో ఉంది", "పురోగతి:" }, NULL, NULL, 0 },
    { TEXT("సహాయం"), 0, NULL, NULL, "menu",
      { "మీకు కావలసింది మీ మాటల్లో టైప్ చేయవచ్చు" }, NULL, NULL, 0 },
    { TAP("svc:HLTH-GRV"), 0, NULL, NULL, "form",
      { "ఏం జరిగింది?", "opt:staff" }, NULL, NULL, 0 },
    { TEXT("రద్దు"), 0, NULL, NULL, "menu",
      { "ఆసుపత్రి ఫిర్యాదు దరఖాస్తు రద్దు చేయబడింది" }, NULL, NULL, 0 },
    { TEXT("భాష"), 0, NULL, NULL, "lang",
      { "మీరు ఏ భాషలో మాట్లాడాలనుకుంటున్నారు?" }, NULL, NULL, 0 },
    { TEXT("xyzzy"), 0, NULL, NULL, "done",
      { "సరిపోయే సేవ దొరకలేదు" }, NULL, NULL, 0 },
    { NULL, NULL, 0, NULL, NULL, NULL, { NULL }, NULL, NULL, 0 }
};


/* a stored state of another format, a result nobody asked for, bad input */
/*
 * An instant document (a hall ticket): the lookup fields asked and
 * validated like a form's, the lookup effect carrying only the record's
 * key, and the three outcomes.  key_effect holds the key as the record's
 * import computes it (see instant_key()), filled before the table runs.
 */

static char  key_effect[96];

#define HALL_TICKET_LINK  "HTTPS://VERIFY.EXAMPLE/C/ABCDEFGH234567"

static const turn_t  instant[] = {
    { TEXT("Hi"), 0, NULL, NULL, "lang", { "lang:en" }, NULL, NULL, 0 },
    { TAP("lang:en"), 0, "\"kind\":\"language\"", NULL, "notice",
      { "btn:accept" }, NULL, NULL, 0 },
    { TAP("btn:accept"), 0, "\"kind\":\"consent\"", NULL, "menu",
      { "dept:TRN" }, NULL, NULL, 0 },

    /* offered from its department's list */
    { TAP("dept:TRN"), 0, NULL, NULL, "dept", { "svc:TRN-HT" }, NULL, NULL,
      0 },

    /* no records imported yet: nothing is asked */
    { TAP("svc:TRN-HT"), 0, "\"kind\":\"records\",\"service\":\"TRN-HT\"",
      "{\"available\":false}", "info",
      { "*Hall ticket* right here on WhatsApp is coming soon" },
      "Roll number", NULL, 0 },

    /* records there: the lookup fields, validated */
    { TAP("svc:TRN-HT"), 0, "\"kind\":\"records\",\"service\":\"TRN-HT\"",
      "{\"available\":true}", "form",
      { "To get your Hall ticket here at once, please answer 2 questions.",
        "(1/2) Please send: *Roll number (10 digits)*" }, NULL, NULL, 0 },
    { TEXT("12345"), 0, NULL, NULL, "form",
      { "doesn't fit *Roll number (10 digits)*", "(1/2)" }, NULL, NULL, 0 },
    { TEXT("2026100234"), 0, NULL, NULL, "form",
      { "(2/2) Please send: *Date of birth (DD-MM-YYYY)*" }, NULL, NULL, 0 },
    { TEXT("31-02-2009"), 0, NULL, NULL, "form",
      { "doesn't fit *Date of birth (DD-MM-YYYY)*", "(2/2)" }, NULL, NULL,
      0 },

    /* no such record: a clear answer, and the questions again */
    { TEXT("14/03/2009"), 0, key_effect, "{\"outcome\":\"missing\"}",
      "form",
      { "No Hall ticket matches those details. Please check them and try "
        "again.", "(1/2) Please send: *Roll number (10 digits)*" },
      NULL, NULL, 0 },
    { TEXT("2026100234"), 0, NULL, NULL, "form", { "(2/2)" }, NULL, NULL,
      0 },

    /* found: the document at once */
    { TEXT("14-03-2009"), 0, key_effect,
      "{\"outcome\":\"found\",\"number\":\"2026100234\","
      "\"holder\":\"Ravi Kumar\",\"link\":\"" HALL_TICKET_LINK "\"}",
      "done",
      { "Here is your Hall ticket, Ravi Kumar.\nNumber: *2026100234*\n"
        "Anyone can check that it is genuine here: " HALL_TICKET_LINK,
        "btn:menu" }, NULL, NULL, 0 },

    /* in a cool-down: told how long, not asked again */
    { TAP("svc:TRN-HT"), 0, "\"kind\":\"records\"",
      "{\"available\":true}", "form", { "(1/2)" }, NULL, NULL, 0 },
    { TEXT("2026100299"), 0, NULL, NULL, "form", { "(2/2)" }, NULL, NULL,
      0 },
    { TEXT("01-01-2009"), 0, "\"kind\":\"instant\"",
      "{\"outcome\":\"cooldown\",\"minutes\":12}", "done",
      { "Too many attempts with details that match no Hall ticket. To "
        "keep everyone's documents safe, please try again in 12 "
        "minutes." }, "(1/2)", NULL, 0 },

    /* still in it when the service is opened again: no questions */
    { TAP("svc:TRN-HT"), 0, "\"kind\":\"records\"",
      "{\"available\":true,\"cooldown\":7}", "done",
      { "please try again in 7 minutes." }, "(1/2)", NULL, 0 },

    { NULL, NULL, 0, NULL, NULL, NULL, { NULL }, NULL, NULL, 0 }
};


/*
 * A citizen's certificates, again: none yet; several, listed as the
 * server sent them; one picked, sent as its PDF where the server gives a
 * document link, as its verification link where it does not; a pick the
 * server does not find among the citizen's; an id that is not one.
 */

#define CERT_A  "0123456789abcdef01234567"
#define CERT_B  "fedcba9876543210fedcba98"

static const turn_t  certs[] = {
    { TEXT("Hi"), 0, NULL, NULL, "lang", { "lang:en" }, NULL, NULL, 0 },
    { TAP("lang:en"), 0, "\"kind\":\"language\"", NULL, "notice",
      { "btn:accept" }, NULL, NULL, 0 },
    { TAP("btn:accept"), 0, "\"kind\":\"consent\"", NULL, "menu",
      { "dept:REV" }, NULL, NULL, 0 },

    { TEXT("certificates"), 0, "{\"kind\":\"certificates\"}",
      "{\"certificates\":[]}", "done",
      { "No certificate has been issued to this number yet", "btn:menu" },
      NULL, NULL, 0 },

    { TEXT("My Certificates"), 0, "{\"kind\":\"certificates\"}",
      "{\"certificates\":[{\"id\":\"" CERT_A "\",\"number\":"
      "\"REV-INC-2026-000123\",\"service\":\"REV-INC\",\"issued\":"
      "\"2026-11-27\"},{\"id\":\"" CERT_B "\",\"number\":\"2026100234\","
      "\"service\":\"TRN-HT\",\"issued\":\"2026-03-01\"}]}", "done",
      { "Your certificates. Choose one to get it again.",
        "cert:" CERT_A "|Income certificate|REV-INC-2026-000123, issued ",
        "cert:" CERT_B "|Hall ticket|2026100234, issued ",
        "Issued to you" }, NULL, NULL, 0 },

    { TAP("cert:" CERT_A), 0,
      "{\"id\":\"" CERT_A "\",\"kind\":\"certificate\"}",
      "{\"found\":true,\"number\":\"REV-INC-2026-000123\",\"service\":"
      "\"REV-INC\",\"link\":\"HTTPS://V.EXAMPLE/C/ABC\",\"document\":"
      "\"https://v.example/D/tok\"}", "done",
      { "https://v.example/D/tok|REV-INC-2026-000123.pdf|Your Income "
        "certificate\nCertificate number: *REV-INC-2026-000123*" },
      "HTTPS://V.EXAMPLE/C/ABC", NULL, 0 },

    { TAP("cert:" CERT_B), 0, "\"kind\":\"certificate\"",
      "{\"found\":true,\"number\":\"2026100234\",\"service\":"
      "\"TRN-HT\",\"link\":\"HTTPS://V.EXAMPLE/C/DEF\"}", "done",
      { "Your Hall ticket\nCertificate number: *2026100234*\nAnyone can "
        "check that it is genuine here: HTTPS://V.EXAMPLE/C/DEF",
        "btn:menu" }, ".pdf", NULL, 0 },

    { TAP("cert:" CERT_B), 0, "\"kind\":\"certificate\"",
      "{\"found\":false}", "done",
      { "That certificate is not one of yours, or it is no longer valid." },
      NULL, NULL, 0 },

    { TAP("cert:../../etc"), 0, NULL, NULL, NULL,
      { "That certificate is not one of yours" }, NULL, NULL, 0 },

    { NULL, NULL, 0, NULL, NULL, NULL, { NULL }, NULL, NULL, 0 }
};


static void
test_certs(void)
{
    json_t  *effect, *result;

    run("certs", certs);

    /*
     * Only one: sent at once, the pick's effect straight from the list's
     * result (the harness's tables take one effect a turn)
     */
    effect = NULL;
    ok(step_raw("text", "certificates", NULL, 0, 0, 0, NULL, &effect) == 0
       && effect != NULL, "certs: one certificate: the list asked");
    json_decref(effect);
    result = json_loads("{\"certificates\":[{\"id\":\"" CERT_A "\","
                        "\"number\":\"N-1\",\"service\":\"REV-INC\","
                        "\"issued\":\"2026-11-27\"}]}", 0, NULL);
    effect = NULL;
    ok(step_raw("text", "certificates", NULL, 0, 0, 0, result, &effect) == 0
       && effect != NULL
       && strcmp(json_string_value(json_object_get(effect, "kind")),
                 "certificate") == 0
       && strcmp(json_string_value(json_object_get(effect, "id")), CERT_A)
          == 0, "certs: one certificate: it is asked for at once");
    json_decref(result);
    json_decref(effect);
}


/* the record key as lib/mana_records.h defines its bytes, computed here */
static int
instant_key(const char *service, const char *roll, const char *dob,
    char *out, size_t size)
{
    size_t         i, n;
    unsigned int   len;
    unsigned char  md[32];
    const char    *parts[] = {
        "mana-record-key/1", service, "roll_no", roll, "dob", dob
    };
    static const char  hex[] = "0123456789abcdef";

    mana_buf_t  in;

    mana_buf_init(&in);

    for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        mana_buf_add(&in, parts[i], strlen(parts[i]) + 1);
    }

    if (mana_buf_failed(&in)
        || EVP_Digest(in.data, in.len, md, &len, EVP_sha256(), NULL) != 1
        || size < 10 + 64 + 2)
    {
        mana_buf_free(&in);
        return -1;
    }

    mana_buf_free(&in);

    n = (size_t) snprintf(out, size, "\"key\":\"");

    for (i = 0; i < len; i++) {
        out[n++] = hex[md[i] >> 4];
        out[n++] = hex[md[i] & 15];
    }

    out[n++] = '"';
    out[n] = '\0';

    return 0;
}


static void
test_instant(void)
{
    ok(instant_key("TRN-HT", "2026100234", "14-03-2009", key_effect,
                   sizeof(key_effect)) == 0, "instant: the record key");

    run("instant", instant);

    /* the answers (a date of birth) left with the lookup */
    ok(json_object_get(state, "answers") == NULL,
       "instant: no answers kept in the session");
}


static void
test_edges(void)
{
    json_t            *old, *r;
    mana_bot_input_t   in;
    mana_bot_output_t  out;
    char               big[600];

    memset(&in, 0, sizeof(in));
    in.to = "IN.1502576394655843";
    in.type = "text";
    in.text = "hi";
    in.now = T0;

    old = json_pack("{s:i,s:s}", "v", 99, "lang", "en");
    ok(mana_bot_step(&env, old, &in, &out) == 0
       && json_integer_value(json_object_get(out.state, "v")) == 1
       && json_object_get(out.state, "lang") == NULL,
       "a state of another version starts over");
    ok(json_integer_value(json_object_get(old, "v")) == 99,
       "the stored state is not modified");
    mana_bot_output_free(&out);
    json_decref(old);

    r = json_pack("{s:b}", "ok", 1);
    in.result = r;
    old = json_pack("{s:i,s:s,s:s,s:s}", "v", 1, "lang", "en", "notice",
                    "v1", "screen", "menu");
    ok(mana_bot_step(&env, old, &in, &out) == 0
       && json_array_size(out.replies) == 0 && out.effect == NULL,
       "a result nobody asked for: nothing");
    mana_bot_output_free(&out);

    /* an effect's result that is an error: an apology and the menu */
    json_object_set_new(old, "pending", json_string("application"));
    json_object_set_new(old, "svc", json_string("REV-INC"));
    json_decref(r);
    r = json_pack("{s:s}", "error", "database");
    in.result = r;
    ok(mana_bot_step(&env, old, &in, &out) == 0
       && json_array_size(out.replies) == 2
       && strstr(json_string_value(json_array_get(out.replies, 0)),
                 "something went wrong") != NULL,
       "a failed effect: an apology and the menu");
    mana_bot_output_free(&out);
    json_decref(r);
    json_decref(old);

    /* a summary too long for a button message: text, then the buttons */
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    old = json_pack("{s:i,s:s,s:s,s:s,s:s,s:{s:s,s:s,s:s,s:s}}", "v", 1,
                    "lang", "en", "notice", "v1", "screen", "edit", "svc",
                    "REV-INC", "answers", "name", big, "father_name", big,
                    "district", "Guntur", "annual_income", "1000");
    in.result = NULL;
    in.text = "back";
    ok(mana_bot_step(&env, old, &in, &out) == 0
       && json_array_size(out.replies) == 2
       && strstr(json_string_value(json_array_get(out.replies, 0)),
                 "\"type\":\"text\"")
       && strstr(json_string_value(json_array_get(out.replies, 1)),
                 "btn:confirm")
       && strstr(json_string_value(json_array_get(out.replies, 1)),
                 "aaaa") == NULL,
       "a long summary: the whole as a text, then the buttons");
    mana_bot_output_free(&out);
    json_decref(old);

    ok(mana_bot_step(NULL, NULL, &in, &out) == -1, "no env: -1");
    ok(mana_bot_step(&env, NULL, NULL, &out) == -1, "no input: -1");
}


/* every message key the engine uses exists in every seed language */
static void
test_keys(json_t *messages)
{
    static const char  *keys[] = {
        "lang.prompt", "lang.choose.body", "lang.changed", "privacy.notice",
        "privacy.accept.button", "privacy.full.button", "privacy.accepted",
        "menu.header", "menu.body", "menu.footer", "menu.button",
        "menu.section.popular", "menu.section.departments",
        "menu.row.popular", "menu.row.popular.desc", "menu.row.status",
        "menu.row.status.desc", "menu.row.grievance",
        "menu.row.grievance.desc", "menu.row.more", "menu.row.more.desc",
        "dept.list.body", "dept.list.button", "service.list.body",
        "service.list.button", "service.list.section", "popular.list.body",
        "popular.list.button", "popular.list.section", "info.content",
        "info.documents", "info.fee", "info.no_fee", "info.sla",
        "info.contact", "instant.soon", "payment.soon", "instant.start",
        "instant.ready", "instant.not_found", "instant.cooldown",
        "instant.document", "certs.none", "certs.list.body",
        "certs.list.button", "certs.list.section", "certs.row.desc",
        "certs.document", "certs.link", "certs.not_found",
        "nav.back.button",
        "nav.menu.button", "app.start", "app.documents.note", "app.ask",
        "app.ask.optional", "app.ask.choice.body", "app.choice.button",
        "app.skip.button", "app.invalid", "app.summary.body",
        "app.confirm.button", "app.edit.button", "app.cancel.button",
        "app.edit.body", "app.edit.section", "app.confirmed",
        "app.cancelled", "grievance.category.body",
        "grievance.category.button", "grievance.photo",
        "grievance.location", "grievance.registered", "status.ask",
        "status.result", "status.history.header", "status.history.line",
        "status.due", "status.rejected.reason", "status.not_found",
        "search.results.body", "search.results.button",
        "search.results.section", "search.none", "help.text",
        "session.expired", "session.cancelled", "stop.done", "stop.resumed",
        "error.generic", "error.unsupported", "validation.text",
        "validation.name", "validation.number", "validation.amount",
        "validation.date", "validation.phone", "validation.email",
        "validation.pincode", "validation.aadhaar", "validation.ifsc",
        "validation.district", "validation.choice", "validation.reference",
        "validation.photo", "validation.location", "validation.too_long",
        "words.menu", "words.back", "words.help", "words.language",
        "words.status", "words.cancel", "words.stop", "words.yes",
        "words.skip", "words.more", NULL
    };
    static const char  *langs[] = { "en", "te", "hi", NULL };
    size_t              i, j, missing;
    char                name[32];

    for (j = 0; langs[j]; j++) {
        missing = 0;

        for (i = 0; keys[i]; i++) {
            if (!json_is_string(json_object_get(json_object_get(messages,
                                                    langs[j]), keys[i])))
            {
                printf("# %s lacks %s\n", langs[j], keys[i]);
                missing++;
            }
        }

        snprintf(name, sizeof(name), "lang.name.%s", langs[j]);

        if (!json_is_string(json_object_get(json_object_get(messages,
                                                langs[j]), name)))
        {
            missing++;
        }

        ok(missing == 0, "sql/seed/messages.json: %s has every key used",
           langs[j]);
    }
}


/*
 * The statuses a request can have, as the schema declares them: every
 * "status ENUM('a', 'b', ...)" of sql/004_requests.sql, into an array.
 */
static json_t *
schema_statuses(void)
{
    FILE        *f;
    char        *sql, *p, *e;
    size_t       n;
    json_t      *all;

    f = fopen("sql/004_requests.sql", "rb");
    if (f == NULL) {
        return NULL;
    }

    sql = calloc(1, 1 << 16);
    n = sql ? fread(sql, 1, (1 << 16) - 1, f) : 0;
    fclose(f);

    all = json_array();

    for (p = sql; n && (p = strstr(p, " status ")) != NULL; p = e) {
        p += sizeof(" status") - 1;
        p += strspn(p, " ");
        e = strchr(p, ')');

        if (strncmp(p, "ENUM(", 5) != 0 || e == NULL) {
            e = p;
            continue;
        }

        for (p = strchr(p, '\''); p && p < e; p = strchr(p + 1, '\'')) {
            char  *q = strchr(p + 1, '\'');

            if (q == NULL || q > e) {
                break;
            }

            json_array_append_new(all, json_stringn(p + 1, q - p - 1));
            p = q;
        }
    }

    free(sql);

    return all;
}


/* each of them said in words in every seed language, not as stored */
static void
test_status_names(json_t *messages)
{
    size_t              i, j, missing;
    json_t             *statuses, *v;
    char                key[64];
    static const char  *langs[] = { "en", "te", "hi", NULL };

    statuses = schema_statuses();

    ok(json_array_size(statuses) >= 9, "sql/004_requests.sql: %zu request "
       "statuses", json_array_size(statuses));

    for (j = 0; langs[j]; j++) {
        missing = 0;

        json_array_foreach(statuses, i, v) {
            snprintf(key, sizeof(key), "status.%s", json_string_value(v));

            if (!json_is_string(json_object_get(json_object_get(messages,
                                                    langs[j]), key)))
            {
                printf("# %s lacks %s\n", langs[j], key);
                missing++;
            }
        }

        ok(missing == 0, "sql/seed/messages.json: %s names every status",
           langs[j]);
    }

    json_decref(statuses);
}


/* the whole demo catalogue through the engine */

static json_t *
step_state(json_t *from, const char *type, const char *text, json_t **eff)
{
    json_t  *keep;

    json_decref(state);
    state = json_incref(from);
    mana_buf_init(&seen);
    nreplies = 0;

    if (step_raw(type, text, NULL, 0, 0, 0, NULL, eff) != 0) {
        mana_buf_free(&seen);
        return NULL;
    }

    keep = json_incref(state);
    mana_buf_add(&seen, "", 1);
    return keep;
}


/*
 * An instant document's first step asks whether its records are loaded:
 * answered yes, as after an import, so that its questions are walked too.
 * Takes next's reference; its replies join seen.
 */
static json_t *
step_available(json_t *next, json_t **eff)
{
    json_t      *r;
    const char  *kind;

    kind = *eff ? json_string_value(json_object_get(*eff, "kind")) : NULL;

    if (next == NULL || kind == NULL || strcmp(kind, "records") != 0) {
        return next;
    }

    json_decref(*eff);
    *eff = NULL;
    json_decref(state);
    state = next;

    if (seen.len && seen.data[seen.len - 1] == '\0') {
        seen.len--;
    }

    r = json_pack("{sb}", "available", 1);

    if (step_raw("text", "", NULL, 0, 0, 0, r, eff) != 0) {
        json_decref(r);
        return NULL;
    }

    json_decref(r);
    mana_buf_add(&seen, "", 1);

    return json_incref(state);
}


/* ids in the flattened replies that start with prefix, in order */
static void
ids_of(const char *flat, const char *prefix, json_t *into)
{
    char         id[256];
    size_t       n;
    const char  *p, *e;

    for (p = flat; (p = strstr(p, prefix)) != NULL; p = e) {
        e = p + 1;

        if (p != flat && p[-1] != '|' && p[-1] != '\n') {
            continue;
        }

        e = p + strcspn(p, "|\n");
        n = (size_t) (e - p) < sizeof(id) - 1 ? (size_t) (e - p)
                                                : sizeof(id) - 1;
        memcpy(id, p, n);
        id[n] = '\0';

        json_array_append_new(into, json_string(id));
    }
}


static json_t *
load_json(const char *path)
{
    return json_load_file(path, 0, NULL);
}


static int
load_catalogue(mana_catalogue_t *cat, const char *path)
{
    int                  rc;
    size_t               i;
    json_t              *doc;
    mana_cat_problems_t  p;

    doc = load_json(path);
    if (doc == NULL) {
        return -1;
    }

    mana_cat_problems_init(&p);
    rc = mana_catalogue_load(cat, doc, NULL, &p);

    for (i = 0; rc != 0 && i < p.n && i < 10; i++) {
        printf("# %s: %s: %s\n", path, p.v[i].place, p.v[i].message);
    }

    mana_cat_problems_free(&p);
    json_decref(doc);

    return rc;
}


static void
walk(const char *lang)
{
    size_t       i, k, ndept, nsvc, want_dept, want_svc, steps;
    json_t      *base, *next, *queue, *visited, *found, *eff, *v, *d, *s;
    json_t      *depts_seen, *svcs_seen;
    const char  *id;

    base = json_pack("{s:i,s:s,s:s,s:s}", "v", 1, "lang", lang, "notice",
                     "v1", "screen", "menu");
    queue = json_pack("[s]", "menu:1");
    visited = json_object();
    depts_seen = json_object();
    svcs_seen = json_object();
    nchecked = 0;
    nbad = 0;
    steps = 0;

    for (i = 0; i < json_array_size(queue); i++) {
        id = json_string_value(json_array_get(queue, i));

        if (json_object_get(visited, id)) {
            continue;
        }

        json_object_set_new(visited, id, json_true());

        next = step_available(step_state(base, "interactive", id, &eff),
                              &eff);
        steps++;

        if (next == NULL || eff) {
            ok(0, "walk %s: step %s", lang, id);
            json_decref(next);
            json_decref(eff);
            continue;
        }

        if (strncmp(id, "dept:", 5) == 0 && strchr(id + 5, ':') == NULL) {
            json_object_set_new(depts_seen, id + 5, json_true());
        }

        if (strncmp(id, "svc:", 4) == 0) {
            json_object_set_new(svcs_seen, id + 4, json_true());
        }

        found = json_array();
        ids_of(seen.data, "menu:", found);
        ids_of(seen.data, "dept:", found);
        ids_of(seen.data, "svc:", found);

        if (strncmp(id, "svc:", 4) != 0) {
            json_array_foreach(found, k, v) {
                json_array_append(queue, v);
            }
        }

        json_decref(found);
        json_decref(next);
        mana_buf_free(&seen);
    }

    /* what the menu should reach: enabled departments with services */
    want_dept = 0;
    want_svc = 0;

    json_array_foreach(env.cat->departments, i, d) {
        ndept = 0;

        json_array_foreach(env.cat->services, k, s) {
            if (json_is_true(json_object_get(d, "enabled"))
                && json_is_true(json_object_get(s, "enabled"))
                && json_equal(json_object_get(s, "department"),
                              json_object_get(d, "code")))
            {
                ndept++;
            }
        }

        want_dept += ndept > 0;
        want_svc += ndept;
    }

    ndept = json_object_size(depts_seen);
    nsvc = json_object_size(svcs_seen);

    ok(ndept == want_dept, "walk %s: %zu of %zu departments reached from "
       "the menu", lang, ndept, want_dept);
    ok(nsvc == want_svc, "walk %s: %zu of %zu services reached from their "
       "departments", lang, nsvc, want_svc);
    ok(nbad == 0, "walk %s: %zu replies in %zu steps, %zu outside the "
       "limits", lang, nchecked, steps, nbad);

    printf("# walk %s: %zu departments (of %zu in the catalogue), %zu "
           "services (of %zu), %zu steps, %zu replies checked\n", lang,
           ndept, json_array_size(env.cat->departments), nsvc,
           json_array_size(env.cat->services), steps, nchecked);

    json_decref(base);
    json_decref(queue);
    json_decref(visited);
    json_decref(depts_seen);
    json_decref(svcs_seen);
}


/* sample answers per kind, tried in order until one is taken */
static const char *
sample(const char *kind, size_t i)
{
    static const char  *text[] = {
        "Ravi Kumar", "Main Road, Tenali 522201",
        "The street light near the school has not worked for two weeks.",
        "AP39AB1234", "12345", "1234567890", "ABCDE1234F", "AP 39 AB 1234",
        "123/2024", "37ABCDE1234F1Z5", "AP0720200012345", "12/3-A", NULL
    };
    static const char  *number[] = { "5", "2024", "10", NULL };
    static const char  *ref[] = {
        "REV-INC-2025-000123", "T1234567890", "AP-12-0123456789", NULL
    };
    static const char  *one[][2] = {
        { "amount", "1000" }, { "date", "15-08-1990" },
        { "phone", "9876543210" }, { "email", "ravi@example.com" },
        { "pincode", "522201" }, { "aadhaar", "234123412346" },
        { "ifsc", "SBIN0001234" }, { "district", "Guntur" },
        { NULL, NULL }
    };
    size_t              k;

    if (strcmp(kind, "text") == 0) {
        return i < sizeof(text) / sizeof(text[0]) ? text[i] : NULL;
    }

    if (strcmp(kind, "number") == 0) {
        return i < sizeof(number) / sizeof(number[0]) ? number[i] : NULL;
    }

    if (strcmp(kind, "reference") == 0) {
        return i < sizeof(ref) / sizeof(ref[0]) ? ref[i] : NULL;
    }

    for (k = 0; one[k][0]; k++) {
        if (strcmp(one[k][0], kind) == 0) {
            return i == 0 ? one[k][1] : NULL;
        }
    }

    return NULL;
}


/* every form of the demo catalogue answered to its end */
static void
walk_forms(const char *lang)
{
    size_t       i, k, n, tries, forms, done, asked;
    json_t      *svc, *fields, *f, *st, *next, *eff;
    const char  *type, *kind, *answer;
    char         id[80];
    int          moved, extra_photo, extra_loc;

    forms = done = asked = 0;
    nbad = 0;

    json_array_foreach(env.cat->services, i, svc) {
        type = json_string_value(json_object_get(svc, "type"));

        if (strcmp(type, "application") && strcmp(type, "grievance")
            && strcmp(type, "status_lookup")
            && strcmp(type, "instant_document"))
        {
            continue;
        }

        forms++;
        st = json_pack("{s:i,s:s,s:s,s:s}", "v", 1, "lang", lang, "notice",
                       "v1", "screen", "menu");
        snprintf(id, sizeof(id), "svc:%s",
                 json_string_value(json_object_get(svc, "code")));
        next = step_available(step_state(st, "interactive", id, &eff), &eff);
        json_decref(eff);
        mana_buf_free(&seen);
        json_decref(st);
        st = next;
        fields = json_object_get(svc, "form");
        n = json_array_size(fields);
        extra_photo = 0;
        extra_loc = 0;

        if (strcmp(type, "grievance") == 0) {
            /* the engine adds the photo and location a form lacks */
            extra_photo = extra_loc = 1;

            json_array_foreach(fields, k, f) {
                kind = json_string_value(json_object_get(f, "kind"));
                extra_photo &= strcmp(kind, "photo") != 0;
                extra_loc &= strcmp(kind, "location") != 0;
            }
        }

        n += extra_photo + extra_loc;

        for (k = 0; st && k < n; k++) {
            long long  at = json_integer_value(json_object_get(st, "field"));

            f = json_array_get(fields, k);
            kind = f ? json_string_value(json_object_get(f, "kind"))
                     : k == json_array_size(fields) && extra_photo
                     ? "photo" : "location";
            moved = 0;
            asked++;

            for (tries = 0; !moved && tries < 16; tries++) {
                if (strcmp(kind, "photo") == 0 || strcmp(kind, "location")
                    == 0)
                {
                    json_decref(state);
                    state = json_incref(st);
                    mana_buf_init(&seen);
                    step_raw(strcmp(kind, "photo") == 0 ? "image"
                                                        : "location",
                             NULL, "MEDIA-1", 1, 16.5, 80.25, NULL, &eff);
                    next = json_incref(state);
                    mana_buf_add(&seen, "", 1);

                } else if (strcmp(kind, "choice") == 0) {
                    snprintf(id, sizeof(id), "opt:%s", json_string_value(
                                 json_object_get(json_array_get(
                                     json_object_get(f, "choices"), 0),
                                                 "id")));
                    next = step_state(st, "interactive", id, &eff);

                } else {
                    answer = sample(kind, tries);
                    if (answer == NULL) {
                        break;
                    }

                    next = step_state(st, "text", answer, &eff);
                }

                moved = eff != NULL
                        || json_integer_value(json_object_get(next, "field"))
                           != at
                        || strcmp(json_string_value(json_object_get(next,
                                                    "screen")), "form") != 0;

                json_decref(eff);
                mana_buf_free(&seen);

                if (moved) {
                    json_decref(st);
                    st = next;

                } else {
                    json_decref(next);
                }
            }

            if (!moved) {
                printf("# %s: %s: no sample answer taken for %s (%s)\n",
                       lang, json_string_value(json_object_get(svc, "code")),
                       f ? json_string_value(json_object_get(f, "name"))
                         : kind, kind);
                break;
            }
        }

        if (st && k == n) {
            done++;
        }

        json_decref(st);
    }

    ok(done == forms && nbad == 0, "walk %s: %zu of %zu forms answered to "
       "the end (%zu questions), %zu replies outside the limits", lang,
       done, forms, asked, nbad);
}


/* the first service offered for a free text, from the menu */
static const char *
first_hit(const char *lang, const char *text, char *buf, size_t size)
{
    json_t  *base, *next, *eff, *found;

    base = json_pack("{s:i,s:s,s:s,s:s}", "v", 1, "lang", lang, "notice",
                     "v1", "screen", "menu");
    next = step_state(base, "text", text, &eff);
    found = json_array();
    ids_of(seen.data, "svc:", found);
    snprintf(buf, size, "%s", json_array_size(found)
                              ? json_string_value(json_array_get(found, 0))
                              : "(none)");
    json_decref(found);
    json_decref(next);
    json_decref(eff);
    json_decref(base);
    mana_buf_free(&seen);

    return buf;
}


static void
test_demo(void)
{
    json_t            *doc, *districts;
    mana_catalogue_t   cat;
    char               hit[64];

    doc = load_json("sql/seed/messages.json");

    if (doc == NULL) {
        printf("# sql/seed/messages.json: not there, demo walk skipped\n");
        return;
    }

    test_keys(json_object_get(doc, "messages"));
    test_status_names(json_object_get(doc, "messages"));

    if (load_catalogue(&cat, "sql/seed/catalogue.json") != 0) {
        printf("# sql/seed/catalogue.json does not load: walk skipped\n");
        json_decref(doc);
        return;
    }

    /* as the module offers them: those the offices serve, by name */
    districts = mana_catalogue_form_districts(&cat);

    memset(&env, 0, sizeof(env));
    env.cat = &cat;
    env.messages = json_object_get(doc, "messages");
    env.districts = districts;
    env.notice_url = "https://mana.example/privacy";
    env.notice_version = "v1";
    env.session_idle = 1800;

    ok(mana_bot_env_init(&env) == 0, "env over the demo catalogue");

    walk("en");
    walk("te");
    walk_forms("en");
    walk_forms("te");

    is_str(first_hit("en", "I need an income certificate", hit, sizeof(hit)),
           "svc:REV-INC", "demo search: income certificate");
    is_str(first_hit("te", "ఆదాయ ధృవీకరణ పత్రం", hit, sizeof(hit)),
           "svc:REV-INC", "demo search: ఆదాయ ధృవీకరణ పత్రం");
    is_str(first_hit("en", "caste certificate", hit, sizeof(hit)),
           "svc:REV-CST", "demo search: caste certificate");

    mana_bot_env_free(&env);
    mana_catalogue_free(&cat);
    json_decref(districts);
    json_decref(doc);
}


int
main(int argc, char **argv)
{
    json_t            *messages, *districts;
    mana_catalogue_t   cat;

    verbose = argc > 1 && strcmp(argv[1], "-v") == 0;

    messages = load_json("t/data/bot/messages.json");
    districts = load_json("t/data/bot/districts.json");

    if (messages == NULL || districts == NULL
        || load_catalogue(&cat, "t/data/bot/catalogue.json") != 0)
    {
        printf("1..0 # SKIP fixtures not found: run from the repository\n");
        return 0;
    }

    memset(&env, 0, sizeof(env));
    env.cat = &cat;
    env.messages = json_object_get(messages, "messages");
    env.districts = districts;
    env.notice_url = "https://mana.example/privacy";
    env.notice_version = "v1";
    env.contact = "Grievance Officer, 1902";
    env.session_idle = 1800;

    ok(mana_bot_env_init(&env) == 0, "env over the fixture catalogue");

    run("en", english);
    run("te", telugu);
    test_instant();
    test_certs();
    test_edges();

    json_decref(state);
    state = NULL;
    mana_bot_env_free(&env);
    mana_catalogue_free(&cat);

    test_demo();

    json_decref(messages);
    json_decref(districts);
    json_decref(state);

    return done_testing();
}
