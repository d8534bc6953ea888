#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mana_json_depth.h"
#include "mana_webhook.h"


static const char  *mana_wh_message_types[] = {
    "text", "interactive", "button", "location", "image", "document",
    "audio", "video", "sticker", "contacts", "reaction", "unsupported",
    NULL
};


static void
mana_wh_skip(mana_webhook_t *wh, const char *fmt, ...)
{
    va_list  ap;

    wh->skipped++;

    va_start(ap, fmt);
    vsnprintf(wh->reason, sizeof(wh->reason), fmt, ap);
    va_end(ap);
}


/* an identifier made of the characters Meta uses, so it is safe anywhere */
static int
mana_wh_id_ok(const char *s, size_t max, const char *extra)
{
    size_t  n;

    for (n = 0; s[n]; n++) {
        if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z')
              || (s[n] >= '0' && s[n] <= '9') || strchr(extra, s[n])))
        {
            return 0;
        }
    }

    return n > 0 && n <= max;
}


static const char *
mana_wh_string(json_t *obj, const char *key)
{
    json_t  *v;

    v = json_object_get(obj, key);

    return json_is_string(v) ? json_string_value(v) : NULL;
}


/* unix seconds as Meta sends them (a string of digits), or a number */
static long long
mana_wh_timestamp(json_t *obj)
{
    json_t      *v;
    long long    t;
    const char  *s;

    v = json_object_get(obj, "timestamp");

    if (json_is_integer(v)) {
        t = json_integer_value(v);
        return (t > 0 && t < 100000000000LL) ? t : -1;
    }

    if (!json_is_string(v)) {
        return v == NULL ? 0 : -1;
    }

    s = json_string_value(v);

    if (*s == '\0' || strlen(s) > 11 || strspn(s, "0123456789") != strlen(s)) {
        return -1;
    }

    return strtoll(s, NULL, 10);
}


static int
mana_wh_known_type(const char *type)
{
    const char  **t;

    for (t = mana_wh_message_types; *t; t++) {
        if (strcmp(*t, type) == 0) {
            return 1;
        }
    }

    return 0;
}


/* what the bot reads first: the text, the chosen reply, the caption */
static void
mana_wh_body(mana_wh_message_t *m, json_t *msg)
{
    json_t      *part, *reply;
    const char  *s;

    part = json_object_get(msg, m->type);
    s = NULL;

    if (strcmp(m->type, "text") == 0) {
        s = mana_wh_string(part, "body");

    } else if (strcmp(m->type, "interactive") == 0) {
        reply = json_object_get(part, "button_reply");
        if (reply == NULL) {
            reply = json_object_get(part, "list_reply");
        }

        if (reply) {
            s = mana_wh_string(reply, "id");

        } else {
            s = mana_wh_string(json_object_get(part, "nfm_reply"),
                               "response_json");
        }

    } else if (strcmp(m->type, "button") == 0) {
        s = mana_wh_string(part, "payload");
        if (s == NULL) {
            s = mana_wh_string(part, "text");
        }

    } else if (strcmp(m->type, "reaction") == 0) {
        s = mana_wh_string(part, "emoji");

    } else if (strcmp(m->type, "location") == 0) {
        if (json_is_number(json_object_get(part, "latitude"))
            && json_is_number(json_object_get(part, "longitude")))
        {
            m->has_location = 1;
            m->latitude = json_number_value(json_object_get(part,
                                                            "latitude"));
            m->longitude = json_number_value(json_object_get(part,
                                                             "longitude"));
        }

    } else {
        s = mana_wh_string(part, "caption");
        m->media_id = mana_wh_string(part, "id");
    }

    m->body = s;
    m->body_len = s ? strlen(s) : 0;
}


/*
 * The sender's BSUID: on the message itself when Meta puts it there, else
 * on the contact whose wa_id is the sender, else on the only contact.
 */
static const char *
mana_wh_bsuid(json_t *msg, json_t *contacts, const char *phone)
{
    size_t       i;
    json_t      *c;
    const char  *s, *wa_id;

    s = mana_wh_string(msg, "from_user_id");
    if (s == NULL) {
        s = mana_wh_string(msg, "user_id");
    }

    if (s || !json_is_array(contacts)) {
        return s;
    }

    json_array_foreach(contacts, i, c) {
        wa_id = mana_wh_string(c, "wa_id");

        if (phone && wa_id && strcmp(phone, wa_id) == 0) {
            return mana_wh_string(c, "user_id");
        }
    }

    if (json_array_size(contacts) == 1) {
        c = json_array_get(contacts, 0);
        wa_id = mana_wh_string(c, "wa_id");

        if (phone == NULL || wa_id == NULL) {
            return mana_wh_string(c, "user_id");
        }
    }

    return NULL;
}


