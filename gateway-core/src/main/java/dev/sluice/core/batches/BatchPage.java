package dev.sluice.core.batches;

import java.util.List;

/** One page of a caller's batches, newest first, and whether more follow. */
public record BatchPage(List<Batch> data, boolean hasMore) {
}
