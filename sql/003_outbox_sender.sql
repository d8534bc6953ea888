-- What the outbound sender needs: the citizen's language (a template that
-- replaces a message outside the 24-hour window is sent in it) and a way to
-- find the rows of one claim.

ALTER TABLE outbox
    ADD COLUMN lang VARCHAR(8) CHARACTER SET ascii NULL AFTER to_phone,
    ADD KEY outbox_lease (lease_owner);
