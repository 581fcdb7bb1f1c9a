package dev.mxshift.model.workflow;

import dev.mxshift.model.event.Discovered;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.event.Paused;
import dev.mxshift.model.serde.EventCodec;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static dev.mxshift.model.testing.Fixtures.DOMAIN;
import static dev.mxshift.model.testing.Fixtures.PROVIDER;
import static dev.mxshift.model.testing.Fixtures.TENANT;
import static dev.mxshift.model.testing.Fixtures.eligibleSnapshot;
import static dev.mxshift.model.testing.Fixtures.legacyMx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventFactoryTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final UUID FIRST = UUID.fromString("00000000-0000-0000-0000-000000000001");
    private static final UUID SECOND = UUID.fromString("00000000-0000-0000-0000-000000000002");

    private final EventFactory events = new EventFactory(Clock.fixed(NOW, ZoneOffset.UTC), List.of(FIRST, SECOND).iterator()::next);

    @Test
    void theFirstEventGivesTheDomainItsTenantAndTheNextOneIsCausedByIt() {
        EventEnvelope requested = events.requested(DOMAIN, TENANT, new MigrationRequested(PROVIDER, null, null, List.of(), "test"));
        EventEnvelope discovered = events.next(requested.state(), new Discovered(eligibleSnapshot(legacyMx(DOMAIN))), requested.eventId());

        assertThat(requested).isEqualTo(Workflow.emit(MigrationState.initial(DOMAIN), TENANT, requested.payload(), FIRST, null, NOW,
                EventCodec.CURRENT_SCHEMA_VERSION));
        assertThat(discovered).isEqualTo(Workflow.emit(requested.state(), TENANT, discovered.payload(), SECOND, FIRST, NOW,
                EventCodec.CURRENT_SCHEMA_VERSION));
        assertThat(discovered.state().status()).isEqualTo(WorkflowStatus.DISCOVERED);
    }

    @Test
    void anIllegalEventIsRefusedAsTheWorkflowRefusesIt() {
        assertThatThrownBy(() -> events.next(MigrationState.initial(DOMAIN), new Paused("test", "no reason"), null))
                .isInstanceOf(IllegalTransitionException.class);
    }
}
