/*
 * Replies: every one built with mana_wa_msg, so that no conversation can
 * produce a message the Cloud API refuses; lists longer than a message
 * allows become pages.
 */

#include <stdio.h>
#include <string.h>

#include "mana_bot_int.h"
#include "mana_utf8.h"


static void
mana_bot_reply_add(mana_bot_t *b, mana_buf_t *buf, int rc)
{
    json_t  *s;

    if (rc != 0 || mana_buf_failed(buf)) {
        b->failed = 1;
        mana_buf_free(buf);
        return;
    }

    s = json_stringn(buf->data, buf->len);

    if (s == NULL || json_array_append_new(b->replies, s) != 0) {
        b->failed = 1;
    }

    mana_buf_free(buf);
}


static void
mana_bot_envelope(mana_bot_t *b, mana_wa_msg_t *m)
{
    m->to = b->in->to ? b->in->to : "";
    m->header = NULL;
    m->footer = NULL;
}


void
mana_bot_text(mana_bot_t *b, const char *body)
{
    mana_buf_t     buf;
    mana_wa_msg_t  m;

    mana_bot_envelope(b, &m);
    mana_buf_init(&buf);
    mana_bot_reply_add(b, &buf, mana_wa_text(&buf, &m, body));
}


void
mana_bot_document(mana_bot_t *b, const char *link, const char *filename,
    const char *caption)
{
    mana_buf_t     buf;
    mana_wa_msg_t  m;

    mana_bot_envelope(b, &m);
    mana_buf_init(&buf);
    mana_bot_reply_add(b, &buf, mana_wa_document(&buf, &m, link, filename,
                                                 caption));
}


void
mana_bot_buttons(mana_bot_t *b, const char *body,
    const mana_wa_choice_t *buttons, size_t n)
{
    mana_buf_t     buf;
    mana_wa_msg_t  m;

    mana_bot_envelope(b, &m);
    mana_buf_init(&buf);
    mana_bot_reply_add(b, &buf, mana_wa_buttons(&buf, &m, body, buttons, n));
}


void
mana_bot_sections(mana_bot_t *b, const char *body, const char *button,
    const mana_wa_section_t *s, size_t n)
{
    mana_buf_t     buf;
    mana_wa_msg_t  m;

    mana_bot_envelope(b, &m);
    mana_buf_init(&buf);
    mana_bot_reply_add(b, &buf, mana_wa_list(&buf, &m, body, button, s, n));
}


void
mana_bot_list(mana_bot_t *b, const char *body, const char *button,
    const mana_wa_choice_t *rows, size_t n)
{
    mana_buf_t         buf;
    mana_wa_msg_t      m;
    mana_wa_section_t  s;

    mana_bot_envelope(b, &m);
    mana_buf_init(&buf);

    s.title = NULL;
    s.rows = (mana_wa_choice_t *) rows;
    s.nrows = n;

    mana_bot_reply_add(b, &buf, mana_wa_list(&buf, &m, body, button, &s, 1));
}


/*
 * Pages: the first holds first rows (what other sections leave), the
 * others 10; a page that cannot hold the rest holds one less and "More...".
 */
static size_t
mana_bot_page_first(size_t n, size_t first)
{
    return n <= first ? n : first - 1;
}


size_t
mana_bot_pages_from(size_t n, size_t first)
{
    size_t  rest;

    rest = n - mana_bot_page_first(n, first);

    return rest == 0 ? 1
           : rest <= MANA_WA_MAX_ROWS ? 2
           : (rest - MANA_WA_MAX_ROWS + MANA_BOT_PAGE - 1) / MANA_BOT_PAGE + 2;
}


size_t
mana_bot_pages(size_t n)
{
    return mana_bot_pages_from(n, MANA_WA_MAX_ROWS);
}


void
mana_bot_paged(mana_bot_t *b, const mana_bot_page_t *pg)
{
    size_t             start, k, ns, page, pages, first;
    mana_buf_t         buf;
    mana_wa_msg_t      m;
    mana_wa_choice_t   rows[MANA_WA_MAX_ROWS];
    mana_wa_section_t  s[2];

    first = MANA_WA_MAX_ROWS - pg->nquick;
    pages = mana_bot_pages_from(pg->n, first);
    page = pg->page >= 1 && pg->page <= pages ? pg->page : 1;

    if (page == 1) {
        start = 0;
        k = mana_bot_page_first(pg->n, first);

    } else {
        start = mana_bot_page_first(pg->n, first)
                + (page - 2) * MANA_BOT_PAGE;
        k = pg->n - start <= MANA_WA_MAX_ROWS ? pg->n - start
                                                : MANA_BOT_PAGE;
    }

    memcpy(rows, pg->items + start, k * sizeof(mana_wa_choice_t));

    if (start + k < pg->n) {
        rows[k].id = mana_bot_sprintf(b, pg->more_fmt, (int) page + 1);
        rows[k].title = mana_bot_msg(b, "menu.row.more");
        rows[k].description = mana_bot_fmt(b, "menu.row.more.desc",
                                  "page", mana_bot_sprintf(b, "%zu",
                                                           page + 1),
                                  "pages", mana_bot_sprintf(b, "%zu", pages),
                                  NULL);
        k++;
    }

    ns = 0;

    if (page == 1 && pg->nquick) {
        s[ns].title = pg->quick_title;
        s[ns].rows = (mana_wa_choice_t *) pg->quick;
        s[ns].nrows = pg->nquick;
        ns++;
    }

    s[ns].title = pg->title;
    s[ns].rows = rows;
    s[ns].nrows = k;
    ns++;

    m.to = b->in->to ? b->in->to : "";
    m.header = page == 1 ? pg->header : NULL;
    m.footer = page == 1 ? pg->footer : NULL;

    mana_buf_init(&buf);
    mana_bot_reply_add(b, &buf,
                       mana_wa_list(&buf, &m, page == 1 || !pg->body_more
                                              ? pg->body
                                              : mana_bot_fmt(b, pg->body_more,
                                                    "page",
                                                    mana_bot_sprintf(b, "%zu",
                                                                     page),
                                                    "pages",
                                                    mana_bot_sprintf(b, "%zu",
                                                                     pages),
                                                    NULL),
                                    page == 1 || !pg->button_more
                                    ? pg->button : pg->button_more,
                                    s, ns));
}


void
mana_bot_buttons_long(mana_bot_t *b, const char *body, const char *brief,
    const mana_wa_choice_t *buttons, size_t n)
{
    const char  *nl;

    if (mana_utf8_len(body, strlen(body)) > mana_wa_limits.interactive_body)
    {
        /*
         * Too long for a button message, and a cut would hide a part of
         * it: the whole as a text, then the buttons under its first line.
         */
        mana_bot_text(b, body);

        if (brief == NULL || *brief == '\0') {
            nl = strchr(body, '\n');
            brief = nl && nl != body ? mana_bot_strdup(b, body, nl - body)
                                     : body;
        }

        body = brief;
    }

    mana_bot_buttons(b, body, buttons, n);
}


void
mana_bot_nav(mana_bot_t *b, const char *body, const char *brief, int back)
{
    size_t            n;
    mana_wa_choice_t  btn[2];

    n = 0;

    if (back) {
        btn[n].id = "btn:back";
        btn[n].title = mana_bot_msg(b, "nav.back.button");
        btn[n].description = NULL;
        n++;
    }

    btn[n].id = "btn:menu";
    btn[n].title = mana_bot_msg(b, "nav.menu.button");
    btn[n].description = NULL;
    n++;

    mana_bot_buttons_long(b, body, brief, btn, n);
}
