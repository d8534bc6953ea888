-- Signing keys, as mmctl key manages them (docs/certificates.md, "Keys and
-- the trust list"): at most one active key per office for issuers, one
-- active root key and one active log key, enforced here so that no writer
-- can leave two keys signing for one office; and why a key was revoked.

ALTER TABLE signing_key
    ADD COLUMN revoke_reason VARCHAR(255) CHARACTER SET utf8mb4
        COLLATE utf8mb4_unicode_ci NULL AFTER revoked_at,
    -- the slot an active key fills: "issuer <office>", "root" or "log";
    -- NULL for the others, which a unique key lets any number share
    ADD COLUMN active_slot VARCHAR(200) CHARACTER SET ascii
        AS (IF(status = 'active',
               IF(purpose = 'issuer', CONCAT('issuer ', name), purpose),
               NULL)) PERSISTENT,
    ADD UNIQUE KEY signing_key_active (active_slot);
