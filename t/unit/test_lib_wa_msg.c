/*
 * Message builders: every message is valid JSON within the Cloud API's
 * limits, whatever the input, including random bytes.
 */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tap.h"
#include "mana_utf8.h"
#include "mana_wa_msg.h"


static size_t
cp(json_t *s)
{
    const char  *v = json_string_value(s);

    return v ? mana_utf8_len(v, strlen(v)) : 0;
}


/* every limit of the reference, checked on the parsed message */
static int
within_limits(json_t *msg)
{
    size_t   i, j, rows;
    json_t  *ia, *sections, *rowsv, *buttons;

    if (json_string_length(json_object_get(msg, "to")) == 0) {
        return 0;
    }

    if (json_object_get(msg, "text")) {
        return cp(json_object_get(json_object_get(msg, "text"), "body"))
               <= 4096;
    }

    if (json_object_get(msg, "document")) {
        ia = json_object_get(msg, "document");
        return json_is_string(json_object_get(ia, "link"))
               && json_string_length(json_object_get(ia, "filename")) > 0
               && cp(json_object_get(ia, "caption")) <= 1024;
    }

    ia = json_object_get(msg, "interactive");

    if (cp(json_object_get(json_object_get(ia, "body"), "text")) > 1024
        || cp(json_object_get(json_object_get(ia, "body"), "text")) == 0
        || cp(json_object_get(json_object_get(ia, "header"), "text")) > 60
        || cp(json_object_get(json_object_get(ia, "footer"), "text")) > 60)
    {
        return 0;
    }

    buttons = json_object_get(json_object_get(ia, "action"), "buttons");

    if (buttons) {
        if (json_array_size(buttons) < 1 || json_array_size(buttons) > 3) {
            return 0;
        }

        for (i = 0; i < json_array_size(buttons); i++) {
            json_t  *r = json_object_get(json_array_get(buttons, i), "reply");

            if (cp(json_object_get(r, "title")) > 20
                || cp(json_object_get(r, "title")) == 0
                || json_string_length(json_object_get(r, "id")) > 256)
            {
                return 0;
            }

            for (j = 0; j < i; j++) {
                if (json_equal(json_object_get(r, "title"),
                               json_object_get(json_object_get(
                                   json_array_get(buttons, j), "reply"),
                                   "title")))
                {
                    return 0;
                }
            }
        }

        return 1;
    }

    sections = json_object_get(json_object_get(ia, "action"), "sections");
    if (cp(json_object_get(json_object_get(ia, "action"), "button")) > 20) {
        return 0;
    }

    rows = 0;

    for (i = 0; i < json_array_size(sections); i++) {
        json_t  *s = json_array_get(sections, i);

        if (cp(json_object_get(s, "title")) > 24
            || (json_array_size(sections) > 1 && !json_object_get(s, "title")))
        {
            return 0;
        }

        rowsv = json_object_get(s, "rows");

        for (j = 0; j < json_array_size(rowsv); j++) {
            json_t  *r = json_array_get(rowsv, j);

            if (cp(json_object_get(r, "title")) > 24
                || cp(json_object_get(r, "description")) > 72
                || json_string_length(json_object_get(r, "id")) > 200)
            {
                return 0;
            }

            rows++;
        }
    }

    return rows >= 1 && rows <= 10;
}


static json_t *
parse(mana_buf_t *b)
{
    return json_loadb(b->data, b->len, 0, NULL);
}


static void
random_text(char *s, size_t max)
{
    size_t  i, n;

    n = rand() % max;

    for (i = 0; i < n; i++) {
        switch (rand() % 4) {
        case 0:
            s[i] = (char) (rand() % 256);
            break;
        case 1:
            s[i] = "\"\\\n\t{}[]"[rand() % 8];
            break;
        default:
            if (i + 3 < n) {
                memcpy(&s[i], "\xe0\xb0\x86", 3);     /* Telugu letter A */
                i += 2;
            } else {
                s[i] = 'a';
            }
        }

        if (s[i] == '\0') {
            s[i] = 'x';
        }
    }

    s[n] = '\0';
}


