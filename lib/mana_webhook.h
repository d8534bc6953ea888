/*
 * The Cloud API webhook payload, reduced to what the module stores: every
 * inbound message and every delivery status of every entry and change.
 * Items that cannot be used (unknown type, missing or malformed fields) are
 * skipped and counted, never guessed at.
 */

#ifndef MANA_WEBHOOK_H
#define MANA_WEBHOOK_H

#include <stddef.h>

#include <jansson.h>


/* delivery status ranks: a status only ever replaces a lower one */
typedef enum {
    MANA_DELIVERY_NONE = 0,
    MANA_DELIVERY_SENT,
    MANA_DELIVERY_DELIVERED,
    MANA_DELIVERY_READ,
    MANA_DELIVERY_PLAYED,
    MANA_DELIVERY_FAILED
} mana_delivery_e;


typedef struct {
    /* strings point into the parsed document */
    const char  *wamid;
    const char  *phone_number_id;
    const char  *phone;             /* NULL when withheld */
    const char  *bsuid;             /* NULL when not sent */
    const char  *type;
    const char  *body;              /* text, reply id, caption; or NULL */
    size_t       body_len;
    char        *content;           /* the message object, compact JSON */
    long long    timestamp;         /* unix seconds, 0 when absent */
    const char  *media_id;          /* image, document, ...: or NULL */
    int          has_location;
    double       latitude;
    double       longitude;
} mana_wh_message_t;


typedef struct {
    const char      *wamid;
    mana_delivery_e  rank;
    long long        timestamp;
    long long        error_code;    /* 0 when none */
    const char      *error_text;    /* NULL when none */
    size_t           error_len;
} mana_wh_status_t;


typedef struct {
    json_t             *root;
    mana_wh_message_t  *messages;
    size_t              nmessages;
    mana_wh_status_t   *statuses;
    size_t              nstatuses;
    unsigned            skipped;    /* unusable items, and errors[] */
    char                reason[160];  /* why the last item was skipped */
} mana_webhook_t;


typedef enum {
    MANA_WH_OK = 0,
    MANA_WH_BAD_JSON,       /* malformed, too deep, not an object */
    MANA_WH_NOT_WHATSAPP,   /* valid JSON of another shape */
    MANA_WH_NO_MEMORY
} mana_wh_rc_e;


mana_wh_rc_e mana_webhook_parse(mana_webhook_t *wh, const char *body,
    size_t len, unsigned max_depth);
void mana_webhook_free(mana_webhook_t *wh);

#endif /* MANA_WEBHOOK_H */
