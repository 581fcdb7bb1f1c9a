package dev.mxshift.service;

/**
 * For a handler or partition component that counts something while a batch of the event log is handled on the
 * consumer thread (the wave gate's admissions): whether that batch's transaction committed or rolled back. The runtime
 * calls it for every {@link OwnedEventHandler} or {@link PartitionLifecycle} that also implements this.
 */
public interface BatchOutcomes {

    /** The last batch this consumer thread handled committed: what was counted for it stands (called on that thread, before its next batch). */
    void committed();

    /** The last batch this consumer thread handled rolled back and will come again: undo what was counted for it on this thread. */
    void rolledBack();
}
