#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "mana_graph.h"


/* retry later with back-off, never a permanent failure (the reference) */
static const long long  mana_graph_retryable[] = {
    1, 2, 4, 80007, 130429, 131000, 131048, 131056, 131057, 133016, 0
};


static int
mana_graph_is_retryable(long long code)
{
    const long long  *c;

    for (c = mana_graph_retryable; *c; c++) {
        if (*c == code) {
            return 1;
        }
    }

    return 0;
}


void
mana_graph_classify(mana_send_result_t *res, unsigned status,
    const char *body, size_t len)
{
    json_t      *root, *err, *id;
    const char  *msg, *details;

    memset(res, 0, sizeof(*res));

    root = (body && len) ? json_loadb(body, len, 0, NULL) : NULL;

    if (status == 200) {
        id = json_object_get(json_array_get(json_object_get(root, "messages"),
                                            0), "id");

        if (json_is_string(id) && strlen(json_string_value(id))
                                  < sizeof(res->wamid))
        {
            res->verdict = MANA_SEND_OK;
            strcpy(res->wamid, json_string_value(id));

        } else {
            /* accepted without an id: sending again may duplicate it */
            res->verdict = MANA_SEND_FAIL;
            snprintf(res->error, sizeof(res->error),
                     "HTTP 200 without a message id");
        }

        json_decref(root);
        return;
    }

    err = json_object_get(root, "error");

    if (!json_is_object(err)) {
        /* no Graph error: a proxy, a load balancer, or no answer at all */
        res->verdict = (status == 0 || status >= 500 || status == 429)
                       ? MANA_SEND_RETRY : MANA_SEND_FAIL;
        snprintf(res->error, sizeof(res->error), status
                 ? "HTTP %u without a Graph error" : "no answer", status);
        json_decref(root);
        return;
    }

    res->code = json_integer_value(json_object_get(err, "code"));
    msg = json_string_value(json_object_get(err, "message"));
    details = json_string_value(json_object_get(
                  json_object_get(err, "error_data"), "details"));

    snprintf(res->error, sizeof(res->error), "%lld: %.200s%s%.200s",
             res->code, msg ? msg : "", details ? " - " : "",
             details ? details : "");

    if (res->code == 131047) {
        res->verdict = MANA_SEND_TEMPLATE;

    } else if (res->code == 190) {
        res->verdict = MANA_SEND_AUTH;

    } else if (mana_graph_is_retryable(res->code) || status >= 500) {
        res->verdict = MANA_SEND_RETRY;

    } else {
        res->verdict = MANA_SEND_FAIL;
    }

    json_decref(root);
}


unsigned
mana_graph_backoff(unsigned attempts, unsigned base, unsigned max,
    unsigned random)
{
    unsigned long long  d;
    unsigned            jitter;

    d = base ? base : 1;

    while (attempts-- > 1 && d < max) {
        d *= 2;
    }

    if (d > max) {
        d = max;
    }

    /* +-25%, so that a crowd of retries does not come back at once */
    jitter = (unsigned) (d / 2);

    if (jitter) {
        d = d - d / 4 + random % (jitter + 1);
    }

    return d ? (unsigned) d : 1;
}


int
mana_graph_template(mana_buf_t *out, const char *to, const char *name,
    const char *lang)
{
    mana_buf_adds(out, "{\"messaging_product\":\"whatsapp\","
                       "\"recipient_type\":\"individual\",\"to\":");
    mana_buf_add_json_str(out, to, strlen(to));
    mana_buf_adds(out, ",\"type\":\"template\",\"template\":{\"name\":");
    mana_buf_add_json_str(out, name, strlen(name));
    mana_buf_adds(out, ",\"language\":{\"code\":");
    mana_buf_add_json_str(out, lang, strlen(lang));
    mana_buf_adds(out, "}}}");

    return mana_buf_failed(out) ? -1 : 0;
}
