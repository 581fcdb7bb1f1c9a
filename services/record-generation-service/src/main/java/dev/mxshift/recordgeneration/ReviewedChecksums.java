package dev.mxshift.recordgeneration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The file of plan checksums people approved after reading the dry run: one 64-hex-digit checksum per line,
 * {@code #} comments and blank lines ignored. Read anew for every decision, so an approval counts without a
 * restart. A malformed line is refused with its line number, never skipped.
 */
public final class ReviewedChecksums {

    private ReviewedChecksums() {
    }

    public static Set<String> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the approved plan checksums " + file, e);
        }
        Set<String> checksums = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replaceAll("#.*", "").trim().toLowerCase(Locale.ROOT);
            if (line.isEmpty()) {
                continue;
            }
            if (!line.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": '" + lines.get(i).trim()
                        + "' is not a plan checksum (the 64 hex digits the dry run printed)");
            }
            checksums.add(line);
        }
        return checksums;
    }
}
