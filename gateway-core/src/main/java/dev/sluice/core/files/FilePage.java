package dev.sluice.core.files;

import java.util.List;

/**
 * One page of a file listing.
 *
 * @param data    the files, in the order asked for
 * @param hasMore whether more files follow the last one
 */
public record FilePage(List<StoredFile> data, boolean hasMore) {

    public FilePage {
        data = List.copyOf(data);
    }
}
