-- The districts with their names in every language, part of the catalogue
-- (its "districts", docs/catalogue-format.md), so that a citizen picks and
-- reads their district in their own language.  Offices, applications and
-- grievances keep naming a district by its English name, as before: that
-- is the key here too, and routing to offices does not change.

CREATE TABLE district (
    id              INT UNSIGNED NOT NULL AUTO_INCREMENT,
    -- name.en: the district as office.district and the requests store it
    name_en         VARCHAR(64) NOT NULL,
    -- {"en": "Guntur", "te": "గుంటూరు", ...}
    name            JSON NOT NULL,
    updated_at      DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
                    ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    UNIQUE KEY district_name (name_en)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