static void
mana_wh_add_message(mana_webhook_t *wh, json_t *msg, json_t *contacts,
    const char *phone_number_id)
{
    mana_wh_message_t  *m;

    m = &wh->messages[wh->nmessages];
    memset(m, 0, sizeof(*m));

    m->phone_number_id = phone_number_id;
    m->wamid = mana_wh_string(msg, "id");
    m->type = mana_wh_string(msg, "type");
    m->phone = mana_wh_string(msg, "from");
    m->timestamp = mana_wh_timestamp(msg);

    if (m->wamid == NULL || !mana_wh_id_ok(m->wamid, 191, "._=+/:-")) {
        mana_wh_skip(wh, "message without a valid id");
        return;
    }

    if (m->type == NULL || !mana_wh_known_type(m->type)) {
        mana_wh_skip(wh, "message %.64s of unknown type \"%.24s\"", m->wamid,
                     m->type ? m->type : "(none)");
        return;
    }

    if ((m->phone == NULL && json_object_get(msg, "from"))
        || (m->phone && !mana_wh_id_ok(m->phone, 32, "")))
    {
        mana_wh_skip(wh, "message %.64s with a malformed sender", m->wamid);
        return;
    }

    m->bsuid = mana_wh_bsuid(msg, contacts, m->phone);

    if (m->bsuid && !mana_wh_id_ok(m->bsuid, 128, "._-")) {
        mana_wh_skip(wh, "message %.64s with a malformed user id", m->wamid);
        return;
    }

    if (m->phone == NULL && m->bsuid == NULL) {
        mana_wh_skip(wh, "message %.64s without a sender", m->wamid);
        return;
    }

    if (m->timestamp < 0) {
        mana_wh_skip(wh, "message %.64s with a malformed timestamp",
                     m->wamid);
        return;
    }

    mana_wh_body(m, msg);

    m->content = json_dumps(msg, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (m->content == NULL) {
        mana_wh_skip(wh, "message %.64s could not be serialised", m->wamid);
        return;
    }

    wh->nmessages++;
}


static void
mana_wh_add_status(mana_webhook_t *wh, json_t *st)
{
    json_t            *err;
    const char        *status;
    mana_wh_status_t  *s;

    static const char  *names[] = {
        "", "sent", "delivered", "read", "played", "failed", NULL
    };

    s = &wh->statuses[wh->nstatuses];
    memset(s, 0, sizeof(*s));

    s->wamid = mana_wh_string(st, "id");
    status = mana_wh_string(st, "status");
    s->timestamp = mana_wh_timestamp(st);

    if (s->wamid == NULL || !mana_wh_id_ok(s->wamid, 191, "._=+/:-")) {
        mana_wh_skip(wh, "status without a valid id");
        return;
    }

    for (s->rank = MANA_DELIVERY_SENT; names[s->rank]; s->rank++) {
        if (status && strcmp(status, names[s->rank]) == 0) {
            break;
        }
    }

    if (names[s->rank] == NULL) {
        mana_wh_skip(wh, "status of %.64s is unknown", s->wamid);
        return;
    }

    if (s->timestamp < 0) {
        mana_wh_skip(wh, "status of %.64s has a malformed timestamp",
                     s->wamid);
        return;
    }

    err = json_array_get(json_object_get(st, "errors"), 0);

    if (json_is_object(err)) {
        if (json_is_integer(json_object_get(err, "code"))) {
            s->error_code = json_integer_value(json_object_get(err, "code"));
        }

        s->error_text = mana_wh_string(json_object_get(err, "error_data"),
                                       "details");
        if (s->error_text == NULL) {
            s->error_text = mana_wh_string(err, "title");
        }

        if (s->error_text == NULL) {
            s->error_text = mana_wh_string(err, "message");
        }

        if (s->error_text) {
            s->error_len = strlen(s->error_text);
        }
    }

    wh->nstatuses++;
}


/* room for every message and status, counted before any is kept */
static int
mana_wh_alloc(mana_webhook_t *wh, json_t *entries)
{
    size_t   i, j, nm, ns;
    json_t  *entry, *change, *value;

    nm = 0;
    ns = 0;

    json_array_foreach(entries, i, entry) {
        json_array_foreach(json_object_get(entry, "changes"), j, change) {
            value = json_object_get(change, "value");
            nm += json_array_size(json_object_get(value, "messages"));
            ns += json_array_size(json_object_get(value, "statuses"));
        }
    }

    wh->messages = calloc(nm + 1, sizeof(mana_wh_message_t));
    wh->statuses = calloc(ns + 1, sizeof(mana_wh_status_t));

    return (wh->messages && wh->statuses) ? 0 : -1;
}


static void
mana_wh_change(mana_webhook_t *wh, json_t *change)
{
    size_t       k;
    json_t      *value, *list, *item, *contacts;
    const char  *field, *pnid;

    field = mana_wh_string(change, "field");
    value = json_object_get(change, "value");

    if (field == NULL || strcmp(field, "messages") != 0
        || !json_is_object(value))
    {
        mana_wh_skip(wh, "change of field \"%.32s\" ignored",
                     field ? field : "(none)");
        return;
    }

    pnid = mana_wh_string(json_object_get(value, "metadata"),
                          "phone_number_id");

    if (pnid == NULL || !mana_wh_id_ok(pnid, 64, "")) {
        mana_wh_skip(wh, "change without a valid metadata.phone_number_id");
        return;
    }

    contacts = json_object_get(value, "contacts");

    list = json_object_get(value, "messages");
    json_array_foreach(list, k, item) {
        if (json_is_object(item)) {
            mana_wh_add_message(wh, item, contacts, pnid);

        } else {
            mana_wh_skip(wh, "message that is not an object");
        }
    }

    list = json_object_get(value, "statuses");
    json_array_foreach(list, k, item) {
        if (json_is_object(item)) {
            mana_wh_add_status(wh, item);

        } else {
            mana_wh_skip(wh, "status that is not an object");
        }
    }

    list = json_object_get(value, "errors");
    if (json_array_size(list) > 0) {
        mana_wh_skip(wh, "change reports %zu error(s), first code %lld",
                     json_array_size(list),
                     (long long) json_integer_value(
                         json_object_get(json_array_get(list, 0), "code")));
    }
}


mana_wh_rc_e
mana_webhook_parse(mana_webhook_t *wh, const char *body, size_t len,
    unsigned max_depth)
{
    size_t        i, j;
    json_t       *entries, *entry, *change;
    const char   *object;
    json_error_t  err;

    memset(wh, 0, sizeof(*wh));

    if (!mana_json_depth_ok(body, len, max_depth)) {
        snprintf(wh->reason, sizeof(wh->reason),
                 "JSON nested deeper than %u", max_depth);
        return MANA_WH_BAD_JSON;
    }

    wh->root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &err);

    if (wh->root == NULL) {
        snprintf(wh->reason, sizeof(wh->reason),
                 "malformed JSON at byte %d: %.100s", err.position, err.text);
        return MANA_WH_BAD_JSON;
    }

    object = mana_wh_string(wh->root, "object");
    entries = json_object_get(wh->root, "entry");

    if (object == NULL || strcmp(object, "whatsapp_business_account") != 0
        || !json_is_array(entries))
    {
        snprintf(wh->reason, sizeof(wh->reason),
                 "not a WhatsApp Business Account payload");
        return MANA_WH_NOT_WHATSAPP;
    }

    if (mana_wh_alloc(wh, entries) != 0) {
        return MANA_WH_NO_MEMORY;
    }

    json_array_foreach(entries, i, entry) {
        change = json_object_get(entry, "changes");

        if (!json_is_array(change)) {
            mana_wh_skip(wh, "entry without changes");
            continue;
        }

        json_array_foreach(json_object_get(entry, "changes"), j, change) {
            mana_wh_change(wh, change);
        }
    }

    return MANA_WH_OK;
}


void
mana_webhook_free(mana_webhook_t *wh)
{
    size_t  i;

    for (i = 0; i < wh->nmessages; i++) {
        free(wh->messages[i].content);
    }

    free(wh->messages);
    free(wh->statuses);

    if (wh->root) {
        json_decref(wh->root);
    }

    memset(wh, 0, sizeof(*wh));
}
