package dev.mxshift.validation.preflight;

import dev.mxshift.validation.dane.DaneCheck;
import dev.mxshift.validation.dnssec.DnssecValidator;

/**
 * What was checked from outside before a change: the DNSSEC status of the domain's MX answer (the zone), the
 * DANE report for Microsoft's target host (null when there is no target to check), and, for an insecure zone whose
 * policy is to sign it, what its parent and delegation allow (null when that was not looked at).
 */
public record PreflightEvidence(DnssecValidator.Result zone, DaneCheck.Report target, dev.mxshift.validation.signing.SigningPreflight.Verdict signing) {

    public PreflightEvidence(DnssecValidator.Result zone, DaneCheck.Report target) {
        this(zone, target, null);
    }
}
