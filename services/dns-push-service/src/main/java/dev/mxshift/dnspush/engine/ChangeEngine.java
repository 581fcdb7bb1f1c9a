package dev.mxshift.dnspush.engine;

import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;

import java.util.Optional;

/**
 * The one place where a change is made safe, for every connector: read what is there; if it is already the target,
 * succeed without writing; if it is not what the plan expected, write nothing and report both versions (invariant
 * 3); otherwise write, and where the provider itself refuses because the set changed between the read and the
 * write (native compare-and-set), read again and report the conflict. A dry run stops before the write.
 *
 * <p>Where the provider's own compare covers the whole set, TTL included ({@link
 * dev.mxshift.connector.Capabilities#nativeCompareCoversTtl()}: Route 53), the read before the write proves nothing
 * the provider does not check itself, in the same atomic request: the engine writes first and reads only when the
 * provider refuses, to tell "our target is already there" (success, nothing written) from a conflict. Against a
 * limit of 5 requests a second, that is one request per change instead of two.
 */
public final class ChangeEngine {

    private ChangeEngine() {
    }

    public static PushOutcome push(DnsConnector connector, RrSetChange change, boolean dryRun) {
        return push(connector, change, dryRun, null);
    }

    /** As {@link #push(DnsConnector, RrSetChange, boolean)}, spending one write of the zone's {@code budget} (null: none). */
    public static PushOutcome push(DnsConnector connector, RrSetChange change, boolean dryRun, ZoneChangeBudget budget) {
        try {
            if (dryRun || !writesFirst(connector, change)) {
                Optional<RrSet> current = connector.read(change.zone(), change.owner(), change.type());
                if (inPlace(change.target(), current)) {
                    return new PushOutcome.AlreadyInPlace(connector.id() + " already serves " + describe(change.target(), change));
                }
                if (!inPlace(change.expectedBefore(), current)) {
                    return conflict(connector, change, current, "");
                }
                if (dryRun) {
                    return new PushOutcome.WouldApply(change.expectedBefore(), change.target());
                }
            }
            // A write the provider refuses still counts against the zone's budget: the threshold bounds attempts.
            if (budget != null && !budget.take(change.zone())) {
                return new PushOutcome.Failed(ConnectorException.Kind.PERMANENT, "the safety threshold (" + budget.describe()
                        + ") is reached for " + change.zone() + "; nothing was written; find out why so many changes are wanted");
            }
            try {
                return new PushOutcome.Applied(connector.apply(change).evidence());
            } catch (ConnectorException e) {
                if (e.kind() != ConnectorException.Kind.CONFLICT) {
                    throw e;
                }
                Optional<RrSet> now = connector.read(change.zone(), change.owner(), change.type());
                if (inPlace(change.target(), now)) {
                    // Refused because the target was already there (an earlier attempt of ours landed): done.
                    return new PushOutcome.AlreadyInPlace(connector.id() + " refused the write, and already serves "
                            + describe(change.target(), change) + " (" + e.getMessage() + ")");
                }
                // Refused by the provider's own compare, or by the rule for a read again (ResilientConnector): its words say which.
                return conflict(connector, change, now, " (" + e.getMessage() + ")");
            }
        } catch (ConnectorException e) {
            return new PushOutcome.Failed(e.kind(), e.getMessage());
        }
    }

    /**
     * Whether the change may be written without a read first: the provider's compare covers the whole set, and the
     * change changes something (a target equal to the expected set would be written again as a real write, where a
     * read finds it in place and writes nothing).
     */
    static boolean writesFirst(DnsConnector connector, RrSetChange change) {
        if (!connector.capabilities().nativeCompareCoversTtl()) {
            return false;
        }
        RrSet before = change.expectedBefore();
        RrSet target = change.target();
        return before == null ? target != null : !before.sameAs(target);
    }

    /** What a set read again before a write is sent (again) says. */
    enum ReadAgain {
        /** The target is in place (a write of ours landed, its answer lost): done, nothing is written again. */
        IN_PLACE,
        /** Still exactly the expected-before set: the write may be sent. */
        STILL_EXPECTED,
        /** Neither: someone else changed the set (invariant 3): a conflict, never a write. */
        CHANGED_ELSEWHERE
    }

    /**
     * The rule for a write whose last read cannot be trusted, decided here for every connector: a retry after a write
     * whose outcome is unknown (a timeout, a 504, a connection reset after sending), and a write whose rate-limit
     * permit came too long after its read. It goes on only from the expected-before set. Checking only for the target
     * would write over a third party's edit made between the lost answer and the retry.
     */
    static ReadAgain readAgain(RrSetChange change, Optional<RrSet> current) {
        if (inPlace(change.target(), current)) {
            return ReadAgain.IN_PLACE;
        }
        return inPlace(change.expectedBefore(), current) ? ReadAgain.STILL_EXPECTED : ReadAgain.CHANGED_ELSEWHERE;
    }

    /** Whether {@code wanted} (null: absent) is what {@code current} holds. */
    static boolean inPlace(RrSet wanted, Optional<RrSet> current) {
        return wanted == null ? current.isEmpty() : current.isPresent() && wanted.sameAs(current.get());
    }

    private static PushOutcome.Conflict conflict(DnsConnector connector, RrSetChange change, Optional<RrSet> current, String detail) {
        return new PushOutcome.Conflict(change.expectedBefore(), current.orElse(null), connector.id() + " has "
                + current.map(RrSet::toString).orElse("no " + change.owner() + " " + change.type())
                + ", not the expected " + describe(change.expectedBefore(), change) + ": someone changed it; nothing was written over it" + detail);
    }

    private static String describe(RrSet set, RrSetChange change) {
        return set == null ? "absence of " + change.owner() + " " + change.type() : set.toString();
    }
}
