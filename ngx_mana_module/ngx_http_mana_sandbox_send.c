/*
 * POST /mana/sandbox/api/send: what the page's citizen typed or tapped,
 *
 *   {"from":"919876543210","text":"Hi"}
 *   {"from":..,"reply":{"id":"lang:te","title":"..","kind":"button"|"list"}}
 *   {"from":..,"location":{"latitude":16.5,"longitude":80.6}}
 *   {"from":..,"image":true}
 *
 * is checked, turned into the webhook payload Meta would have sent for it,
 * and handed to the webhook's own processing: it is stored, answered by the
 * bot and delivered by the sender exactly as a real message would be.  The
 * sandbox skips only the signature, which it has no secret to make.
 */

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <jansson.h>

#include "ngx_http_mana_module.h"
#include "ngx_http_mana_sandbox.h"
#include "mana_json_depth.h"
#include "mana_utf8.h"


#define NGX_HTTP_MANA_SANDBOX_TEXT_MAX   4096   /* code points, as Meta */
#define NGX_HTTP_MANA_SANDBOX_ID_MAX     256    /* bytes */
#define NGX_HTTP_MANA_SANDBOX_TITLE_MAX  256    /* bytes */
#define NGX_HTTP_MANA_SANDBOX_NAME_MAX   64     /* code points */


static void ngx_http_mana_sandbox_send_body(ngx_http_request_t *r);
static const char *ngx_http_mana_sandbox_message(json_t *in, json_t *msg);


ngx_int_t
ngx_http_mana_sandbox_send(ngx_http_request_t *r)
{
    ngx_int_t  rc;
    ngx_str_t  *type;

    if (!(r->method & NGX_HTTP_POST)) {
        return NGX_HTTP_NOT_ALLOWED;
    }

    /*
     * Only JSON: a page of another site cannot send that without asking
     * first (a CORS preflight, which is never granted), so it cannot make
     * a visitor's browser talk to a sandbox on their machine.
     */

    type = r->headers_in.content_type ? &r->headers_in.content_type->value
                                      : NULL;

    if (type == NULL || type->len < sizeof("application/json") - 1
        || ngx_strncasecmp(type->data, (u_char *) "application/json",
                           sizeof("application/json") - 1) != 0)
    {
        rc = ngx_http_discard_request_body(r);
        if (rc != NGX_OK) {
            return rc;
        }

        return ngx_http_mana_sandbox_error(r,
                   NGX_HTTP_UNSUPPORTED_MEDIA_TYPE,
                   "send application/json");
    }

    rc = ngx_http_mana_sandbox_check_length(r, NGX_HTTP_MANA_SANDBOX_SEND_MAX);

    if (rc != NGX_OK) {
        r->keepalive = 0;
        return ngx_http_mana_sandbox_error(r, rc,
                   rc == NGX_HTTP_LENGTH_REQUIRED
                   ? "a Content-Length is required"
                   : "the body is larger than 16 KiB");
    }

    r->request_body_in_single_buf = 1;

    rc = ngx_http_read_client_request_body(r,
                                           ngx_http_mana_sandbox_send_body);

    if (rc >= NGX_HTTP_SPECIAL_RESPONSE) {
        return rc;
    }

    return NGX_DONE;
}


