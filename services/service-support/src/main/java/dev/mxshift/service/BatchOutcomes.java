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

    /**
     * An owned event whose handling returned, and the events it decided (appended in the batch's transaction; empty
     * when it decided nothing, such as a domain the wave gate held).
     */
    record Handled(EventEnvelope event, List<EventEnvelope> decided) {

        public Handled {
            decided = List.copyOf(decided);
        }
    }

    /** A batch committed: what was counted for {@code handled} stands. */
    default void committed(List<Handled> handled) {
    }

    /**
     * A batch rolled back and will come again: undo what was counted for {@code handled}. A component that undoes
     * what a handling decided must look at {@link Handled#decided()}: a handling that decided nothing counted nothing,
     * and something else (another thread) may have counted that domain since.
     */
    void rolledBack(List<Handled> handled);
}
