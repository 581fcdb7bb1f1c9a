package dev.mxshift.service;

/**
 * Whether an event Kafka refused ({@link BatchRecords#refusal}) is the fault of the record that caused it, to be
 * dead-lettered, or a sign that the event log is out of reach for this service, to be waited out like a broker outage.
 *
 * <p>A refusal for size or validity is about the record: it is always dead-lettered. A refusal for authorization is
 * about the topic: one record may meet it alone (a topic it, and only it, writes to), but when the service's write ACL
 * on {@code migration.events} is gone every event meets it, and dead-lettering each would send the whole log through
 * the dead-letter topic, each record handled once (a provider written) on the way. So authorization refusals are
 * counted in a row, and from the {@code authorizationRefusalsBeforeOutage}-th on they are an outage: the batch rolls
 * back and is tried again until the ACL is back. The count starts again only when a batch that appended events to the
 * log commits: that proves the service may write there (a batch that only dead-lettered proves nothing about it).
 *
 * <p>Shared by the consumer threads of one service: an ACL is revoked for all of them at once.
 */
final class EventLogRefusals {

    enum Verdict {
        /** The record caused what Kafka refused: it goes to the dead letters with the reason, and its partition goes on. */
        DEAD_LETTER,
        /** The service may not write to its event log: the batch rolls back and is tried again, nothing dead-lettered. */
        OUTAGE
    }

    /** Authorization refusals in a row, with no commit of appended events between them, from which on they are an outage. */
    static final int DEFAULT_AUTHORIZATION_REFUSALS_BEFORE_OUTAGE = 3;

    private final int authorizationRefusalsBeforeOutage;
    private int authorizationRefusals;

    EventLogRefusals(int authorizationRefusalsBeforeOutage) {
        if (authorizationRefusalsBeforeOutage < 1) {
            throw new IllegalArgumentException("mxshift.events.authorization-refusals-before-outage must be at least 1, got "
                    + authorizationRefusalsBeforeOutage);
        }
        this.authorizationRefusalsBeforeOutage = authorizationRefusalsBeforeOutage;
    }

    /** Kafka refused an event: what to do with the record that caused it. */
    synchronized Verdict refused(Throwable refusal) {
        if (!isAuthorization(refusal)) {
            return Verdict.DEAD_LETTER;
        }
        authorizationRefusals++;
        return authorizationRefusals >= authorizationRefusalsBeforeOutage ? Verdict.OUTAGE : Verdict.DEAD_LETTER;
    }

    /** A batch that appended events to the log committed: the service may write there, so the count starts again. */
    synchronized void committedAppends() {
        authorizationRefusals = 0;
    }

    /** Authorization refusals counted since the last commit of appended events. */
    synchronized int authorizationRefusalsInARow() {
        return authorizationRefusals;
    }

    static boolean isAuthorization(Throwable refusal) {
        return refusal instanceof org.apache.kafka.common.errors.AuthorizationException;
    }
}
