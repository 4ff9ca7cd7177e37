-- Work that ends (issue 15) and storage hygiene.
--
-- batches.attempts counts the claims of a batch, as async_jobs.attempts counts a job's: a claim whose lease lapses
-- (the holder died or its work kept failing) is one attempt; handing a batch back at a graceful stop gives the attempt
-- back. Past the configured maximum the batch is failed instead of claimed again.
--
-- file_chunks.written_at is when a chunk was written, so that the chunks of an upload cut short by a crash (chunks
-- whose file row never came) can be told from those of an upload still under way, and swept.

ALTER TABLE batches ADD COLUMN attempts INTEGER DEFAULT 0 NOT NULL;

ALTER TABLE file_chunks ADD COLUMN written_at BIGINT;

CREATE INDEX ix_files_deleted_at ON files (deleted_at);
