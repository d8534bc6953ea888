/*
 * The SQL of one conversation turn, as text: who the citizen is (and a
 * lock on them, so two of their messages never interleave), what the bot
 * decided (the session, the replies), and the effects it asked for
 * (applications, grievances, status lookups, consent).  Every value from
 * outside goes in as a hex literal or a validated identifier.
 */

#ifndef MANA_CONV_SQL_H
#define MANA_CONV_SQL_H

#include <jansson.h>

#include "mana_buf.h"
#include "mana_webhook.h"


/*
 * Upserts the sender and locks them:
 *   INSERT INTO citizen ... ON DUPLICATE KEY UPDATE ...;
 *   SELECT c.id, c.language, s.state, s.version FROM citizen c
 *     LEFT JOIN session s ON s.citizen_id = c.id WHERE ... FOR UPDATE
 */
void mana_conv_sql_citizen(mana_buf_t *sql, const mana_wh_message_t *m);

/*
 * The session's new state and the replies to send, in one INSERT; the
 * citizen's language only when it is not old_lang any more.
 */
void mana_conv_sql_turn(mana_buf_t *sql, unsigned long long citizen_id,
    int had_session, unsigned version, json_t *state, json_t *replies,
    const mana_wh_message_t *m, const char *lang, const char *old_lang);

/*
 * An effect of the bot as statements.  0: the last one is a SELECT of the
 * result row; 1: the effect only writes, and its result is {"ok":true}
 * without a round trip; -1: an effect it does not know.
 */
int mana_conv_sql_effect(mana_buf_t *sql, unsigned long long citizen_id,
    json_t *effect, const char *wamid);

#endif /* MANA_CONV_SQL_H */
