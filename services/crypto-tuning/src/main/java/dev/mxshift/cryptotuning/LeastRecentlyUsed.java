package dev.mxshift.cryptotuning;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A thread-safe map that holds at most a given number of entries, dropping the one used least recently: the memory of
 * verification outcomes and keys here, and of DANE-TA chain links in the validation service.
 */
public final class LeastRecentlyUsed {

    private LeastRecentlyUsed() {
    }

    public static <K, V> Map<K, V> map(int capacity) {
        return Collections.synchronizedMap(new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        });
    }
}
