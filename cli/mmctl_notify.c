/*
 * Messages mmctl queues to a citizen: an officer's decision, a certificate
 * issued at a counter.  The text is an i18n_message in the citizen's
 * language (English when it has none), with {ref}, {service} and the
 * caller's placeholders filled in; with a document link, the text is the
 * caption of a document message.  The row goes into the outbox in the
 * caller's transaction, from the number the citizen last wrote to, which
 * is where the bot's replies went; the module's sender delivers it (the
 * window template instead, outside the 24-hour window).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmctl_app.h"
#include "mmctl_notify.h"
#include "mana_utf8.h"
#include "mana_wa_msg.h"


/* the first column of the first row, copied; "" when there is none */
static int
mmctl_notify_value(mmctl_ctx_t *ctx, const char *what, mana_buf_t *sql,
    char **out)
{
    MYSQL_RES  *res;
    MYSQL_ROW   row;

    res = mmctl_app_query(ctx, what, sql);
    mana_buf_free(sql);

    if (res == NULL) {
        return MMCTL_FAILED;
    }

    row = mysql_fetch_row(res);
    *out = strdup(row && row[0] ? row[0] : "");
    mysql_free_result(res);

    if (*out == NULL) {
        return mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
    }

    return MMCTL_OK;
}


/* text with every {name} of vars replaced, into out */
static void
mmctl_notify_fill(mana_buf_t *out, const char *text, const mmctl_var_t *vars)
{
    size_t       i, n;
    const char  *p;

    for (p = text; *p; ) {
        if (*p == '{') {
            for (i = 0; vars[i].name; i++) {
                n = strlen(vars[i].name);

                if (strncmp(p, vars[i].name, n) == 0) {
                    break;
                }
            }

            if (vars[i].name) {
                mana_buf_adds(out, vars[i].value);
                p += n;
                continue;
            }
        }

        mana_buf_add(out, p++, 1);
    }
}


int
mmctl_notify(mmctl_ctx_t *ctx, unsigned long long citizen,
    const char *service_code, const char *ref, const char *key,
    const mmctl_var_t *more, const char *doc_url, const char *doc_name)
{
    int               rc;
    char              lang[9], *phone, *bsuid, *number, *text, *service;
    size_t            i, n;
    MYSQL_RES        *res;
    MYSQL_ROW         row;
    mana_buf_t        sql, body, payload;
    mana_wa_msg_t     m;
    mmctl_var_t   vars[MMCTL_NOTIFY_VARS + 3];

    mana_buf_init(&sql);
    mana_buf_addf(&sql, "SELECT phone, bsuid, language FROM citizen "
                  "WHERE id = %llu", citizen);

    res = mmctl_app_query(ctx, "cannot read the citizen", &sql);
    mana_buf_free(&sql);

    if (res == NULL) {
        return MMCTL_FAILED;
    }

    row = mysql_fetch_row(res);
    phone = row && row[0] ? strdup(row[0]) : NULL;
    bsuid = row && row[1] ? strdup(row[1]) : NULL;

    /* a language code goes into a JSON path: letters only */
    n = row && row[2] ? strlen(row[2]) : 0;
    snprintf(lang, sizeof(lang), "%s",
             n >= 2 && n <= 3
             && strspn(row[2], "abcdefghijklmnopqrstuvwxyz") == n
             ? row[2] : "en");
    mysql_free_result(res);

    number = text = service = NULL;
    mana_buf_init(&body);
    mana_buf_init(&payload);

    if (phone == NULL && bsuid == NULL) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "%s: its citizen has no "
                         "phone and no BSUID to write to", ref);
        goto done;
    }

    mana_buf_addf(&sql, "SELECT phone_number_id FROM outbox WHERE "
                  "citizen_id = %llu ORDER BY id DESC LIMIT 1", citizen);

    rc = mmctl_notify_value(ctx, "cannot read the outbox", &sql, &number);
    if (rc != MMCTL_OK) {
        goto done;
    }

    if (*number == '\0') {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "%s: the bot never "
                         "wrote to its citizen, so no number to write from",
                         ref);
        goto done;
    }

    mana_buf_adds(&sql, "SELECT text FROM i18n_message WHERE msg_key = ");
    mana_buf_add_sql_text(&sql, key, strlen(key));
    mana_buf_addf(&sql, " AND lang IN ('%s', 'en') ORDER BY lang = 'en' "
                  "LIMIT 1", lang);

    rc = mmctl_notify_value(ctx, "cannot read the message texts", &sql, &text);
    if (rc != MMCTL_OK) {
        goto done;
    }

    if (*text == '\0') {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "no text %s: \"mmctl "
                         "i18n import sql/seed/messages.json\" adds it", key);
        goto done;
    }

    mana_buf_addf(&sql, "SELECT COALESCE(JSON_VALUE(name, '$.%s'), "
                  "JSON_VALUE(name, '$.en'), code) FROM service WHERE code = ",
                  lang);
    mana_buf_add_sql_text(&sql, service_code, strlen(service_code));

    rc = mmctl_notify_value(ctx, "cannot read the service", &sql, &service);
    if (rc != MMCTL_OK) {
        goto done;
    }

    vars[0].name = "{ref}";
    vars[0].value = ref;
    vars[1].name = "{service}";
    vars[1].value = service;

    for (i = 0; i < MMCTL_NOTIFY_VARS && more[i].name; i++) {
        vars[i + 2] = more[i];
    }

    vars[i + 2].name = NULL;

    mmctl_notify_fill(&body, text, vars);
    mana_buf_add(&body, "", 1);

    m.to = phone ? phone : bsuid;
    m.header = NULL;
    m.footer = NULL;

    /*
     * With a document, the text is its caption: one message, one row.  A
     * text too long for a caption would lose its verification link to the
     * cut: the text goes alone then, as without a document key.
     */
    if (doc_url && !mana_buf_failed(&body)
        && mana_utf8_len(body.data, body.len - 1) > mana_wa_limits.caption)
    {
        doc_url = NULL;
    }

    if (mana_buf_failed(&body)
        || (doc_url ? mana_wa_document(&payload, &m, doc_url, doc_name,
                                       body.data)
                    : mana_wa_text(&payload, &m, body.data)) != 0)
    {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");
        goto done;
    }

    mana_buf_addf(&sql, "INSERT INTO outbox (citizen_id, phone_number_id, "
                  "to_bsuid, to_phone, lang, payload) VALUES (%llu, ",
                  citizen);
    mana_buf_add_sql_text(&sql, number, strlen(number));
    mana_buf_adds(&sql, ", ");

    if (bsuid) {
        mana_buf_add_sql_text(&sql, bsuid, strlen(bsuid));
    } else {
        mana_buf_adds(&sql, "NULL");
    }

    mana_buf_adds(&sql, ", ");

    if (phone) {
        mana_buf_add_sql_text(&sql, phone, strlen(phone));
    } else {
        mana_buf_adds(&sql, "NULL");
    }

    mana_buf_addf(&sql, ", '%s', ", lang);
    mana_buf_add_sql_text(&sql, payload.data, payload.len);
    mana_buf_adds(&sql, ")");

    if (mana_buf_failed(&sql)) {
        rc = mmctl_error(ctx, MMCTL_FAILED, "failed", "out of memory");

    } else if (mysql_real_query(ctx->mysql, sql.data, sql.len) != 0) {
        rc = mmctl_query_error(ctx, "cannot queue the notification");
    }

done:

    free(phone);
    free(bsuid);
    free(number);
    free(text);
    free(service);
    mana_buf_free(&sql);
    mana_buf_free(&body);
    mana_buf_free(&payload);

    return rc;
}
