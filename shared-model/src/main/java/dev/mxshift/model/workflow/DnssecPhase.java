package dev.mxshift.model.workflow;

import dev.mxshift.model.dns.EnumWords;

/**
 * Where a domain's zone stands in the DNSSEC stage, as operators see it ({@link DnssecProgress}). The word is how
 * {@code status --dnssec}, the API and the reports spell it.
 */
public enum DnssecPhase {
    /** No DNSSEC stage: the zone was secure already, or the preflight has not decided yet. */
    NONE("none"),
    /** Moved (or moving) with its zone unsigned, by the policy migrate-insecure. */
    NOT_DANE_PROTECTED("insecure"),
    /** The zone is being signed at its provider (or is planned to be). */
    SIGNING("signing"),
    /** Every authoritative server is checked from outside for the keys and valid signatures. */
    VERIFYING_KEYS("verifying-keys"),
    /** The keys are served; waiting until no resolver holds a "no DNSKEY" answer before the DS goes to the parent. */
    WAITING_KEY_CACHES("key-caches"),
    /** The DS is on its way to the parent (cds, manual, webhook or epp) and not yet served by every parent server. */
    AWAITING_DS("awaiting-ds"),
    /** Every parent server serves the DS and the validating resolver answers the zone secure. */
    CHAINED("chained"),
    /** Rolling back with unsign: the DS is withdrawn at the parent, then every cache that may hold it runs out. */
    WITHDRAWING_DS("withdrawing-ds"),
    /** The DS was withdrawn from a zone mxshift chained but did not sign: signed again without a DS, as found. */
    DS_WITHDRAWN("ds-withdrawn"),
    /** The DS is gone and no cache holds it: signing is being turned off. */
    UNSIGNING("unsigning"),
    /** The stage was undone: the zone is unsigned again, as found. */
    UNSIGNED("unsigned"),
    /** The stage cannot go on: the preflight blocked signing, or a DNSSEC step failed (the reason says why). */
    BLOCKED("blocked");

    private final String word;

    DnssecPhase(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    /** The phase a person named: its word (awaiting-ds) or its name (AWAITING_DS), any case. */
    public static DnssecPhase parse(String text) {
        return EnumWords.parse(values(), DnssecPhase::word, "DNSSEC phase", text);
    }
}
