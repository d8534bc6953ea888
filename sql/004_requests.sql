-- What a conversation creates: applications and grievances with their
-- reference numbers and status history, and the record of each privacy
-- notice a citizen accepted.

-- reference numbers: one counter per prefix and year, taken inside the
-- transaction that creates the request (REV-INC-2026-000123)
CREATE TABLE reference_counter (
    prefix          VARCHAR(32) CHARACTER SET ascii NOT NULL,
    year            SMALLINT UNSIGNED NOT NULL,
    last            BIGINT UNSIGNED NOT NULL,
    PRIMARY KEY (prefix, year)
) ENGINE=InnoDB;

CREATE TABLE application (
    id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    ref             VARCHAR(48) CHARACTER SET ascii NOT NULL,
    citizen_id      BIGINT UNSIGNED NOT NULL,
    service_code    VARCHAR(32) CHARACTER SET ascii NOT NULL,
    department_code VARCHAR(16) CHARACTER SET ascii NOT NULL,
    office_id       INT UNSIGNED NULL,
    district        VARCHAR(64) NULL,
    mandal          VARCHAR(64) NULL,
    -- the form's answers
    fields          JSON NOT NULL,
    status          ENUM('submitted', 'in_review', 'approved', 'rejected',
                         'issued') NOT NULL DEFAULT 'submitted',
    due_date        DATE NULL,
    created_at      DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at      DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
                    ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    UNIQUE KEY application_ref (ref),
    KEY application_citizen (citizen_id),
    KEY application_queue (department_code, status, created_at),
    CONSTRAINT application_citizen FOREIGN KEY (citizen_id)
        REFERENCES citizen (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE grievance (
    id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    ref             VARCHAR(48) CHARACTER SET ascii NOT NULL,
    citizen_id      BIGINT UNSIGNED NOT NULL,
    service_code    VARCHAR(32) CHARACTER SET ascii NOT NULL,
    department_code VARCHAR(16) CHARACTER SET ascii NOT NULL,
    office_id       INT UNSIGNED NULL,
    district        VARCHAR(64) NULL,
    category        VARCHAR(64) NULL,
    description     TEXT NOT NULL,
    media_id        VARCHAR(128) CHARACTER SET ascii NULL,
    latitude        DECIMAL(9,6) NULL,
    longitude       DECIMAL(9,6) NULL,
    status          ENUM('registered', 'in_progress', 'resolved',
                         'closed') NOT NULL DEFAULT 'registered',
    due_date        DATE NULL,
    created_at      DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at      DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
                    ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    UNIQUE KEY grievance_ref (ref),
    KEY grievance_citizen (citizen_id),
    KEY grievance_queue (department_code, status, created_at),
    CONSTRAINT grievance_citizen FOREIGN KEY (citizen_id)
        REFERENCES citizen (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- every status a request went through, in order
CREATE TABLE request_history (
    id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    ref             VARCHAR(48) CHARACTER SET ascii NOT NULL,
    status          VARCHAR(16) CHARACTER SET ascii NOT NULL,
    note            VARCHAR(512) NULL,
    actor           VARCHAR(64) NULL,
    at              DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    KEY request_history_ref (ref, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- append-only: the privacy notice each citizen was shown and accepted
CREATE TABLE consent (
    id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    citizen_id      BIGINT UNSIGNED NOT NULL,
    notice_version  VARCHAR(64) CHARACTER SET ascii NOT NULL,
    lang            VARCHAR(8) CHARACTER SET ascii NOT NULL,
    purposes        JSON NOT NULL,
    basis           VARCHAR(16) CHARACTER SET ascii NOT NULL,
    wamid           VARCHAR(191) CHARACTER SET ascii NULL,
    at              DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    KEY consent_citizen (citizen_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
