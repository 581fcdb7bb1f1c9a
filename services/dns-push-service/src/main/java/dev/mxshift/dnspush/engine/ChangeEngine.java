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
            Optional<RrSet> current = connector.read(change.zone(), change.owner(), change.type());
            if (inPlace(change.target(), current)) {
                return new PushOutcome.AlreadyInPlace(connector.id() + " already serves " + describe(change.target(), change));
            }
            if (!inPlace(change.expectedBefore(), current)) {
                return new PushOutcome.Conflict(change.expectedBefore(), current.orElse(null), connector.id() + " has "
                        + current.map(RrSet::toString).orElse("no " + change.owner() + " " + change.type())
                        + ", not the expected " + describe(change.expectedBefore(), change) + ": someone changed it; nothing was written");
            }
            if (dryRun) {
                return new PushOutcome.WouldApply(change.expectedBefore(), change.target());
            }
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
                return new PushOutcome.Conflict(change.expectedBefore(), now.orElse(null), e.getMessage());
            }
        } catch (ConnectorException e) {
            return new PushOutcome.Failed(e.kind(), e.getMessage());
        }
    }

    /** Whether {@code wanted} (null: absent) is what {@code current} holds. */
    static boolean inPlace(RrSet wanted, Optional<RrSet> current) {
        return wanted == null ? current.isEmpty() : current.isPresent() && wanted.sameAs(current.get());
    }

    private static String describe(RrSet set, RrSetChange change) {
        return set == null ? "absence of " + change.owner() + " " + change.type() : set.toString();
    }
}
