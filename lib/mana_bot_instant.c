/*
 * Instant documents (service type instant_document): the documents are
 * certificates signed when the department's records were imported
 * ("mmctl records import"), so the bot never signs: it asks the lookup
 * fields (the service's form, validated like any form's answers), turns
 * them into the record's key and asks for a lookup; the document is in
 * the reply to that lookup.
 *
 * Effects (see mana_bot.h for the protocol):
 *
 *   {"kind":"records","service":"SED-SSCHT"}
 *       -> {"available":true,"cooldown":0}
 *       does the service have records at all (if not, its documents are
 *       not on WhatsApp yet, and asking for a roll number would be cruel),
 *       and the minutes left of the citizen's cool-down, if they are in
 *       one (no questions then: the lookup would refuse the answers)
 *   {"kind":"instant","service":"SED-SSCHT","key":"<64 hex digits>"}
 *       -> {"outcome":"found","number":..,"holder":..,"link":..,
 *           "document":..}  (the document link when the server serves
 *                            PDFs: the document itself is sent then)
 *          {"outcome":"missing"}
 *          {"outcome":"cooldown","minutes":N}
 *       the lookup counts the citizen's failures and refuses to look
 *       while they are in a cool-down, in its own SQL (one transaction
 *       under the citizen's lock): the engine cannot be talked out of it
 *
 * Only the key leaves the state with the lookup effect: the answers (a
 * date of birth) are dropped from the session once it is made.
 */

#include <stdlib.h>
#include <string.h>

#include "mana_bot_int.h"
#include "mana_records.h"


/* a form of more lookup fields than this is not an instant service's */
#define MANA_BOT_INSTANT_FIELDS  16


void
mana_bot_instant_open(mana_bot_t *b, json_t *svc)
{
    const char  *code;

    code = json_string_value(json_object_get(svc, "code"));

    mana_bot_clear_flow(b);
    mana_bot_set_str(b, "screen", "info");
    mana_bot_set_str(b, "svc", code);
    mana_bot_set_str(b, "dept", json_string_value(
                                    json_object_get(svc, "department")));

    mana_bot_effect(b, json_pack("{s:s,s:s}", "kind", "records",
                                 "service", code));
}


void
mana_bot_instant_lookup(mana_bot_t *b, json_t *svc)
{
    size_t       i, n;
    json_t      *fields, *answers, *v;
    const char  *names[MANA_BOT_INSTANT_FIELDS];
    const char  *values[MANA_BOT_INSTANT_FIELDS];
    const char  *code;
    char         hex[2 * MANA_RECORD_KEY_LEN + 1];

    fields = mana_bot_form_fields(b, svc);
    answers = json_object_get(b->st, "answers");
    code = json_string_value(json_object_get(svc, "code"));
    n = json_array_size(fields);

    if (n == 0 || n > MANA_BOT_INSTANT_FIELDS || !json_is_object(answers)) {
        mana_bot_text(b, mana_bot_msg(b, "error.generic"));
        mana_bot_menu(b, 1);
        return;
    }

    for (i = 0; i < n; i++) {
        names[i] = json_string_value(json_object_get(json_array_get(fields,
                                                                    i),
                                                     "name"));
        v = json_object_get(answers, names[i] ? names[i] : "");
        /* a skipped optional field is an empty value, as in the file */
        values[i] = json_is_string(v) ? json_string_value(v) : "";
    }

    if (mana_record_key_hex(code, names, values, n, hex) != 0) {
        b->failed = 1;
        return;
    }

    json_object_del(b->st, "answers");
    json_object_del(b->st, "field");

    mana_bot_effect(b, json_pack("{s:s,s:s,s:s}", "kind", "instant",
                                 "service", code, "key", hex));
}


static void
mana_bot_instant_cooldown(mana_bot_t *b, const char *name, json_t *minutes)
{
    mana_bot_clear_flow(b);
    mana_bot_set_str(b, "screen", "done");
    mana_bot_nav(b, mana_bot_fmt(b, "instant.cooldown", "service", name,
                      "minutes", mana_bot_sprintf(b, "%lld",
                          (long long) json_integer_value(minutes)),
                      NULL),
                 NULL, 0);
}


static void
mana_bot_instant_available(mana_bot_t *b, json_t *svc, json_t *r)
{
    const char  *name;

    name = mana_bot_tr(b, json_object_get(svc, "name"));

    if (!json_is_true(json_object_get(r, "available"))) {
        mana_bot_nav(b, mana_bot_fmt(b, "instant.soon", "service", name,
                                     NULL),
                     NULL, 1);
        return;
    }

    if (json_integer_value(json_object_get(r, "cooldown")) > 0) {
        mana_bot_instant_cooldown(b, name, json_object_get(r, "cooldown"));
        return;
    }

    mana_bot_text(b, mana_bot_fmt(b, "instant.start", "service", name,
                      "count", mana_bot_sprintf(b, "%zu", json_array_size(
                                    mana_bot_form_fields(b, svc))),
                      NULL));

    mana_bot_form_start(b, svc);
}


void
mana_bot_instant_result(mana_bot_t *b, const char *pending)
{
    json_t      *r, *svc;
    const char  *outcome, *name, *number, *holder, *link, *doc;

    r = b->in->result;
    svc = mana_bot_service_get(b, mana_bot_state_str(b, "svc"));

    if (svc == NULL || !json_is_object(r)) {
        mana_bot_text(b, mana_bot_msg(b, "error.generic"));
        mana_bot_menu(b, 1);
        return;
    }

    if (strcmp(pending, "records") == 0) {
        mana_bot_instant_available(b, svc, r);
        return;
    }

    name = mana_bot_tr(b, json_object_get(svc, "name"));
    outcome = json_string_value(json_object_get(r, "outcome"));
    number = json_string_value(json_object_get(r, "number"));
    holder = json_string_value(json_object_get(r, "holder"));
    link = json_string_value(json_object_get(r, "link"));

    doc = json_string_value(json_object_get(r, "document"));

    if (outcome && strcmp(outcome, "found") == 0 && number && holder
        && doc)
    {
        /* the server serves PDFs: the hall ticket itself */
        mana_bot_clear_flow(b);
        mana_bot_set_str(b, "screen", "done");
        mana_bot_document(b, doc, mana_bot_sprintf(b, "%s.pdf", number),
                          mana_bot_fmt(b, "instant.document", "service",
                                       name, "holder", holder, "number",
                                       number, NULL));
        return;
    }

    if (outcome && strcmp(outcome, "found") == 0 && number && holder
        && link)
    {
        mana_bot_clear_flow(b);
        mana_bot_set_str(b, "screen", "done");
        mana_bot_nav(b, mana_bot_fmt(b, "instant.ready", "service", name,
                                     "holder", holder, "number", number,
                                     "link", link, NULL),
                     NULL, 0);
        return;
    }

    if (outcome && strcmp(outcome, "missing") == 0) {
        /* the citizen may have mistyped: ask again, from the start */
        mana_bot_text(b, mana_bot_fmt(b, "instant.not_found", "service",
                                      name, NULL));
        mana_bot_form_start(b, svc);
        return;
    }

    if (outcome && strcmp(outcome, "cooldown") == 0) {
        mana_bot_instant_cooldown(b, name, json_object_get(r, "minutes"));
        return;
    }

    mana_bot_text(b, mana_bot_msg(b, "error.generic"));
    mana_bot_menu(b, 1);
}
