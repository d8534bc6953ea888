-- The sandbox's stand-in for the Graph API keeps what the outbox sender
-- delivered to it here, so that every nginx worker (whichever one the
-- sender and the browser's poll reach) sees the same messages.  The
-- stand-in keeps only the last messages of each recipient (it deletes the
-- older ones in the transaction that inserts), so the table stays small.

CREATE TABLE sandbox_message (
    id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    -- the "to" of the request: a wa_id (phone) or a BSUID
    recipient       VARCHAR(64) CHARACTER SET ascii NOT NULL,
    -- the id the stand-in answered with, as Graph would
    wamid           VARCHAR(191) CHARACTER SET ascii NOT NULL,
    -- the request's body as the sender posted it
    payload         JSON NOT NULL,
    created_at      DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    UNIQUE KEY sandbox_message_wamid (wamid),
    KEY sandbox_message_recipient (recipient, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
