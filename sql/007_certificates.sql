-- Certificates that cannot be forged: the signing keys, the certificates
-- issued, and the public issuance log (a Merkle tree log as in RFC 6962,
-- stored as in Go's sumdb/tlog).  See docs/certificates.md.

-- Ed25519 keys.  kid = the first 8 bytes of SHA-256 of the public key.
-- The private key is sealed with AES-256-GCM under the master key (a file
-- outside the database), with the kid as associated data, so a sealed key
-- moved onto another row does not open.
--   root:   signs the trust list
--   issuer: signs certificates of one office (iss)
--   log:    signs the issuance log's checkpoints
CREATE TABLE signing_key (
    id              INT UNSIGNED NOT NULL AUTO_INCREMENT,
    kid             BINARY(8) NOT NULL,
    purpose         ENUM('root', 'issuer', 'log') NOT NULL,
    -- issuer: the office code (the certificates' iss); log: the log's
    -- origin line; root: a label
    name            VARCHAR(191) CHARACTER SET ascii NOT NULL,
    department_code VARCHAR(16) CHARACTER SET ascii NULL,
    public_key      BINARY(32) NOT NULL,
    private_sealed  VARBINARY(128) NOT NULL,
    -- active: signs; retired: verifies only; revoked: verifies nothing
    -- issued at or after revoked_at
    status          ENUM('active', 'retired', 'revoked') NOT NULL
                    DEFAULT 'active',
    valid_from      DATETIME NOT NULL,
    valid_until     DATETIME NOT NULL,
    revoked_at      DATETIME NULL,
    created_at      DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at      DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
                    ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    UNIQUE KEY signing_key_kid (kid),
    KEY signing_key_name (purpose, name, status)
) ENGINE=InnoDB;

-- Bumped by every change of signing_key: workers reload their keys when it
-- moves, never per request.
CREATE TABLE key_version (
    id              TINYINT UNSIGNED NOT NULL,
    version         BIGINT UNSIGNED NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT key_version_one CHECK (id = 1)
) ENGINE=InnoDB;
INSERT INTO key_version (id, version) VALUES (1, 0);

CREATE TABLE certificate (
    id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    -- 12 random bytes: the certificate id and revocation handle
    cti             BINARY(12) NOT NULL,
    kid             BINARY(8) NOT NULL,
    -- as printed, e.g. REV-INC-2026-000123
    number          VARCHAR(64) CHARACTER SET ascii NOT NULL,
    service_code    VARCHAR(32) CHARACTER SET ascii NOT NULL,
    doc_type        SMALLINT UNSIGNED NOT NULL,
    citizen_id      BIGINT UNSIGNED NULL,
    application_ref VARCHAR(48) CHARACTER SET ascii NULL,
    -- the signed COSE_Sign1 bytes: the QR's content, the PDF's source
    cose            VARBINARY(4096) NOT NULL,
    issued_at       DATETIME NOT NULL,
    expires_at      DATETIME NULL,
    status          ENUM('valid', 'revoked', 'superseded') NOT NULL
                    DEFAULT 'valid',
    revoked_at      DATETIME NULL,
    revoke_reason   TINYINT UNSIGNED NULL,
    log_index       BIGINT UNSIGNED NOT NULL,
    created_at      DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    UNIQUE KEY certificate_cti (cti),
    UNIQUE KEY certificate_log_index (log_index),
    KEY certificate_citizen (citizen_id),
    KEY certificate_application (application_ref),
    CONSTRAINT certificate_citizen FOREIGN KEY (citizen_id)
        REFERENCES citizen (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The issuance log.  One row holds its size; an append locks it, so two
-- issuers never take one index.
CREATE TABLE tlog_state (
    id              TINYINT UNSIGNED NOT NULL,
    size            BIGINT UNSIGNED NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT tlog_state_one CHECK (id = 1)
) ENGINE=InnoDB;
INSERT INTO tlog_state (id, size) VALUES (1, 0);

-- the leaves, public and free of personal data: 0x01 issuance, 0x02
-- revocation (see docs/certificates-log.md)
CREATE TABLE tlog_leaf (
    idx             BIGINT UNSIGNED NOT NULL,
    leaf            VARBINARY(128) NOT NULL,
    PRIMARY KEY (idx)
) ENGINE=InnoDB;

-- the stored hashes, in sumdb/tlog's dense order: about two per leaf
CREATE TABLE tlog_hash (
    idx             BIGINT UNSIGNED NOT NULL,
    hash            BINARY(32) NOT NULL,
    PRIMARY KEY (idx)
) ENGINE=InnoDB;

-- signed checkpoints (C2SP tlog-checkpoint), one per size signed
CREATE TABLE tlog_checkpoint (
    size            BIGINT UNSIGNED NOT NULL,
    root            BINARY(32) NOT NULL,
    note            TEXT CHARACTER SET utf8mb4 NOT NULL,
    signed_at       DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (size)
) ENGINE=InnoDB;
