/*
 * The transaction that stores one webhook delivery: every message inserted
 * once (a retried wamid changes nothing), every status applied only if it
 * moves the outbox row forward.
 */

#ifndef MANA_INGEST_SQL_H
#define MANA_INGEST_SQL_H

#include "mana_buf.h"
#include "mana_webhook.h"


/*
 * Appends "START TRANSACTION; ...; COMMIT" to sql.  Statement 1 is the
 * message insert when there are messages: its affected-row count is the
 * number of new messages.  Sorts wh's items by wamid, so that concurrent
 * deliveries lock rows in one order.  Returns the number of statements.
 */
unsigned mana_ingest_sql(mana_buf_t *sql, mana_webhook_t *wh);

/*
 * The same, for a transaction the bot goes on with: one INSERT per message
 * (statement i + 1 stores message i: its affected-row count says whether
 * it is new), the statuses, and no COMMIT.
 */
void mana_ingest_sql_open(mana_buf_t *sql, mana_webhook_t *wh);

#endif /* MANA_INGEST_SQL_H */
