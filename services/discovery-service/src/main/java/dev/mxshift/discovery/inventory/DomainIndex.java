package dev.mxshift.discovery.inventory;

import java.nio.charset.StandardCharsets;

/**
 * Remembers which canonical domains a file already had, and on which line: an open-addressing table of 64-bit
 * FNV-1a hashes and int line numbers, 12 bytes a slot, at most three quarters full. A million domains take a
 * 2-million-slot table, about 25 MB (plus the half-size old table while it grows), whatever the names' lengths;
 * the file itself is never held. Two different names would need the same 64-bit hash to be taken for duplicates
 * (about 3 in 100 million for a million names); such a row would be reported, never silently dropped.
 */
final class DomainIndex {

    private long[] hashes = new long[1 << 16];
    private int[] lines = new int[1 << 16];
    private int size;

    /** The line the domain was first seen on, or 0 if it is new (and is now remembered at {@code line}). */
    long putIfAbsent(String canonical, long line) {
        if ((size + 1) * 4L > hashes.length * 3L) {
            grow();
        }
        long hash = hash(canonical);
        int mask = hashes.length - 1;
        for (int i = slot(hash, mask); ; i = (i + 1) & mask) {
            if (lines[i] == 0) {
                hashes[i] = hash;
                lines[i] = (int) Math.min(Math.max(line, 1), Integer.MAX_VALUE);
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
        int[] oldLines = lines;
        hashes = new long[oldHashes.length * 2];
        lines = new int[oldLines.length * 2];
        int mask = hashes.length - 1;
        for (int j = 0; j < oldHashes.length; j++) {
            if (oldLines[j] != 0) {
                int i = slot(oldHashes[j], mask);
                while (lines[i] != 0) {
                    i = (i + 1) & mask;
                }
                hashes[i] = oldHashes[j];
                lines[i] = oldLines[j];
            }
        }
    }

    private static int slot(long hash, int mask) {
        return (int) (hash ^ (hash >>> 32)) & mask;
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
