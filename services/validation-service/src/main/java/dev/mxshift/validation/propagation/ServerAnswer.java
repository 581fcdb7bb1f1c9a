package dev.mxshift.validation.propagation;

import dev.mxshift.model.dns.RecordSet;

/**
 * What one authoritative server of a zone said about one record set, asked directly without recursion: the set it
 * serves (null when none), whether it answered with authority, whether a signature over the set verified with the
 * zone's key as that server serves it (null for an unsigned zone), its SOA serial, and a failure when it did not
 * answer at all.
 */
public record ServerAnswer(String server, RecordSet served, boolean authoritative, Boolean signatureValid,
                           String signatureDetail, long soaSerial, String failure) {

    public String describe() {
        if (failure != null) {
            return failure;
        }
        return (authoritative ? "" : "answers without authority; ") + (served == null ? "serves no such record set" : "serves " + served)
                + (signatureValid == null ? ", unsigned" : signatureValid ? ", signature valid" : ", signature invalid: " + signatureDetail)
                + ", SOA serial " + soaSerial;
    }
}
