-- Every change made through the admin API (owned by Admin/AuditLog): who made it (api_key_id), to which tenant, what
-- (action, target, details as JSON text), from where (ip) and when. Append-only; read newest first, per tenant.
CREATE TABLE audit_log (
    id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    at          TEXT    NOT NULL,
    api_key_id  TEXT    NULL,
    tenant_id   TEXT    NULL,
    action      TEXT    NOT NULL,
    target      TEXT    NOT NULL,
    details     TEXT    NOT NULL,
    ip          TEXT    NULL
);

CREATE INDEX audit_log_tenant_id ON audit_log (tenant_id, id);
