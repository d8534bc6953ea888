-- The replies to one citizen arrive in the order they were written: the
-- sender claims a row only when no earlier row to the same recipient is
-- still unsent (state < 2).  The recipient is what the sender addresses
-- (the phone, else the BSUID), and the key finds a recipient's unsent rows
-- without reading their history.

ALTER TABLE outbox
    ADD COLUMN recipient VARCHAR(128) CHARACTER SET ascii
        AS (COALESCE(to_phone, to_bsuid)) STORED AFTER to_phone,
    ADD KEY outbox_recipient (recipient, state, id);
