-- Portable between H2 and PostgreSQL: instants are epoch milliseconds, spend is integer micro-dollars.

CREATE TABLE virtual_keys (
    id                  VARCHAR(255)     NOT NULL,
    name                VARCHAR(255)     NOT NULL,
    value_hash          VARCHAR(64)      NOT NULL,
    value_hint          VARCHAR(16),
    allowed_models      VARCHAR(100000)  NOT NULL,
    requests_per_minute INTEGER,
    tokens_per_minute   INTEGER,
    budget_max_usd      DOUBLE PRECISION,
    budget_reset        VARCHAR(4),
    active              BOOLEAN          NOT NULL,
    expires_at          BIGINT,
    created_at          BIGINT           NOT NULL,
    CONSTRAINT pk_virtual_keys PRIMARY KEY (id),
    CONSTRAINT uq_virtual_keys_name UNIQUE (name),
    CONSTRAINT uq_virtual_keys_value_hash UNIQUE (value_hash)
);

CREATE TABLE key_usage (
    key_id        VARCHAR(255)NOT NULL,
    period_start  BIGINT      NOT NULL,
    requests      BIGINT      NOT NULL,
    input_tokens  BIGINT      NOT NULL,
    output_tokens BIGINT      NOT NULL,
    cost_micros   BIGINT      NOT NULL,
    CONSTRAINT pk_key_usage PRIMARY KEY (key_id, period_start)
);
