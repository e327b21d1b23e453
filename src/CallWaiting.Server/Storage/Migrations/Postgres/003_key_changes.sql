-- Append-only feed of API-key and tenant status changes (owned by Revocation/KeyChangeLog). Each change is
-- appended in the transaction that makes it, under a transaction lock, so ids become visible in order and a
-- poller that reads "id > last" never skips one. Every server polls it and drops those keys and tenants from
-- its verification cache, so a change reaches every replica within a second, with or without Redis.
CREATE TABLE key_changes (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    api_key_id  uuid        NULL,
    tenant_id   uuid        NULL,
    status      text        NOT NULL,
    changed_at  timestamptz NOT NULL,
    CHECK ((api_key_id IS NULL) <> (tenant_id IS NULL))
);
