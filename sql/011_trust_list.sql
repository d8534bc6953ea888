-- The signed trust list (docs/certificates.md, "Keys and the trust list"),
-- as "mmctl key trust-list" signed it: one row each time it signs, so that
-- the module serves /.well-known/mana/trust.json from the newest row, byte
-- for byte, with no file to copy to every node.  Older rows stay: they are
-- what verifiers were given, and cost a few kilobytes each.

CREATE TABLE trust_list (
    id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    -- key_version when it was signed: the list's own "version"
    key_version     BIGINT UNSIGNED NOT NULL,
    issued_at       DATETIME NOT NULL,
    -- the signed document, exactly as served (ASCII JSON and a newline)
    document        MEDIUMBLOB NOT NULL,
    created_at      DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    KEY trust_list_version (key_version)
) ENGINE=InnoDB;
