-- CallWaiting schema v1 (SQLite). Same tables as PostgreSQL; uuids are canonical lower-case TEXT and
-- timestamps fixed-width ISO-8601 UTC TEXT (yyyy-MM-ddTHH:mm:ss.fffffffZ) so string order is time order.

CREATE TABLE tenants (
    id          TEXT    NOT NULL PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    plan        TEXT    NOT NULL DEFAULT 'free',
    status      TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '0000Z')
);

CREATE TABLE api_keys (
    id                  TEXT    NOT NULL PRIMARY KEY,
    tenant_id           TEXT    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name                TEXT    NOT NULL,
    key_prefix          TEXT    NOT NULL UNIQUE,
    key_hash            TEXT    NOT NULL,
    scopes              TEXT    NOT NULL,
    rate_limit_per_min  INTEGER NOT NULL DEFAULT 120 CHECK (rate_limit_per_min > 0),
    rate_limit_per_day  INTEGER NOT NULL DEFAULT 10000 CHECK (rate_limit_per_day > 0),
    status              TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked', 'suspended')),
    expires_at          TEXT    NULL,
    allowed_origins     TEXT    NULL,
    last_used_at        TEXT    NULL,
    created_at          TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '0000Z'),
    revoked_at          TEXT    NULL
);
CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id, created_at);

CREATE TABLE voices (
    id            TEXT    NOT NULL PRIMARY KEY,
    slug          TEXT    NOT NULL UNIQUE,
    owner_tenant  TEXT    NULL REFERENCES tenants (id) ON DELETE CASCADE,
    display_name  TEXT    NOT NULL,
    description   TEXT    NOT NULL DEFAULT '',
    language      TEXT    NOT NULL,
    gender        TEXT    NULL,
    engine        TEXT    NOT NULL,
    engine_voice  TEXT    NOT NULL,
    sample_url    TEXT    NULL,
    params        TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(params)),
    created_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '0000Z')
);
CREATE INDEX voices_owner_tenant_idx ON voices (owner_tenant);

-- Metering tables carry no foreign keys on purpose: a flush of usage must never be rejected.
CREATE TABLE usage_counters (
    day              TEXT    NOT NULL,
    api_key_id       TEXT    NOT NULL,
    tenant_id        TEXT    NOT NULL,
    requests         INTEGER NOT NULL DEFAULT 0,
    characters       INTEGER NOT NULL DEFAULT 0,
    audio_seconds    REAL    NOT NULL DEFAULT 0,
    ms_synth         INTEGER NOT NULL DEFAULT 0,
    errors           INTEGER NOT NULL DEFAULT 0,
    cached_requests  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, api_key_id)
) WITHOUT ROWID;
CREATE INDEX usage_counters_key_day_idx ON usage_counters (api_key_id, day);
CREATE INDEX usage_counters_tenant_day_idx ON usage_counters (tenant_id, day);

CREATE TABLE request_logs (
    id           INTEGER PRIMARY KEY,
    request_id   TEXT    NOT NULL,
    api_key_id   TEXT    NULL,
    tenant_id    TEXT    NULL,
    endpoint     TEXT    NOT NULL,
    method       TEXT    NOT NULL,
    status       INTEGER NOT NULL,
    voice        TEXT    NULL,
    text_length  INTEGER NULL,
    duration_ms  REAL    NOT NULL,
    error        TEXT    NULL,
    ip           TEXT    NULL,
    user_agent   TEXT    NULL,
    cached       INTEGER NOT NULL DEFAULT 0 CHECK (cached IN (0, 1)),
    created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '0000Z')
);
CREATE INDEX request_logs_created_at_idx ON request_logs (created_at);
CREATE INDEX request_logs_key_created_at_idx ON request_logs (api_key_id, created_at);

CREATE TABLE voice_consent (
    id            TEXT    NOT NULL PRIMARY KEY,
    tenant_id     TEXT    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    voice_id      TEXT    NOT NULL REFERENCES voices (id) ON DELETE CASCADE,
    consent_text  TEXT    NOT NULL,
    granted_by    TEXT    NOT NULL,
    created_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '0000Z')
);
CREATE INDEX voice_consent_voice_idx ON voice_consent (voice_id);
