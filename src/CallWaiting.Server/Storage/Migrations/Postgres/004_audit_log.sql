-- Every change made through the admin API (owned by Admin/AuditLog): who made it (api_key_id), to which tenant, what
-- (action, target, details as JSON text), from where (ip) and when. Append-only; read newest first, per tenant.
CREATE TABLE audit_log (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL,
    api_key_id  uuid        NULL,
    tenant_id   uuid        NULL,
    action      text        NOT NULL,
    target      text        NOT NULL,
    details     text        NOT NULL,
    ip          text        NULL
);

CREATE INDEX audit_log_tenant_id ON audit_log (tenant_id, id);
