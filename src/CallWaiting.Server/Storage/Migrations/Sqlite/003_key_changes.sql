-- Append-only feed of API-key and tenant status changes (owned by Revocation/KeyChangeLog). Each change is
-- appended in the transaction that makes it; every server polls for ids above the last it saw and drops
-- those keys and tenants from its verification cache, so a change made by the CLI reaches running servers
-- within a second without Redis. AUTOINCREMENT: ids are never reused, so a poller never skips one.
CREATE TABLE key_changes (
    id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    api_key_id  TEXT    NULL,
    tenant_id   TEXT    NULL,
    status      TEXT    NOT NULL,
    changed_at  TEXT    NOT NULL,
    CHECK ((api_key_id IS NULL) <> (tenant_id IS NULL))
);
