package dev.mxshift.operator;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which domains the demo has its write refused: mailable ones whose zone is a primary zone of the lab's BIND, by name. */
class RefusedWriteReplayTest {

    private static final JsonNode LAB = Json.MAPPER.readTree("""
            {"authoritative": [
              {"name": "powerdns", "address": "127.0.10.1", "port": 5300},
              {"name": "bind", "address": "127.0.0.1", "port": 5301, "rndcConf": "/lab/bind/rndc.conf",
               "zones": ["bergbahn.ch", "alpineskihouse.com", "expired-signatures.com"], "secondaryZones": ["seeblick.ch"]}]}
            """);

    private static RefusedWriteReplay choose(JsonNode endpoints, List<String> mailable, int count) {
        return RefusedWriteReplay.forLab(endpoints, mailable, count, Duration.ofSeconds(30), new PrintWriter(new StringWriter()));
    }

    @Test
    void theFirstMailableDomainsByNameWhoseZoneIsAtBindAreChosenNeverASecondaryOrAnUnmailableOne() {
        List<String> mailable = List.of("contoso.com", "seeblick.ch", "bergbahn.ch", "alpineskihouse.com");

        assertThat(choose(LAB, mailable, 1).domains()).containsExactly("alpineskihouse.com");
        assertThat(choose(LAB, mailable, 5).domains()).containsExactly("alpineskihouse.com", "bergbahn.ch");
        assertThat(choose(LAB, mailable, 0).domains()).isEmpty();
        assertThat(choose(LAB, mailable, 0).pending()).isFalse();
    }

    @Test
    void aLabWithoutBindHasNoReplayAndNothingWaitsForOne() {
        RefusedWriteReplay none = choose(Json.MAPPER.readTree("{\"authoritative\": [{\"name\": \"powerdns\"}]}"), List.of("alpineskihouse.com"), 1);

        assertThat(none.domains()).isEmpty();
        assertThat(none.pending()).isFalse();
        assertThat(none.replays()).isEmpty();
    }

    @Test
    void aChosenDomainWaitsForItsRefusedWriteUntilTheRunEndsAndThenSaysNoReplayWasShown() {
        RefusedWriteReplay one = choose(LAB, List.of("alpineskihouse.com"), 1);

        assertThat(one.pending()).as("frozen, waiting for its write to be refused").isTrue();
        assertThat(one.replays()).singleElement().satisfies(r -> {
            assertThat(r.stoppedAt()).isNull();
            assertThat(r.reason()).isEqualTo("the run ended before its write");
        });
    }
}