static void
ngx_http_mana_sandbox_send_body(ngx_http_request_t *r)
{
    char                      *dump;
    u_char                     id[33];
    json_t                    *in, *msg, *payload;
    ngx_str_t                  body;
    const char                *from, *name, *err;
    json_error_t               jerr;
    ngx_http_mana_loc_conf_t  *mlcf;

    if (ngx_http_mana_sandbox_body(r, &body) != NGX_OK) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    if (!mana_json_depth_ok((const char *) body.data, body.len, 4)) {
        ngx_http_finalize_request(r, ngx_http_mana_sandbox_error(r,
                                  NGX_HTTP_BAD_REQUEST,
                                  "the body is not a JSON message"));
        return;
    }

    in = json_loadb((const char *) body.data, body.len,
                    JSON_REJECT_DUPLICATES, &jerr);

    if (in == NULL || !json_is_object(in)) {
        json_decref(in);
        ngx_http_finalize_request(r, ngx_http_mana_sandbox_error(r,
                                  NGX_HTTP_BAD_REQUEST,
                                  "the body is not a JSON object"));
        return;
    }

    err = NULL;
    from = json_string_value(json_object_get(in, "from"));
    name = json_string_value(json_object_get(in, "name"));

    if (from == NULL || strlen(from) < 10 || strlen(from) > 15
        || strspn(from, "0123456789") != strlen(from))
    {
        err = "from must be 10 to 15 digits";

    } else if (json_object_get(in, "name") != NULL
               && (name == NULL
                   || mana_utf8_len(name, strlen(name))
                      > NGX_HTTP_MANA_SANDBOX_NAME_MAX))
    {
        err = "name must be a string of at most 64 characters";
    }

    msg = json_object();
    payload = NULL;

    if (msg == NULL
        || ngx_http_mana_sandbox_random(id, 16) != NGX_OK)
    {
        json_decref(msg);
        json_decref(in);
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    if (err == NULL) {
        err = ngx_http_mana_sandbox_message(in, msg);
    }

    if (err) {
        json_decref(msg);
        json_decref(in);
        ngx_http_finalize_request(r, ngx_http_mana_sandbox_error(r,
                                  NGX_HTTP_BAD_REQUEST, err));
        return;
    }

    mlcf = ngx_http_get_module_loc_conf(r, ngx_http_mana_module);

    /* what the Cloud API posts for one message of one contact */
    json_object_set_new(msg, "from", json_string(from));
    json_object_set_new(msg, "id", json_sprintf("wamid.sandbox.%s", id));
    json_object_set_new(msg, "timestamp",
                        json_sprintf("%lld", (long long) ngx_time()));

    payload = json_pack("{s:s, s:[{s:s, s:[{s:s, s:{s:s, s:{s:s, s:s%}, "
                        "s:[{s:{s:s}, s:s}], s:[o]}}]}]}",
        "object", "whatsapp_business_account",
        "entry",
            "id", "sandbox",
            "changes",
                "field", "messages",
                "value",
                    "messaging_product", "whatsapp",
                    "metadata",
                        "display_phone_number", "sandbox",
                        "phone_number_id",
                        (const char *) mlcf->sandbox_number_id.data,
                        mlcf->sandbox_number_id.len,
                    "contacts",
                        "profile", "name", name ? name : "Sandbox",
                        "wa_id", from,
                    "messages", msg);

    dump = payload ? json_dumps(payload, JSON_COMPACT) : NULL;
    json_decref(payload);
    json_decref(in);

    if (dump == NULL) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    body.len = ngx_strlen(dump);
    body.data = ngx_pnalloc(r->pool, body.len);

    if (body.data == NULL) {
        free(dump);
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    ngx_memcpy(body.data, dump, body.len);
    free(dump);

    /* stored, answered and finalized as a verified webhook is */
    ngx_http_mana_webhook_process(r, &body);
}


static const char *
ngx_http_mana_sandbox_text(json_t *in, json_t *msg)
{
    size_t       len, n;
    const char  *s;

    s = json_string_value(json_object_get(in, "text"));

    if (s == NULL) {
        return "text must be a string";
    }

    len = strlen(s);
    n = mana_utf8_len(s, len);

    if (strspn(s, " \t\r\n") == len) {
        return "text is empty";
    }

    if (n > NGX_HTTP_MANA_SANDBOX_TEXT_MAX) {
        return "text is longer than 4096 characters";
    }

    json_object_set_new(msg, "type", json_string("text"));
    json_object_set_new(msg, "text", json_pack("{s:s}", "body", s));

    return NULL;
}


/* a tap on a reply button or a list row, as WhatsApp reports it */
static const char *
ngx_http_mana_sandbox_tap(json_t *in, json_t *msg)
{
    json_t      *reply, *v;
    const char  *id, *title, *kind, *desc, *key;

    reply = json_object_get(in, "reply");

    if (!json_is_object(reply)) {
        return "reply must be an object";
    }

    id = json_string_value(json_object_get(reply, "id"));
    title = json_string_value(json_object_get(reply, "title"));
    kind = json_string_value(json_object_get(reply, "kind"));
    desc = json_string_value(json_object_get(reply, "description"));

    if (id == NULL || *id == '\0'
        || strlen(id) > NGX_HTTP_MANA_SANDBOX_ID_MAX)
    {
        return "reply.id must be 1 to 256 bytes";
    }

    if (json_object_get(reply, "title") != NULL
        && (title == NULL || strlen(title) > NGX_HTTP_MANA_SANDBOX_TITLE_MAX))
    {
        return "reply.title must be a string of at most 256 bytes";
    }

    if (json_object_get(reply, "description") != NULL
        && (desc == NULL || strlen(desc) > NGX_HTTP_MANA_SANDBOX_TITLE_MAX))
    {
        return "reply.description must be a string of at most 256 bytes";
    }

    if (json_object_get(reply, "kind") != NULL && kind == NULL) {
        return "reply.kind must be \\\"button\\\" or \\\"list\\\"";
    }

    if (kind == NULL || ngx_strcmp(kind, "button") == 0) {
        key = "button_reply";

    } else if (ngx_strcmp(kind, "list") == 0) {
        key = "list_reply";

    } else {
        return "reply.kind must be \\\"button\\\" or \\\"list\\\"";
    }

    v = json_pack("{s:s, s:s}", "id", id, "title", title ? title : id);

    if (v && desc && key[0] == 'l') {
        json_object_set_new(v, "description", json_string(desc));
    }

    json_object_set_new(msg, "type", json_string("interactive"));
    json_object_set_new(msg, "interactive",
                        json_pack("{s:s, s:o}", "type", key, key, v));

    return NULL;
}


static const char *
ngx_http_mana_sandbox_location(json_t *in, json_t *msg)
{
    json_t      *loc, *v;
    double       lat, lon;
    const char  *s;

    loc = json_object_get(in, "location");
    v = json_object_get(loc, "latitude");
    lat = json_number_value(v);
    v = json_object_get(loc, "longitude");
    lon = json_number_value(v);

    if (!json_is_object(loc)
        || !json_is_number(json_object_get(loc, "latitude"))
        || !json_is_number(json_object_get(loc, "longitude"))
        || lat < -90 || lat > 90 || lon < -180 || lon > 180)
    {
        return "location needs a latitude and a longitude in degrees";
    }

    v = json_pack("{s:f, s:f}", "latitude", lat, "longitude", lon);

    s = json_string_value(json_object_get(loc, "name"));
    if (v && s && strlen(s) <= NGX_HTTP_MANA_SANDBOX_TITLE_MAX) {
        json_object_set_new(v, "name", json_string(s));
    }

    s = json_string_value(json_object_get(loc, "address"));
    if (v && s && strlen(s) <= NGX_HTTP_MANA_SANDBOX_TITLE_MAX) {
        json_object_set_new(v, "address", json_string(s));
    }

    json_object_set_new(msg, "type", json_string("location"));
    json_object_set_new(msg, "location", v);

    return NULL;
}


/* a photo: only its metadata, as Meta sends; the media is never fetched */
static const char *
ngx_http_mana_sandbox_image(json_t *in, json_t *msg)
{
    u_char  media[17], sha[65];

    if (!json_is_true(json_object_get(in, "image"))) {
        return "image must be true";
    }

    if (ngx_http_mana_sandbox_random(media, 8) != NGX_OK
        || ngx_http_mana_sandbox_random(sha, 32) != NGX_OK)
    {
        return "no randomness";
    }

    json_object_set_new(msg, "type", json_string("image"));
    json_object_set_new(msg, "image",
                        json_pack("{s:s+, s:s, s:s}",
                                  "id", "sandbox.media.", (char *) media,
                                  "mime_type", "image/jpeg",
                                  "sha256", (char *) sha));

    return NULL;
}


/* exactly one of text, reply, location, image; nothing else */
static const char *
ngx_http_mana_sandbox_message(json_t *in, json_t *msg)
{
    void        *it;
    ngx_uint_t   kinds;
    const char  *key, *kind;

    kinds = 0;
    kind = NULL;

    for (it = json_object_iter(in); it; it = json_object_iter_next(in, it)) {
        key = json_object_iter_key(it);

        if (ngx_strcmp(key, "from") == 0 || ngx_strcmp(key, "name") == 0) {
            continue;
        }

        if (ngx_strcmp(key, "text") != 0 && ngx_strcmp(key, "reply") != 0
            && ngx_strcmp(key, "location") != 0
            && ngx_strcmp(key, "image") != 0)
        {
            return "unknown field: use from, name and one of text, reply, "
                   "location, image";
        }

        kinds++;
        kind = key;
    }

    if (kinds != 1) {
        return "send exactly one of text, reply, location, image";
    }

    switch (kind[0]) {
    case 't':
        return ngx_http_mana_sandbox_text(in, msg);
    case 'r':
        return ngx_http_mana_sandbox_tap(in, msg);
    case 'l':
        return ngx_http_mana_sandbox_location(in, msg);
    default:
        return ngx_http_mana_sandbox_image(in, msg);
    }
}
