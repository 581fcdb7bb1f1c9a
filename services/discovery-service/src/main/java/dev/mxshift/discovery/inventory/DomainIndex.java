package dev.mxshift.discovery.inventory;

import java.nio.charset.StandardCharsets;

/**
 * Remembers which canonical domains a file already had, and on which line, in 12 bytes a domain: an
 * open-addressing table of 64-bit FNV-1a hashes. A million rows take about 24 MB, whatever the names' lengths.
 * Two different names would need the same 64-bit hash to be mistaken for duplicates (about 3 in 100 million for a
 * million names); such a row would be reported, never silently dropped.
 */
final class DomainIndex {

    private long[] hashes = new long[1 << 16];
    private long[] lines = new long[1 << 16];
    private int size;

    /** The line the domain was first seen on, or 0 if it is new (and is now remembered at {@code line}). */
    long putIfAbsent(String canonical, long line) {
        if (size * 2 >= hashes.length) {
            grow();
        }
        long hash = hash(canonical);
        int mask = hashes.length - 1;
        for (int i = (int) (hash ^ (hash >>> 32)) & mask; ; i = (i + 1) & mask) {
            if (lines[i] == 0) {
                hashes[i] = hash;
                lines[i] = line;
                size++;
                return 0;
            }
            if (hashes[i] == hash) {
                return lines[i];
            }
        }
    }

    private void grow() {
        long[] oldHashes = hashes;
        long[] oldLines = lines;
        hashes = new long[oldHashes.length * 2];
        lines = new long[oldLines.length * 2];
        int mask = hashes.length - 1;
        for (int j = 0; j < oldHashes.length; j++) {
            if (oldLines[j] != 0) {
                long hash = oldHashes[j];
                int i = (int) (hash ^ (hash >>> 32)) & mask;
                while (lines[i] != 0) {
                    i = (i + 1) & mask;
                }
                hashes[i] = hash;
                lines[i] = oldLines[j];
            }
        }
    }

    private static long hash(String text) {
        long h = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
