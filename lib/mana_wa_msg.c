#include <stdio.h>
#include <string.h>

#include "mana_utf8.h"
#include "mana_wa_msg.h"


const mana_wa_limits_t  mana_wa_limits = {
    4096, 1024, 60, 60, 20, 256, 24, 72, 200, 20, 24, 1024
};


/* the length of a valid UTF-8 sequence at s (at most n bytes), or 0 */
static size_t
mana_wa_seq(const unsigned char *s, size_t n)
{
    size_t  len;

    len = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2
          : (s[0] & 0xf0) == 0xe0 ? 3 : (s[0] & 0xf8) == 0xf0 ? 4 : 0;

    if (len == 0 || len > n || !mana_utf8_valid((const char *) s, len)) {
        return 0;
    }

    return len;
}


/*
 * Appends s as the inside of a JSON string: at most max_cp code points
 * (0: no limit) and max_bytes bytes of output characters (0: no limit);
 * returns 1 when it was cut.
 */
static int
mana_wa_json_chars(mana_buf_t *out, const char *s, size_t max_cp,
    size_t max_bytes)
{
    size_t                cp, bytes, len;
    unsigned char         c;
    const unsigned char  *p, *end;
    static const char     hex[] = "0123456789abcdef";

    p = (const unsigned char *) s;
    end = p + strlen(s);
    cp = 0;
    bytes = 0;

    while (p < end) {
        len = mana_wa_seq(p, end - p);

        if ((max_cp && cp == max_cp)
            || (max_bytes && bytes + (len ? len : 3) > max_bytes))
        {
            return 1;
        }

        cp++;

        if (len == 0) {
            /* not UTF-8: one replacement character for the byte */
            mana_buf_add(out, "\xef\xbf\xbd", 3);
            bytes += 3;
            p++;
            continue;
        }

        bytes += len;
        c = *p;

        if (len > 1) {
            mana_buf_add(out, p, len);

        } else if (c == '"' || c == '\\') {
            mana_buf_add(out, "\\", 1);
            mana_buf_add(out, p, 1);

        } else if (c == '\n') {
            mana_buf_add(out, "\\n", 2);

        } else if (c < 0x20 || c == 0x7f) {
            char  esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf] };
            mana_buf_add(out, esc, 6);

        } else {
            mana_buf_add(out, p, 1);
        }

        p += len;
    }

    return 0;
}


/* code points as they will be written: a byte that is not UTF-8 is one */
static size_t
mana_wa_count(const char *s)
{
    size_t                n, len;
    const unsigned char  *p, *end;

    p = (const unsigned char *) s;
    end = p + strlen(s);

    for (n = 0; p < end; n++) {
        len = mana_wa_seq(p, end - p);
        p += len ? len : 1;
    }

    return n;
}


void
mana_wa_json_text(mana_buf_t *out, const char *s, size_t max)
{
    size_t  n;

    mana_buf_add(out, "\"", 1);

    n = mana_wa_count(s);

    if (max && n > max) {
        /* room for the ellipsis, which is one code point */
        mana_wa_json_chars(out, s, max - 1, 0);
        mana_buf_adds(out, "\xe2\x80\xa6");

    } else {
        mana_wa_json_chars(out, s, 0, 0);
    }

    mana_buf_add(out, "\"", 1);
}


void
mana_wa_json_id(mana_buf_t *out, const char *s, size_t max)
{
    mana_buf_add(out, "\"", 1);
    mana_wa_json_chars(out, s, 0, max);
    mana_buf_add(out, "\"", 1);
}


static void
mana_wa_envelope(mana_buf_t *out, const mana_wa_msg_t *m, const char *type)
{
    mana_buf_adds(out, "{\"messaging_product\":\"whatsapp\","
                       "\"recipient_type\":\"individual\",\"to\":");
    mana_wa_json_id(out, m->to, 64);
    mana_buf_addf(out, ",\"type\":\"%s\",", type);
}


int
mana_wa_text(mana_buf_t *out, const mana_wa_msg_t *m, const char *body)
{
    mana_wa_envelope(out, m, "text");
    mana_buf_adds(out, "\"text\":{\"preview_url\":false,\"body\":");
    mana_wa_json_text(out, *body ? body : "-", mana_wa_limits.text_body);
    mana_buf_adds(out, "}}");

    return mana_buf_failed(out) ? -1 : 0;
}


int
mana_wa_document(mana_buf_t *out, const mana_wa_msg_t *m, const char *link,
    const char *filename, const char *caption)
{
    mana_wa_envelope(out, m, "document");
    mana_buf_adds(out, "\"document\":{\"link\":");
    mana_wa_json_id(out, link, 0);
    mana_buf_adds(out, ",\"filename\":");
    /* a name, not a path: Meta shows it and picks the icon by its end */
    mana_wa_json_id(out, filename && *filename ? filename : "document.pdf",
                    240);

    if (caption && *caption) {
        mana_buf_adds(out, ",\"caption\":");
        mana_wa_json_text(out, caption, mana_wa_limits.caption);
    }

    mana_buf_adds(out, "}}");

    return mana_buf_failed(out) ? -1 : 0;
}


