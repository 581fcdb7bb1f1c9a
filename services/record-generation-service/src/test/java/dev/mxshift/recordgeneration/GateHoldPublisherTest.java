package dev.mxshift.recordgeneration;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.workflow.GateHold;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the publisher sends between two views of the gate's holds (the sending itself: WaveGateServiceIT, on a broker). */
class GateHoldPublisherTest {

    private static final Instant AT = Instant.parse("2026-12-04T18:00:00Z");

    private static GateHold hold(String domain, long sequence, String reason) {
        return new GateHold(DomainName.of(domain), sequence, reason, AT);
    }

    @Test
    void onlyNewAndChangedHoldsAreSentAndAReleasedOneIsATombstone() {
        GateHold kept = hold("kept.example", 4, "wave 'w' is full");
        GateHold gone = hold("gone.example", 4, "wave 'w' is full");
        GateHold reworded = hold("reworded.example", 4, "wave 'w' is full");
        GateHold newer = hold("newer.example", 4, "wave 'w' is full");
        Map<DomainName, GateHold> before = Map.of(kept.domain(), kept, gone.domain(), gone, reworded.domain(), reworded, newer.domain(), newer);
        GateHold rewordedNow = hold("reworded.example", 4, "canary wave 'c' is still running");
        GateHold newerNow = hold("newer.example", 6, "wave 'w' is full");
        GateHold fresh = hold("fresh.example", 4, "tenant t has 25% changing");
        Map<DomainName, GateHold> now = Map.of(kept.domain(), kept, rewordedNow.domain(), rewordedNow, newerNow.domain(), newerNow,
                fresh.domain(), fresh);

        assertThat(GateHoldPublisher.changes(before, now)).containsExactlyInAnyOrder(
                new GateHoldPublisher.Change(rewordedNow.domain(), rewordedNow),
                new GateHoldPublisher.Change(newerNow.domain(), newerNow),
                new GateHoldPublisher.Change(fresh.domain(), fresh),
                new GateHoldPublisher.Change(gone.domain(), null));
        assertThat(GateHoldPublisher.changes(now, now)).isEmpty();
    }
}
