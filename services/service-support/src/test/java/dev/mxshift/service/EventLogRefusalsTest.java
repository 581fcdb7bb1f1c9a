package dev.mxshift.service;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static dev.mxshift.service.EventLogRefusals.Verdict.DEAD_LETTER;
import static dev.mxshift.service.EventLogRefusals.Verdict.OUTAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rule for events Kafka refuses: a refusal about the record is always dead-lettered; authorization refusals in a
 * row, with no commit of appended events between them, are an outage from the third on, and such a commit starts the count again.
 */
class EventLogRefusalsTest {

    private static final TopicAuthorizationException NOT_AUTHORIZED = new TopicAuthorizationException(Set.of("migration.events"));

    private final EventLogRefusals refusals = new EventLogRefusals(EventLogRefusals.DEFAULT_AUTHORIZATION_REFUSALS_BEFORE_OUTAGE);

    @Test
    void refusalsAboutTheRecordAreAlwaysDeadLetteredHoweverMany() {
        for (int i = 0; i < 10; i++) {
            assertThat(refusals.refused(new RecordTooLargeException("too large"))).isEqualTo(DEAD_LETTER);
            assertThat(refusals.refused(new InvalidRecordException("invalid"))).isEqualTo(DEAD_LETTER);
        }
    }

    @Test
    void authorizationRefusalsInARowAreAnOutageFromTheThirdOnUntilEventsCommit() {
        assertThat(refusals.refused(NOT_AUTHORIZED)).isEqualTo(DEAD_LETTER);
        assertThat(refusals.refused(NOT_AUTHORIZED)).isEqualTo(DEAD_LETTER);
        assertThat(refusals.refused(NOT_AUTHORIZED)).as("the third in a row: the ACL is gone").isEqualTo(OUTAGE);
        assertThat(refusals.refused(NOT_AUTHORIZED)).as("and stays an outage while nothing commits").isEqualTo(OUTAGE);
        assertThat(refusals.refused(new RecordTooLargeException("too large"))).as("a size refusal is still the record's").isEqualTo(DEAD_LETTER);
        assertThat(refusals.refused(NOT_AUTHORIZED)).as("and does not end the outage").isEqualTo(OUTAGE);

        refusals.committedAppends();

        assertThat(refusals.refused(NOT_AUTHORIZED)).as("after a commit of appended events: counted from one again").isEqualTo(DEAD_LETTER);
        assertThat(refusals.refused(NOT_AUTHORIZED)).isEqualTo(DEAD_LETTER);
        assertThat(refusals.refused(NOT_AUTHORIZED)).isEqualTo(OUTAGE);
    }

    @Test
    void aCommitBetweenAuthorizationRefusalsKeepsThemRecordSpecific() {
        for (int i = 0; i < 10; i++) {
            assertThat(refusals.refused(NOT_AUTHORIZED)).isEqualTo(DEAD_LETTER);
            refusals.committedAppends();
        }
    }

    @Test
    void theThresholdIsASettingOfAtLeastOne() {
        EventLogRefusals strict = new EventLogRefusals(1);
        assertThat(strict.refused(NOT_AUTHORIZED)).as("1: no authorization refusal is dead-lettered").isEqualTo(OUTAGE);
        assertThatThrownBy(() -> new EventLogRefusals(0)).hasMessageContaining("authorization-refusals-before-outage");
    }
}
