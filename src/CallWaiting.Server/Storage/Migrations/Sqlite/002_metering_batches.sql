-- Write-once ledger of metering batches (owned by Metering/MeteringStore). A batch's id is inserted in the
-- same transaction as the usage increments and request logs it carries, so a retry of a batch whose first
-- commit did succeed (only the acknowledgement was lost) finds its id and is skipped, never counted twice.
CREATE TABLE metering_batches (
    batch_id      TEXT    NOT NULL PRIMARY KEY,
    committed_at  TEXT    NOT NULL,
    usage_events  INTEGER NOT NULL,
    request_logs  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX metering_batches_committed_at_idx ON metering_batches (committed_at);
