/*
 * Cloud API messages that respect every limit by construction: at most 10
 * list rows and 3 buttons; titles, descriptions and bodies cut in code
 * points with an ellipsis, never inside a UTF-8 sequence; ids cut in bytes
 * on a character boundary; any byte string becomes valid JSON (invalid
 * UTF-8 is replaced by U+FFFD, control characters escaped).
 *
 * Limits that Meta may change are in mana_wa_limits_t, with the
 * reference's values as defaults.
 */

#ifndef MANA_WA_MSG_H
#define MANA_WA_MSG_H

#include <stddef.h>

#include "mana_buf.h"


#define MANA_WA_MAX_BUTTONS  3
#define MANA_WA_MAX_ROWS     10


typedef struct {
    size_t  text_body;          /* 4096 */
    size_t  interactive_body;   /* 1024 */
    size_t  header;             /* 60 */
    size_t  footer;             /* 60 */
    size_t  button_title;       /* 20 */
    size_t  button_id;          /* 256 bytes */
    size_t  row_title;          /* 24 */
    size_t  row_description;    /* 72 */
    size_t  row_id;             /* 200 bytes */
    size_t  list_button;        /* 20 */
    size_t  section_title;      /* 24 */
    size_t  caption;            /* 1024 */
} mana_wa_limits_t;

extern const mana_wa_limits_t  mana_wa_limits;


typedef struct {
    const char  *id;
    const char  *title;
    const char  *description;   /* rows only; NULL for none */
} mana_wa_choice_t;


typedef struct {
    const char        *title;   /* required when a list has 2+ sections */
    mana_wa_choice_t  *rows;
    size_t             nrows;
} mana_wa_section_t;


/* the envelope and recipient shared by every message */
typedef struct {
    const char  *to;            /* wa_id (phone) or the BSUID */
    const char  *header;        /* interactive only; NULL for none */
    const char  *footer;
} mana_wa_msg_t;


int mana_wa_text(mana_buf_t *out, const mana_wa_msg_t *m, const char *body);

/*
 * A document Meta fetches from link (https, or http for the sandbox),
 * shown as filename (cut to 240 bytes) with caption (1024 code points,
 * none when NULL or empty).
 */
int mana_wa_document(mana_buf_t *out, const mana_wa_msg_t *m,
    const char *link, const char *filename, const char *caption);

/* 1 to 3 reply buttons; titles made unique if the cut made them equal */
int mana_wa_buttons(mana_buf_t *out, const mana_wa_msg_t *m,
    const char *body, const mana_wa_choice_t *buttons, size_t n);

/* at most 10 rows in all: rows beyond are dropped (the caller pages) */
int mana_wa_list(mana_buf_t *out, const mana_wa_msg_t *m, const char *body,
    const char *button, const mana_wa_section_t *sections, size_t n);

/* a JSON string of s cut to max code points (0: no cut), with an ellipsis */
void mana_wa_json_text(mana_buf_t *out, const char *s, size_t max);
/* a JSON string of s cut to max bytes on a character boundary, no ellipsis */
void mana_wa_json_id(mana_buf_t *out, const char *s, size_t max);

#endif /* MANA_WA_MSG_H */