int
main(void)
{
    int                i, valid, fits;
    char               t[12][400];
    json_t            *j;
    mana_buf_t         b;
    mana_wa_msg_t      m = { "919000000001", NULL, NULL };
    mana_wa_choice_t   rows[14], btn[3];
    mana_wa_section_t  sec[2];

    const char  *long_te = "ఆదాయ ధృవీకరణ పత్రం కోసం దరఖాస్తు చేయండి";

    /* a long Telugu title is cut to 24 code points with an ellipsis */
    mana_buf_init(&b);
    for (i = 0; i < 14; i++) {
        rows[i].id = "svc:REV-INC";
        rows[i].title = long_te;
        rows[i].description = long_te;
    }
    sec[0].title = "Revenue";
    sec[0].rows = rows;
    sec[0].nrows = 14;
    ok(mana_wa_list(&b, &m, "Choose", "Services", sec, 1) == 0, "list built");
    j = parse(&b);
    ok(j != NULL, "valid JSON");
    ok(within_limits(j), "within every limit");
    ok(json_array_size(json_object_get(json_array_get(json_object_get(
           json_object_get(json_object_get(j, "interactive"), "action"),
           "sections"), 0), "rows")) == 10, "14 rows become 10");
    {
        const char  *title = json_string_value(json_object_get(
            json_array_get(json_object_get(json_array_get(json_object_get(
                json_object_get(json_object_get(j, "interactive"), "action"),
                "sections"), 0), "rows"), 0), "title"));

        ok(mana_utf8_len(title, strlen(title)) == 24, "title cut to 24");
        ok(strcmp(title + strlen(title) - 3, "\xe2\x80\xa6") == 0,
           "ending with an ellipsis");
        ok(mana_utf8_valid(title, strlen(title)), "never mid-sequence");
    }
    json_decref(j);
    mana_buf_free(&b);

    /* two sections: both titled */
    sec[0].nrows = 3;
    sec[1].title = NULL;
    sec[1].rows = rows;
    sec[1].nrows = 3;
    mana_wa_list(&b, &m, "x", "y", sec, 2);
    j = parse(&b);
    ok(j && within_limits(j), "two sections: each titled, within limits");
    json_decref(j);
    mana_buf_free(&b);

    /* buttons whose cut titles collide stay unique */
    btn[0].id = "confirm";
    btn[0].title = "Confirm the application now";
    btn[1].id = "confirm2";
    btn[1].title = "Confirm the application later";
    btn[2].id = "cancel";
    btn[2].title = "రద్దు";
    ok(mana_wa_buttons(&b, &m, "Summary", btn, 3) == 0, "buttons built");
    j = parse(&b);
    ok(j && within_limits(j), "titles unique and within 20 code points");
    json_decref(j);
    mana_buf_free(&b);

    /* text: 5000 Telugu letters cut to 4096 code points */
    {
        char  *big = malloc(5000 * 3 + 1);
        for (i = 0; i < 5000; i++) {
            memcpy(big + 3 * i, "\xe0\xb0\x86", 3);
        }
        big[15000] = '\0';
        mana_wa_text(&b, &m, big);
        j = parse(&b);
        ok(j && cp(json_object_get(json_object_get(j, "text"), "body"))
                == 4096, "a long text is cut to 4096 code points");
        json_decref(j);
        mana_buf_free(&b);
        free(big);
    }

    /* a document: the link and name as given, a long caption cut */
    {
        char  *big = malloc(1500 * 3 + 1);
        for (i = 0; i < 1500; i++) {
            memcpy(big + 3 * i, "\xe0\xb0\x86", 3);
        }
        big[4500] = '\0';
        ok(mana_wa_document(&b, &m, "https://verify.example/D/abc_-9",
                            "REV-INC-2026-000123.pdf", big) == 0,
           "a document message");
        j = parse(&b);
        ok(j && strcmp(json_string_value(json_object_get(j, "type")),
                       "document") == 0
           && strcmp(json_string_value(json_object_get(json_object_get(j,
                         "document"), "link")),
                     "https://verify.example/D/abc_-9") == 0
           && strcmp(json_string_value(json_object_get(json_object_get(j,
                         "document"), "filename")),
                     "REV-INC-2026-000123.pdf") == 0,
           "its link and file name as given");
        ok(j && cp(json_object_get(json_object_get(j, "document"),
                                   "caption")) == 1024,
           "a long caption is cut to 1024 code points");
        json_decref(j);
        mana_buf_free(&b);
        ok(mana_wa_document(&b, &m, "https://verify.example/D/x", NULL,
                            NULL) == 0
           && (j = parse(&b)) != NULL
           && json_object_get(json_object_get(j, "document"), "caption")
              == NULL
           && strcmp(json_string_value(json_object_get(json_object_get(j,
                         "document"), "filename")), "document.pdf") == 0,
           "no caption and a default name when none is given");
        json_decref(j);
        mana_buf_free(&b);
        free(big);
    }

    /* hostile bytes everywhere: always valid JSON within the limits */
    srand(42);
    valid = 0;
    fits = 0;
    for (i = 0; i < 3000; i++) {
        int  k;

        for (k = 0; k < 12; k++) {
            random_text(t[k], sizeof(t[k]) - 1);
        }

        m.to = t[0];
        m.header = t[1];
        m.footer = t[2];

        for (k = 0; k < 3; k++) {
            btn[k].id = t[3 + k];
            btn[k].title = *t[6 + k] ? t[6 + k] : "x";
        }

        rows[0].id = t[9];
        rows[0].title = *t[10] ? t[10] : "x";
        rows[0].description = t[11];
        sec[0].title = t[1];
        sec[0].nrows = 1;

        mana_buf_init(&b);
        switch (i % 4) {
        case 0:
            mana_wa_text(&b, &m, t[3]);
            break;
        case 1:
            mana_wa_buttons(&b, &m, t[4], btn, 3);
            break;
        case 2:
            mana_wa_document(&b, &m, t[7], t[8], t[9]);
            break;
        default:
            mana_wa_list(&b, &m, t[5], t[6], sec, 1);
        }

        j = parse(&b);
        valid += j != NULL;
        fits += j != NULL && (m.to[0] == '\0' || within_limits(j));
        json_decref(j);
        mana_buf_free(&b);
    }
    ok(valid == 3000, "3000 messages of random bytes: all valid JSON (%d)",
       valid);
    ok(fits == 3000, "and all within the limits (%d)", fits);

    return done_testing();
}
