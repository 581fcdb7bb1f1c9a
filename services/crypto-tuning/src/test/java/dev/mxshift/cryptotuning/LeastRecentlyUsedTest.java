package dev.mxshift.cryptotuning;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LeastRecentlyUsedTest {

    @Test
    void holdsAtMostItsCapacityAndDropsTheEntryUsedLeastRecently() {
        Map<String, Integer> map = LeastRecentlyUsed.map(2);
        map.put("root", 1);
        map.put("com", 2);
        map.get("root");
        map.put("example.com", 3);
        assertThat(map).containsOnlyKeys("root", "example.com");
    }
}
