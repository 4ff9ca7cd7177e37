-- Files of the Files API. Instants are epoch milliseconds.
--
-- A file's content is kept in file_chunks, numbered from 0, each chunk 1 MiB but the last, so that no statement
-- ever reads or writes more than one chunk. Chunks are written before their file's row: a file whose row is not
-- there yet is an upload still in progress, invisible to readers. Bodies are BYTEA, as in V2.
--
-- A deleted file keeps its row (deleted_at set) and loses its chunks.

CREATE TABLE files (
    id           VARCHAR(64)   NOT NULL,
    owner_key_id VARCHAR(255),
    purpose      VARCHAR(32)   NOT NULL,
    filename     VARCHAR(1024) NOT NULL,
    bytes        BIGINT        NOT NULL,
    created_at   BIGINT        NOT NULL,
    expires_at   BIGINT,
    deleted_at   BIGINT,
    CONSTRAINT pk_files PRIMARY KEY (id)
);

CREATE INDEX ix_files_owner_created_at ON files (owner_key_id, created_at, id);

CREATE INDEX ix_files_expires_at ON files (expires_at);

CREATE TABLE file_chunks (
    file_id VARCHAR(64) NOT NULL,
    seq     INTEGER     NOT NULL,
    data    BYTEA       NOT NULL,
    CONSTRAINT pk_file_chunks PRIMARY KEY (file_id, seq)
);
