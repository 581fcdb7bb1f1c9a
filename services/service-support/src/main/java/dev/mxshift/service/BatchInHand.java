package dev.mxshift.service;

import dev.mxshift.model.event.EventEnvelope;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One batch of the event log from its first record until it is known to have committed or rolled back: what it
 * taught the runtime (to forget if it rolls back), the owned events handled in it (for {@link BatchOutcomes}), and
 * the largest event each record caused (to find the record whose event Kafka refused at the commit). Owned by the
 * runtime ({@link EventLogConsumer}), which keeps one per consumer thread (decision 0041): a container's consumer thread
 * handles one batch at a time, commits it or runs its after-rollback processor, then polls the next.
 */
final class BatchInHand {

    /** Where the batch starts in each partition (null where the binder gave no offset). */
    private final Map<TopicPartition, Long> first;
    private final List<Runnable> undo = new ArrayList<>();
    private final List<BatchOutcomes.Handled> handled = new ArrayList<>();
    private final Map<String, Integer> largest = new HashMap<>();
    /** A record of the batch was found refused while it was handled: the rollback's reason is already placed. */
    private boolean refusalPlaced;
    /** Rolled back already (it threw): what it taught is forgotten, only its refusal may still be placed. */
    private boolean rolledBack;

    BatchInHand(Map<TopicPartition, Long> first) {
        this.first = new HashMap<>(first);
    }

    /** Whether this batch is known to start at {@code offset} of {@code partition}: it came again, or a poll is it. */
    boolean startsAt(TopicPartition partition, Long offset) {
        Long start = first.get(partition);
        return start != null && start.equals(offset);
    }

    /**
     * Whether this batch may be the one that has records of {@code partition} from {@code offset}: nothing known
     * contradicts it (a partition it does not have, or either offset unknown, does not).
     */
    boolean mayStartAt(TopicPartition partition, Long offset) {
        Long start = first.get(partition);
        return start == null || offset == null || start.equals(offset);
    }

    /** What to undo, newest first, if the batch rolls back; at once if it rolled back already. */
    synchronized void onRollback(Runnable forget) {
        if (rolledBack) {
            forget.run();
            return;
        }
        undo.add(forget);
    }

    /** An owned event whose handling returned, with the events it decided. */
    synchronized void handled(EventEnvelope event, List<EventEnvelope> decided) {
        handled.add(new BatchOutcomes.Handled(event, decided));
    }

    /** The record at {@code where} caused an event of {@code size} encoded bytes. */
    synchronized void appended(String where, int size) {
        largest.merge(where, size, Math::max);
    }

    synchronized void refusalPlaced() {
        refusalPlaced = true;
    }

    /** The record whose event was the largest, once per batch, unless a refusal was already placed. */
    synchronized Optional<String> largestUnlessPlaced() {
        if (refusalPlaced) {
            return Optional.empty();
        }
        Optional<String> where = largest.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
        where.ifPresent(w -> refusalPlaced = true);
        return where;
    }

    /** The batch rolled back: undoes what it taught (once) and returns its handled events, or null if already rolled back. */
    synchronized List<BatchOutcomes.Handled> rollBack() {
        if (rolledBack) {
            return null;
        }
        rolledBack = true;
        for (int i = undo.size() - 1; i >= 0; i--) {
            undo.get(i).run();
        }
        return List.copyOf(handled);
    }

    synchronized boolean rolledBack() {
        return rolledBack;
    }

    synchronized List<BatchOutcomes.Handled> handledEvents() {
        return List.copyOf(handled);
    }
}
