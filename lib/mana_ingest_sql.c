#include <stdlib.h>
#include <string.h>

#include "mana_ingest_sql.h"


/* 500 bytes of error text at most, never ending inside a UTF-8 sequence */
#define MANA_ERROR_TEXT_MAX  500


static int
mana_message_cmp(const void *a, const void *b)
{
    return strcmp(((const mana_wh_message_t *) a)->wamid,
                  ((const mana_wh_message_t *) b)->wamid);
}


static int
mana_status_cmp(const void *a, const void *b)
{
    return strcmp(((const mana_wh_status_t *) a)->wamid,
                  ((const mana_wh_status_t *) b)->wamid);
}


static void
mana_sql_ascii_or_null(mana_buf_t *sql, const char *s)
{
    /* the parser admitted only [A-Za-z0-9._=+/:-] in identifiers */
    if (s) {
        mana_buf_addf(sql, "'%s'", s);

    } else {
        mana_buf_adds(sql, "NULL");
    }
}


static void
mana_sql_time_or_null(mana_buf_t *sql, long long t)
{
    if (t > 0) {
        mana_buf_addf(sql, "FROM_UNIXTIME(%lld)", t);

    } else {
        mana_buf_adds(sql, "NULL");
    }
}


static size_t
mana_utf8_cut(const char *s, size_t len, size_t max)
{
    if (len <= max) {
        return len;
    }

    /* step back over continuation bytes to a sequence start */
    while (max > 0 && ((unsigned char) s[max] & 0xc0) == 0x80) {
        max--;
    }

    return max;
}


static void
mana_sql_messages(mana_buf_t *sql, const mana_webhook_t *wh, size_t from,
    size_t to, int processed)
{
    size_t                    i;
    const mana_wh_message_t  *m;

    mana_buf_adds(sql, "INSERT INTO message_in (wamid, phone_number_id, "
                       "sender_bsuid, sender_phone, type, body, content, "
                       "sent_at, processed_at) VALUES ");

    for (i = from; i < to; i++) {
        m = &wh->messages[i];

        mana_buf_adds(sql, i > from ? ",(" : "(");
        mana_sql_ascii_or_null(sql, m->wamid);
        mana_buf_adds(sql, ",");
        mana_sql_ascii_or_null(sql, m->phone_number_id);
        mana_buf_adds(sql, ",");
        mana_sql_ascii_or_null(sql, m->bsuid);
        mana_buf_adds(sql, ",");
        mana_sql_ascii_or_null(sql, m->phone);
        mana_buf_adds(sql, ",");
        mana_sql_ascii_or_null(sql, m->type);
        mana_buf_adds(sql, ",");

        if (m->body) {
            mana_buf_add_sql_text(sql, m->body, m->body_len);

        } else {
            mana_buf_adds(sql, "NULL");
        }

        mana_buf_adds(sql, ",");
        mana_buf_add_sql_text(sql, m->content, strlen(m->content));
        mana_buf_adds(sql, ",");
        mana_sql_time_or_null(sql, m->timestamp);
        mana_buf_adds(sql, processed ? ",NOW(3))" : ",NULL)");
    }

    /* a retried wamid: keep the first copy, count nothing */
    mana_buf_adds(sql, " ON DUPLICATE KEY UPDATE id = id;\n");
}


static void
mana_sql_status(mana_buf_t *sql, const mana_wh_status_t *s)
{
    mana_buf_addf(sql, "UPDATE outbox SET delivery_status = %d, "
                       "delivery_at = ", (int) s->rank);
    mana_sql_time_or_null(sql, s->timestamp);

    if (s->error_code || s->error_text) {
        mana_buf_addf(sql, ", error_code = %lld, error_text = ",
                      s->error_code);

        if (s->error_text) {
            mana_buf_add_sql_text(sql, s->error_text,
                                  mana_utf8_cut(s->error_text, s->error_len,
                                                MANA_ERROR_TEXT_MAX));
        } else {
            mana_buf_adds(sql, "NULL");
        }
    }

    mana_buf_adds(sql, " WHERE wamid = ");
    mana_sql_ascii_or_null(sql, s->wamid);
    /* statuses arrive out of order: never move a row backwards */
    mana_buf_addf(sql, " AND delivery_status < %d;\n", (int) s->rank);
}


void
mana_ingest_sort(mana_webhook_t *wh)
{
    qsort(wh->messages, wh->nmessages, sizeof(mana_wh_message_t),
          mana_message_cmp);
    qsort(wh->statuses, wh->nstatuses, sizeof(mana_wh_status_t),
          mana_status_cmp);
}


unsigned
mana_ingest_sql(mana_buf_t *sql, mana_webhook_t *wh)
{
    size_t    i;
    unsigned  n;

    mana_ingest_sort(wh);

    mana_buf_adds(sql, "START TRANSACTION;\n");
    n = 2;

    if (wh->nmessages) {
        mana_sql_messages(sql, wh, 0, wh->nmessages, 0);
        n++;
    }

    for (i = 0; i < wh->nstatuses; i++) {
        mana_sql_status(sql, &wh->statuses[i]);
        n++;
    }

    mana_buf_adds(sql, "COMMIT");

    return n;
}


void
mana_ingest_sql_each(mana_buf_t *sql, const mana_webhook_t *wh)
{
    size_t  i;

    for (i = 0; i < wh->nmessages; i++) {
        mana_sql_messages(sql, wh, i, i + 1, 1);
    }

    for (i = 0; i < wh->nstatuses; i++) {
        mana_sql_status(sql, &wh->statuses[i]);
    }
}
