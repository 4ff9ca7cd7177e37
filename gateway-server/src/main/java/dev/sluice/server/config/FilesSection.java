package dev.sluice.server.config;

import java.util.List;

/** Reads the {@code files:} section; every key is optional. */
final class FilesSection {

    static final String NAME = "files";
    private static final List<String> KEYS = List.of("max_bytes");

    private FilesSection() {
    }

    static FilesSettings read(ConfigNode root) {
        return root.map(NAME).map(FilesSection::read0).orElseGet(FilesSettings::defaults);
    }

    private static FilesSettings read0(ConfigNode files) {
        files.requireOnly(KEYS);
        long maxBytes = files.longInteger("max_bytes", FilesSettings.DEFAULT_MAX_BYTES);
        return files.validated(() -> new FilesSettings(maxBytes));
    }
}
