package dev.mxshift.validation.preflight;

/**
 * What a tenant allows that the gates otherwise refuse.
 *
 * @param allowInsecureZone  migrate a domain whose zone is not DNSSEC-signed: mail flows, but senders cannot
 *                           authenticate the MX lookup, so DANE does not protect the domain until it is signed
 * @param planUpdatesMtaSts  let the plan carry the MTA-STS policy update (an operator step plus the
 *                           {@code _mta-sts} id change) instead of blocking until the policy is updated by hand
 */
public record PreflightPolicy(boolean allowInsecureZone, boolean planUpdatesMtaSts) {

    public static final PreflightPolicy STRICT = new PreflightPolicy(false, false);
}
