/*
 * The transaction that stores one webhook delivery: every message inserted
 * once (a retried wamid changes nothing), every status applied only if it
 * moves the outbox row forward.
 */

#ifndef MANA_INGEST_SQL_H
#define MANA_INGEST_SQL_H

#include "mana_buf.h"
#include "mana_webhook.h"


/* by wamid, so that concurrent deliveries lock rows in one order */
void mana_ingest_sort(mana_webhook_t *wh);

/*
 * Appends "START TRANSACTION; ...; COMMIT" to sql.  Statement 1 is the
 * message insert when there are messages: its affected-row count is the
 * number of new messages.  Sorts wh's items.  Returns the number of
 * statements.
 */
unsigned mana_ingest_sql(mana_buf_t *sql, mana_webhook_t *wh);

/*
 * The statements of a transaction the bot goes on with: one INSERT per
 * message (whose affected-row count says whether it is new), marked
 * processed, since the bot answers it before the transaction commits; then
 * the statuses.  nmessages + nstatuses statements, in wh's order.
 */
void mana_ingest_sql_each(mana_buf_t *sql, const mana_webhook_t *wh);

#endif /* MANA_INGEST_SQL_H */
