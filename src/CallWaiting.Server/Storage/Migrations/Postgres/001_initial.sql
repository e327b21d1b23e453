-- CallWaiting schema v1 (PostgreSQL). Table and column names are the seed's contract (DESIGN.md §2).

CREATE TABLE tenants (
    id          uuid        PRIMARY KEY,
    slug        text        NOT NULL,
    name        text        NOT NULL,
    plan        text        NOT NULL DEFAULT 'free',
    status      text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tenants_slug_key UNIQUE (slug)
);

CREATE TABLE api_keys (
    id                  uuid        PRIMARY KEY,
    tenant_id           uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name                text        NOT NULL,
    key_prefix          text        NOT NULL,
    key_hash            text        NOT NULL,
    scopes              text        NOT NULL,
    rate_limit_per_min  integer     NOT NULL DEFAULT 120 CHECK (rate_limit_per_min > 0),
    rate_limit_per_day  integer     NOT NULL DEFAULT 10000 CHECK (rate_limit_per_day > 0),
    status              text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked', 'suspended')),
    expires_at          timestamptz NULL,
    allowed_origins     text        NULL,
    last_used_at        timestamptz NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    revoked_at          timestamptz NULL,
    CONSTRAINT api_keys_key_prefix_key UNIQUE (key_prefix)
);
CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id, created_at);

CREATE TABLE voices (
    id            uuid        PRIMARY KEY,
    slug          text        NOT NULL,
    owner_tenant  uuid        NULL REFERENCES tenants (id) ON DELETE CASCADE,
    display_name  text        NOT NULL,
    description   text        NOT NULL DEFAULT '',
    language      text        NOT NULL,
    gender        text        NULL,
    engine        text        NOT NULL,
    engine_voice  text        NOT NULL,
    sample_url    text        NULL,
    params        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT voices_slug_key UNIQUE (slug)
);
CREATE INDEX voices_owner_tenant_idx ON voices (owner_tenant);

-- Metering tables carry no foreign keys on purpose: a flush of usage must never be rejected.
CREATE TABLE usage_counters (
    day              date             NOT NULL,
    api_key_id       uuid             NOT NULL,
    tenant_id        uuid             NOT NULL,
    requests         bigint           NOT NULL DEFAULT 0,
    characters       bigint           NOT NULL DEFAULT 0,
    audio_seconds    double precision NOT NULL DEFAULT 0,
    ms_synth         bigint           NOT NULL DEFAULT 0,
    errors           bigint           NOT NULL DEFAULT 0,
    cached_requests  bigint           NOT NULL DEFAULT 0,
    PRIMARY KEY (day, api_key_id)
);
CREATE INDEX usage_counters_key_day_idx ON usage_counters (api_key_id, day);
CREATE INDEX usage_counters_tenant_day_idx ON usage_counters (tenant_id, day);

CREATE TABLE request_logs (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id   text             NOT NULL,
    api_key_id   uuid             NULL,
    tenant_id    uuid             NULL,
    endpoint     text             NOT NULL,
    method       text             NOT NULL,
    status       integer          NOT NULL,
    voice        text             NULL,
    text_length  integer          NULL,
    duration_ms  double precision NOT NULL,
    error        text             NULL,
    ip           text             NULL,
    user_agent   text             NULL,
    cached       boolean          NOT NULL DEFAULT false,
    created_at   timestamptz      NOT NULL DEFAULT now()
);
CREATE INDEX request_logs_created_at_idx ON request_logs (created_at);
CREATE INDEX request_logs_key_created_at_idx ON request_logs (api_key_id, created_at);

CREATE TABLE voice_consent (
    id            uuid        PRIMARY KEY,
    tenant_id     uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    voice_id      uuid        NOT NULL REFERENCES voices (id) ON DELETE CASCADE,
    consent_text  text        NOT NULL,
    granted_by    text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX voice_consent_voice_idx ON voice_consent (voice_id);
