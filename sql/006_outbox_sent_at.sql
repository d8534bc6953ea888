-- When Graph accepted each reply: how long citizens wait, for operators and
-- for the benchmark.

ALTER TABLE outbox
    ADD COLUMN sent_at DATETIME(3) NULL AFTER wamid;
