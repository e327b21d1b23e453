-- The admin request-log search (Admin/AdminRequestLogEndpoints): a request id is looked up exactly, and a tenant's
-- admin reads its own tenant's requests newest first; both would otherwise scan the whole log.
CREATE INDEX request_logs_request_id_idx ON request_logs (request_id);
CREATE INDEX request_logs_tenant_created_at_idx ON request_logs (tenant_id, created_at);
