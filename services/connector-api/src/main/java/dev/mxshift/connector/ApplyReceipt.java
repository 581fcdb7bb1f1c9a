package dev.mxshift.connector;

/** What the provider said when it took a change: a serial, a change id, a status; shown to operators as evidence. */
public record ApplyReceipt(String evidence) {
    public ApplyReceipt {
        evidence = evidence == null ? "" : evidence;
    }
}
