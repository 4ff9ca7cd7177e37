-- Batches and the results of their lines. Instants are epoch milliseconds, durations milliseconds.
--
-- Statuses are the lowercase wire names. A batch is leased while an instance runs it: lease_owner is that
-- instance, lease_expires_at when another instance may claim it again.
--
-- metadata (an object of strings, NULL when the batch has none) and errors (an array of {code, message, param,
-- line}) are JSON text. Counters and usage are added to by one UPDATE per recorded line, never read and
-- written back, so lines finishing together on several instances all count.

CREATE TABLE batches (
    id                      VARCHAR(64)      NOT NULL,
    owner_key_id            VARCHAR(255),
    endpoint                VARCHAR(255)     NOT NULL,
    input_file_id           VARCHAR(255)     NOT NULL,
    completion_window       VARCHAR(16)      NOT NULL,
    status                  VARCHAR(16)      NOT NULL,
    output_file_id          VARCHAR(255),
    error_file_id           VARCHAR(255),
    created_at              BIGINT           NOT NULL,
    in_progress_at          BIGINT,
    expires_at              BIGINT,
    finalizing_at           BIGINT,
    completed_at            BIGINT,
    failed_at               BIGINT,
    expired_at              BIGINT,
    cancelling_at           BIGINT,
    cancelled_at            BIGINT,
    total_requests          INTEGER          NOT NULL,
    completed_requests      INTEGER          NOT NULL,
    failed_requests         INTEGER          NOT NULL,
    metadata                VARCHAR(100000),
    errors                  VARCHAR(1000000) NOT NULL,
    model                   VARCHAR(255),
    input_tokens            BIGINT           NOT NULL,
    output_tokens           BIGINT           NOT NULL,
    cached_tokens           BIGINT           NOT NULL,
    reasoning_tokens        BIGINT           NOT NULL,
    output_expires_after_ms BIGINT,
    lease_owner             VARCHAR(255),
    lease_expires_at        BIGINT,
    CONSTRAINT pk_batches PRIMARY KEY (id)
);

-- Listing a caller's batches newest first.
CREATE INDEX ix_batches_owner_created_at ON batches (owner_key_id, created_at, id);

-- Claiming: batches not final, oldest first.
CREATE INDEX ix_batches_status_created_at ON batches (status, created_at);

-- One row per finished line. output_line is the line of the output or error file (JSON without the newline),
-- BYTEA as in async_jobs so that it round-trips byte for byte. Deleting a batch deletes its results.
CREATE TABLE batch_results (
    batch_id      VARCHAR(64)  NOT NULL,
    line          INTEGER      NOT NULL,
    custom_id     VARCHAR(100000),
    is_error      BOOLEAN      NOT NULL,
    output_line   BYTEA        NOT NULL,
    model         VARCHAR(255),
    input_tokens  BIGINT       NOT NULL,
    output_tokens BIGINT       NOT NULL,
    CONSTRAINT pk_batch_results PRIMARY KEY (batch_id, line),
    CONSTRAINT fk_batch_results_batch FOREIGN KEY (batch_id) REFERENCES batches (id) ON DELETE CASCADE
);
