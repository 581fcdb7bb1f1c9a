package dev.mxshift.dnspush.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * An octoDNS-style safety threshold: at most {@code maxChanges} record-set writes per zone within {@code window}.
 * A migration step writes one record set, and a whole plan a handful in a zone over minutes to hours; a process
 * that wants to write far more than that in one zone has a bug, a loop or a bad plan, and is stopped before it
 * rewrites the zone. Refusals name the zone and the threshold.
 */
public final class ZoneChangeBudget {

    private final int maxChanges;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> writes = new HashMap<>();

    public ZoneChangeBudget(int maxChanges, Duration window, Clock clock) {
        if (maxChanges < 1) {
            throw new IllegalArgumentException("a zone change budget allows at least one change, got " + maxChanges);
        }
        this.maxChanges = maxChanges;
        this.window = window;
        this.clock = clock;
    }

    /** A generous default: more than any plan writes in one zone, far less than a runaway loop. */
    public static ZoneChangeBudget defaults() {
        return new ZoneChangeBudget(20, Duration.ofHours(1), Clock.systemUTC());
    }

    /** Takes one write from the zone's budget; false (and nothing taken) when the budget is spent. */
    public synchronized boolean take(String zone) {
        Instant now = clock.instant();
        Deque<Instant> recent = writes.computeIfAbsent(zone, z -> new ArrayDeque<>());
        while (!recent.isEmpty() && recent.peekFirst().isBefore(now.minus(window))) {
            recent.removeFirst();
        }
        if (recent.size() >= maxChanges) {
            return false;
        }
        recent.addLast(now);
        return true;
    }

    public String describe() {
        return "at most " + maxChanges + " record-set writes per zone within " + window.toMinutes() + " minutes";
    }
}
