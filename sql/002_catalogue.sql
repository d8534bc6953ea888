-- The service catalogue: departments, their offices, their services (with
-- forms), and the bot's own message catalogue.  Texts shown to citizens are
-- JSON objects keyed by language code ({"en": "...", "te": "..."}), so that
-- a new language is data, not a migration.  mmctl validates every document
-- before it is written (docs/catalogue-format.md).

CREATE TABLE catalogue_version (
    id              TINYINT UNSIGNED NOT NULL,
    -- bumped by every change; the module's workers reload when it moves
    version         BIGINT UNSIGNED NOT NULL,
    updated_at      DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    CONSTRAINT catalogue_version_one_row CHECK (id = 1)
) ENGINE=InnoDB;

INSERT INTO catalogue_version (id, version) VALUES (1, 1);

CREATE TABLE department (
    id              INT UNSIGNED NOT NULL AUTO_INCREMENT,
    code            VARCHAR(16) CHARACTER SET ascii NOT NULL,
    enabled         TINYINT(1) NOT NULL DEFAULT 1,
    sort_order      INT NOT NULL DEFAULT 0,
    name            JSON NOT NULL,
    description     JSON NOT NULL,
    contact         JSON NOT NULL,
    updated_at      DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
                    ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    UNIQUE KEY department_code (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE office (
    id              INT UNSIGNED NOT NULL AUTO_INCREMENT,
    code            VARCHAR(32) CHARACTER SET ascii NOT NULL,
    department_id   INT UNSIGNED NOT NULL,
    district        VARCHAR(64) NOT NULL,
    mandal          VARCHAR(64) NULL,
    name            JSON NOT NULL,
    address         JSON NOT NULL,
    contact         JSON NOT NULL,
    enabled         TINYINT(1) NOT NULL DEFAULT 1,
    updated_at      DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
                    ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    UNIQUE KEY office_code (code),
    KEY office_route (department_id, district, mandal),
    CONSTRAINT office_department FOREIGN KEY (department_id)
        REFERENCES department (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE service (
    id              INT UNSIGNED NOT NULL AUTO_INCREMENT,
    code            VARCHAR(32) CHARACTER SET ascii NOT NULL,
    department_id   INT UNSIGNED NOT NULL,
    type            ENUM('information', 'application', 'instant_document',
                         'status_lookup', 'grievance', 'payment') NOT NULL,
    enabled         TINYINT(1) NOT NULL DEFAULT 1,
    popular         TINYINT(1) NOT NULL DEFAULT 0,
    sort_order      INT NOT NULL DEFAULT 0,
    -- in rupees; NULL when the service has no fee
    fee             DECIMAL(10,2) NULL,
    sla_days        SMALLINT UNSIGNED NULL,
    name            JSON NOT NULL,
    description     JSON NOT NULL,
    keywords        JSON NOT NULL,
    intents         JSON NOT NULL,
    documents       JSON NOT NULL,
    content         JSON NOT NULL,
    form            JSON NOT NULL,
    updated_at      DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
                    ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    UNIQUE KEY service_code (code),
    KEY service_department (department_id, sort_order),
    CONSTRAINT service_department FOREIGN KEY (department_id)
        REFERENCES department (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE i18n_message (
    lang            VARCHAR(8) CHARACTER SET ascii NOT NULL,
    msg_key         VARCHAR(64) CHARACTER SET ascii NOT NULL,
    text            TEXT NOT NULL,
    updated_at      DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
                    ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (lang, msg_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
