package dev.mxshift.service;

import dev.mxshift.model.event.EventEnvelope;

import java.util.List;

/**
 * For a handler or partition component that counts something while a batch of the event log is handled (the wave
 * gate's admissions): whether that batch's transaction committed or rolled back, with the owned events handled in it,
 * so that the component keeps no per-thread bookkeeping of its own (decision 0041). The runtime calls it for every
 * {@link OwnedEventHandler} or {@link PartitionLifecycle} that also implements this: {@code rolledBack} when the batch
 * threw or its commit failed, {@code committed} when the next batch of its partitions comes.
 */
public interface BatchOutcomes {

    /** A batch committed: what was counted for {@code handled} (the owned events whose handling returned) stands. */
    default void committed(List<EventEnvelope> handled) {
    }

    /** A batch rolled back and will come again: undo what was counted for {@code handled}. */
    void rolledBack(List<EventEnvelope> handled);
}
