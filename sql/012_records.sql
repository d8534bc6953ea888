-- Instant documents: the records a department loads for a service whose
-- documents the bot delivers at once (a hall-ticket list), and the
-- failed lookups that put a citizen in a cool-down.  See
-- docs/certificates.md, "Instant documents".

-- One record of a service, already a certificate: "mmctl records import"
-- signs it (nginx workers hold no signing key), so the bot only looks it
-- up and delivers.  A record is the same record again when its number is
-- (a roll number): a re-import that changes it gives it a new
-- certificate and marks the old one superseded.
CREATE TABLE record (
    id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    service_code    VARCHAR(32) CHARACTER SET ascii NOT NULL,
    -- the certificate number as printed (a roll number)
    number          VARCHAR(64) CHARACTER SET ascii NOT NULL,
    -- SHA-256 of the service and the normalised lookup fields
    -- (lib/mana_records.h): what the bot finds the record by
    lookup_key      BINARY(32) NOT NULL,
    -- SHA-256 of everything the certificate says: an unchanged row of a
    -- re-import is left alone
    content_hash    BINARY(32) NOT NULL,
    holder          VARCHAR(255) NOT NULL,
    certificate_id  BIGINT UNSIGNED NOT NULL,
    -- the certificate's QR text, the verification link the bot sends
    qr              TEXT CHARACTER SET ascii NOT NULL,
    -- the import that wrote the row: SERVICE-YYYYMMDDTHHMMSSZ
    batch           VARCHAR(64) CHARACTER SET ascii NOT NULL,
    imported_at     DATETIME NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY record_number (service_code, number),
    UNIQUE KEY record_lookup (service_code, lookup_key),
    KEY record_batch (batch),
    CONSTRAINT record_certificate FOREIGN KEY (certificate_id)
        REFERENCES certificate (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Failed lookups of one citizen for one service.  window_start is the
-- first failure of the window; from the third failure until the window's
-- 15 minutes have passed, no lookup runs.
CREATE TABLE record_lookup_failure (
    citizen_id      BIGINT UNSIGNED NOT NULL,
    service_code    VARCHAR(32) CHARACTER SET ascii NOT NULL,
    failures        SMALLINT UNSIGNED NOT NULL DEFAULT 0,
    window_start    DATETIME NOT NULL,
    PRIMARY KEY (citizen_id, service_code),
    CONSTRAINT record_lookup_failure_citizen FOREIGN KEY (citizen_id)
        REFERENCES citizen (id)
) ENGINE=InnoDB;
