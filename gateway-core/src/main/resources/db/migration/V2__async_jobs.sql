-- The durable queue of asynchronous jobs. Instants are epoch milliseconds, durations milliseconds.
--
-- Bodies are BYTEA: PostgreSQL's binary type, which H2 accepts as an alias of BINARY VARYING, so one script serves
-- both and bodies round-trip byte for byte. Text would be portable too, but a body is not always UTF-8 JSON (a
-- speech response is audio, a provider's error page may be anything), and decoding would be lossy.
--
-- Statuses are the lowercase wire names. A job is leased while processing: lease_owner is the instance running it,
-- lease_expires_at when another instance may claim it again.

CREATE TABLE async_jobs (
    id               VARCHAR(64)  NOT NULL,
    operation        VARCHAR(255) NOT NULL,
    owner_key_id     VARCHAR(255),
    request          BYTEA        NOT NULL,
    default_provider VARCHAR(255),
    status           VARCHAR(16)  NOT NULL,
    created_at       BIGINT       NOT NULL,
    started_at       BIGINT,
    completed_at     BIGINT,
    result_ttl_ms    BIGINT       NOT NULL,
    expires_at       BIGINT,
    status_code      INTEGER,
    result           BYTEA,
    error            BYTEA,
    lease_owner      VARCHAR(255),
    lease_expires_at BIGINT,
    attempts         INTEGER      NOT NULL,
    CONSTRAINT pk_async_jobs PRIMARY KEY (id)
);

CREATE INDEX ix_async_jobs_status_created_at ON async_jobs (status, created_at);

CREATE INDEX ix_async_jobs_expires_at ON async_jobs (expires_at);
