-- The core of the message path: citizens, their sessions, every inbound
-- message (deduplicated by wamid) and the outbox of replies.
-- All times are UTC (connections set time_zone = '+00:00').

CREATE TABLE citizen (
    id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    -- business-scoped user id (BSUID); the phone may be withheld
    bsuid           VARCHAR(128) CHARACTER SET ascii NULL,
    phone           VARCHAR(32) CHARACTER SET ascii NULL,
    language        VARCHAR(8) CHARACTER SET ascii NULL,
    -- start of the 24-hour customer-service window
    last_inbound_at DATETIME NULL,
    created_at      DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    UNIQUE KEY citizen_bsuid (bsuid),
    UNIQUE KEY citizen_phone (phone)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE session (
    citizen_id      BIGINT UNSIGNED NOT NULL,
    state           JSON NOT NULL,
    -- optimistic concurrency: every update bumps it
    version         INT UNSIGNED NOT NULL DEFAULT 0,
    updated_at      DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
                    ON UPDATE CURRENT_TIMESTAMP(3),
    expires_at      DATETIME NULL,
    PRIMARY KEY (citizen_id),
    CONSTRAINT session_citizen FOREIGN KEY (citizen_id)
        REFERENCES citizen (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE message_in (
    id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    -- Meta retries: the unique key makes every retry a no-op
    wamid           VARCHAR(191) CHARACTER SET ascii NOT NULL,
    phone_number_id VARCHAR(64) CHARACTER SET ascii NOT NULL,
    sender_bsuid    VARCHAR(128) CHARACTER SET ascii NULL,
    sender_phone    VARCHAR(32) CHARACTER SET ascii NULL,
    type            VARCHAR(32) CHARACTER SET ascii NOT NULL,
    -- the text, or the id of the chosen button or list row
    body            TEXT NULL,
    -- the message object as Meta sent it (re-serialised, compact)
    content         JSON NOT NULL,
    sent_at         DATETIME NULL,
    received_at     DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    processed_at    DATETIME(3) NULL,
    PRIMARY KEY (id),
    UNIQUE KEY message_in_wamid (wamid),
    KEY message_in_bsuid (sender_bsuid),
    KEY message_in_phone (sender_phone),
    KEY message_in_unprocessed (processed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE outbox (
    id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    citizen_id      BIGINT UNSIGNED NULL,
    phone_number_id VARCHAR(64) CHARACTER SET ascii NOT NULL,
    to_bsuid        VARCHAR(128) CHARACTER SET ascii NULL,
    to_phone        VARCHAR(32) CHARACTER SET ascii NULL,
    payload         JSON NOT NULL,
    -- the sender's state: 0 queued, 1 sending, 2 accepted by Graph, 3 failed
    state           TINYINT UNSIGNED NOT NULL DEFAULT 0,
    attempts        SMALLINT UNSIGNED NOT NULL DEFAULT 0,
    next_attempt_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    lease_owner     VARCHAR(64) CHARACTER SET ascii NULL,
    lease_until     DATETIME(3) NULL,
    -- the id Graph returned; status webhooks find the row by it
    wamid           VARCHAR(191) CHARACTER SET ascii NULL,
    -- delivery as reported by status webhooks, only ever moving forward:
    -- 0 none, 1 sent, 2 delivered, 3 read, 4 played, 5 failed
    delivery_status TINYINT UNSIGNED NOT NULL DEFAULT 0,
    delivery_at     DATETIME NULL,
    error_code      INT NULL,
    error_text      VARCHAR(512) NULL,
    created_at      DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    UNIQUE KEY outbox_wamid (wamid),
    KEY outbox_due (state, next_attempt_at),
    CONSTRAINT outbox_citizen FOREIGN KEY (citizen_id)
        REFERENCES citizen (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