static void
mana_wa_interactive_start(mana_buf_t *out, const mana_wa_msg_t *m,
    const char *kind, const char *body)
{
    mana_wa_envelope(out, m, "interactive");
    mana_buf_addf(out, "\"interactive\":{\"type\":\"%s\",", kind);

    if (m->header && *m->header) {
        mana_buf_adds(out, "\"header\":{\"type\":\"text\",\"text\":");
        mana_wa_json_text(out, m->header, mana_wa_limits.header);
        mana_buf_adds(out, "},");
    }

    /* the body is required and may not be empty */
    mana_buf_adds(out, "\"body\":{\"text\":");
    mana_wa_json_text(out, *body ? body : "-",
                      mana_wa_limits.interactive_body);
    mana_buf_adds(out, "},");

    if (m->footer && *m->footer) {
        mana_buf_adds(out, "\"footer\":{\"text\":");
        mana_wa_json_text(out, m->footer, mana_wa_limits.footer);
        mana_buf_adds(out, "},");
    }
}


int
mana_wa_buttons(mana_buf_t *out, const mana_wa_msg_t *m, const char *body,
    const mana_wa_choice_t *buttons, size_t n)
{
    size_t      i, j;
    mana_buf_t  titles[MANA_WA_MAX_BUTTONS];

    if (n == 0) {
        return -1;
    }

    if (n > MANA_WA_MAX_BUTTONS) {
        n = MANA_WA_MAX_BUTTONS;
    }

    /* button titles must be unique: number a title the cut made equal */
    for (i = 0; i < n; i++) {
        mana_buf_init(&titles[i]);
        mana_wa_json_text(&titles[i],
                          *buttons[i].title ? buttons[i].title : "-",
                          mana_wa_limits.button_title);

        for (j = 0; j < i; j++) {
            if (titles[j].len == titles[i].len
                && memcmp(titles[j].data, titles[i].data, titles[i].len) == 0)
            {
                char  num[4] = { ' ', (char) ('1' + i), '\0', '\0' };
                char  cut[128];

                mana_buf_free(&titles[i]);
                snprintf(cut, sizeof(cut), "%.*s", (int) mana_utf8_prefix(
                             buttons[i].title, strlen(buttons[i].title),
                             mana_wa_limits.button_title - 2),
                         buttons[i].title);
                strcat(cut, num);
                mana_wa_json_text(&titles[i], cut,
                                  mana_wa_limits.button_title);
                break;
            }
        }
    }

    mana_wa_interactive_start(out, m, "button", body);
    mana_buf_adds(out, "\"action\":{\"buttons\":[");

    for (i = 0; i < n; i++) {
        mana_buf_adds(out, i ? ",{\"type\":\"reply\",\"reply\":{\"id\":"
                             : "{\"type\":\"reply\",\"reply\":{\"id\":");
        mana_wa_json_id(out, buttons[i].id, mana_wa_limits.button_id);
        mana_buf_adds(out, ",\"title\":");
        mana_buf_add(out, titles[i].data, titles[i].len);
        mana_buf_adds(out, "}}");
        mana_buf_free(&titles[i]);
    }

    mana_buf_adds(out, "]}}}");

    return mana_buf_failed(out) ? -1 : 0;
}


int
mana_wa_list(mana_buf_t *out, const mana_wa_msg_t *m, const char *body,
    const char *button, const mana_wa_section_t *sections, size_t n)
{
    size_t                   i, j, rows;
    const mana_wa_choice_t  *r;

    rows = 0;

    for (i = 0; i < n; i++) {
        rows += sections[i].nrows;
    }

    if (rows == 0) {
        return -1;
    }

    mana_wa_interactive_start(out, m, "list", body);
    mana_buf_adds(out, "\"action\":{\"button\":");
    mana_wa_json_text(out, button, mana_wa_limits.list_button);
    mana_buf_adds(out, ",\"sections\":[");

    rows = 0;

    for (i = 0; i < n && rows < MANA_WA_MAX_ROWS; i++) {
        if (sections[i].nrows == 0) {
            continue;
        }

        mana_buf_adds(out, rows ? ",{" : "{");

        if ((sections[i].title && *sections[i].title) || n > 1) {
            mana_buf_adds(out, "\"title\":");
            mana_wa_json_text(out, (sections[i].title && *sections[i].title)
                                   ? sections[i].title : "-",
                              mana_wa_limits.section_title);
            mana_buf_adds(out, ",");
        }

        mana_buf_adds(out, "\"rows\":[");

        for (j = 0; j < sections[i].nrows && rows < MANA_WA_MAX_ROWS; j++) {
            r = &sections[i].rows[j];

            mana_buf_adds(out, j ? ",{\"id\":" : "{\"id\":");
            mana_wa_json_id(out, r->id, mana_wa_limits.row_id);
            mana_buf_adds(out, ",\"title\":");
            mana_wa_json_text(out, *r->title ? r->title : "-",
                              mana_wa_limits.row_title);

            if (r->description && *r->description) {
                mana_buf_adds(out, ",\"description\":");
                mana_wa_json_text(out, r->description,
                                  mana_wa_limits.row_description);
            }

            mana_buf_adds(out, "}");
            rows++;
        }

        mana_buf_adds(out, "]}");
    }

    mana_buf_adds(out, "]}}}");

    return mana_buf_failed(out) ? -1 : 0;
}
