/*
 * A citizen's certificates, sent again: the word "certificates" (in any
 * language) lists the valid ones issued to them, newest first; choosing
 * one (or having only one) sends it.  The server answers the pick with
 * the certificate's number and service, its verification link when it
 * knows its verify host, and a document link when it serves PDFs
 * (mana_document): then the PDF itself comes, as a document message.
 *
 * Effects (see mana_bot.h for the protocol):
 *
 *   {"kind":"certificates"}
 *       -> {"certificates":[{"id":"<24 hex>","number":..,"service":..,
 *                            "issued":"2026-11-27"},..]}   at most 10
 *   {"kind":"certificate","id":"<24 hex>"}
 *       -> {"found":true,"number":..,"service":..,"link":..|absent,
 *           "document":..|absent}  or {"found":false}
 *
 * The server looks only among the certificates issued to the citizen who
 * wrote: an id typed or replayed from another chat finds nothing.
 */

#include <string.h>

#include "mana_bot_int.h"


#define MANA_BOT_CERTS_MAX  10


/* 24 lower-case hex digits: a certificate's id as the rows carry it */
static int
mana_bot_certs_id(const char *s)
{
    return s != NULL && strlen(s) == 24
           && strspn(s, "0123456789abcdef") == 24;
}


void
mana_bot_certs_ask(mana_bot_t *b)
{
    mana_bot_clear_flow(b);
    mana_bot_set_str(b, "screen", "done");
    mana_bot_effect(b, json_pack("{s:s}", "kind", "certificates"));
}


void
mana_bot_certs_pick(mana_bot_t *b, const char *id)
{
    if (!mana_bot_certs_id(id)) {
        mana_bot_nav(b, mana_bot_msg(b, "certs.not_found"), NULL, 0);
        return;
    }

    mana_bot_clear_flow(b);
    mana_bot_set_str(b, "screen", "done");
    mana_bot_effect(b, json_pack("{s:s,s:s}", "kind", "certificate",
                                 "id", id));
}


static const char *
mana_bot_certs_service(mana_bot_t *b, const char *code)
{
    json_t  *svc;

    svc = mana_bot_service_get(b, code);

    return svc ? mana_bot_tr(b, json_object_get(svc, "name"))
               : (code ? code : "");
}


static void
mana_bot_certs_list(mana_bot_t *b, json_t *list)
{
    size_t             i, n;
    json_t            *c;
    const char        *id, *first;
    mana_wa_choice_t   rows[MANA_BOT_CERTS_MAX];
    mana_wa_section_t  section;

    n = 0;
    first = NULL;

    json_array_foreach(list, i, c) {
        id = json_string_value(json_object_get(c, "id"));

        if (n == MANA_BOT_CERTS_MAX || !mana_bot_certs_id(id)) {
            continue;
        }

        first = first ? first : id;
        rows[n].id = mana_bot_sprintf(b, "cert:%s", id);
        rows[n].title = mana_bot_certs_service(b, json_string_value(
                                          json_object_get(c, "service")));
        rows[n].description = mana_bot_fmt(b, "certs.row.desc",
                                  "number", json_string_value(
                                      json_object_get(c, "number")),
                                  "date", mana_bot_date(b, json_string_value(
                                      json_object_get(c, "issued"))),
                                  NULL);
        n++;
    }

    if (n == 0) {
        mana_bot_nav(b, mana_bot_msg(b, "certs.none"), NULL, 0);
        return;
    }

    if (n == 1) {
        /* nothing to choose from: send it */
        mana_bot_certs_pick(b, first);
        return;
    }

    section.title = mana_bot_msg(b, "certs.list.section");
    section.rows = rows;
    section.nrows = n;

    mana_bot_sections(b, mana_bot_msg(b, "certs.list.body"),
                      mana_bot_msg(b, "certs.list.button"), &section, 1);
}


static void
mana_bot_certs_send(mana_bot_t *b, json_t *r)
{
    const char  *number, *service, *link, *doc;

    number = json_string_value(json_object_get(r, "number"));
    service = mana_bot_certs_service(b, json_string_value(
                                         json_object_get(r, "service")));
    link = json_string_value(json_object_get(r, "link"));
    doc = json_string_value(json_object_get(r, "document"));

    if (!json_is_true(json_object_get(r, "found")) || number == NULL) {
        mana_bot_nav(b, mana_bot_msg(b, "certs.not_found"), NULL, 0);
        return;
    }

    if (doc) {
        mana_bot_document(b, doc, mana_bot_sprintf(b, "%s.pdf", number),
                          mana_bot_fmt(b, "certs.document", "service",
                                       service, "number", number, NULL));
        return;
    }

    /* no PDFs served here: the number, and where to check it */
    mana_bot_nav(b, mana_bot_fmt(b, link ? "certs.link" : "certs.document",
                                 "service", service, "number", number,
                                 "link", link ? link : "", NULL),
                 NULL, 0);
}


void
mana_bot_certs_result(mana_bot_t *b, const char *pending)
{
    json_t  *r = b->in->result;

    if (!json_is_object(r)) {
        mana_bot_text(b, mana_bot_msg(b, "error.generic"));
        mana_bot_menu(b, 1);
        return;
    }

    if (strcmp(pending, "certificates") == 0) {
        mana_bot_certs_list(b, json_object_get(r, "certificates"));
        return;
    }

    mana_bot_certs_send(b, r);
}
