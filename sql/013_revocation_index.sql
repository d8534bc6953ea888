-- Where a certificate's revocation leaf sits in the issuance log, so that
-- /api/v1/status/<kid>/<cti> can prove it with one lookup by index rather
-- than a scan of every leaf.  "mmctl cert revoke" records it in the
-- transaction that appends the leaf; certificates revoked before this
-- migration find theirs here, by the leaf's own bytes: 0x02, the kid, and
-- SHA-256 of the cti.

ALTER TABLE certificate
    ADD COLUMN revocation_index BIGINT UNSIGNED NULL AFTER revoke_reason,
    ADD UNIQUE KEY certificate_revocation_index (revocation_index);

UPDATE certificate c
    JOIN tlog_leaf l
        ON LENGTH(l.leaf) = 50
        AND SUBSTRING(l.leaf, 1, 1) = X'02'
        AND SUBSTRING(l.leaf, 2, 8) = c.kid
        AND SUBSTRING(l.leaf, 10, 32) = UNHEX(SHA2(c.cti, 256))
    SET c.revocation_index = l.idx
    WHERE c.revoked_at IS NOT NULL AND c.revocation_index IS NULL;
