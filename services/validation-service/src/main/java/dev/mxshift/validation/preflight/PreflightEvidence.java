package dev.mxshift.validation.preflight;

import dev.mxshift.validation.dane.DaneCheck;
import dev.mxshift.validation.dnssec.DnssecValidator;

/**
 * What was checked from outside before a change: the DNSSEC status of the domain's MX answer (the zone), and the
 * DANE report for Microsoft's target host (null when there is no target to check).
 */
public record PreflightEvidence(DnssecValidator.Result zone, DaneCheck.Report target) {
}
