package dev.mxshift.validation.preflight;

import dev.mxshift.model.event.UnsignedZonePolicy;
import dev.mxshift.model.workflow.MigrationState;

import java.util.Map;

/**
 * What the hoster allows that the gates otherwise refuse.
 *
 * @param unsignedZone       what to do with a domain whose zone is not DNSSEC-secure, where neither its inventory row
 *                           nor its wave nor its tenant says: mail flows after an insecure move, but senders cannot
 *                           authenticate the MX lookup, so DANE does not protect the domain until its zone is signed.
 *                           Null: {@code sign} where the domain's connector is configured for signing, {@code block}
 *                           otherwise (issue 28's default)
 * @param unsignedZoneByWave the policy per wave (the inventory's wave column), before the tenant's
 * @param unsignedZoneByTenant the policy per tenant, before the default
 * @param planUpdatesMtaSts  let the plan carry the MTA-STS policy update (an operator step plus the
 *                           {@code _mta-sts} id change) instead of blocking until the policy is updated by hand
 * @param signing            for the {@code sign} policy: the name servers each connector serves zones from and each
 *                           parent's DS path ({@code mxshift.validation.signing.*}); null where nothing may be signed
 */
public record PreflightPolicy(UnsignedZonePolicy unsignedZone, Map<String, UnsignedZonePolicy> unsignedZoneByWave,
                              Map<String, UnsignedZonePolicy> unsignedZoneByTenant, boolean planUpdatesMtaSts,
                              dev.mxshift.validation.signing.SigningPolicy signing) {

    public static final PreflightPolicy STRICT = new PreflightPolicy(UnsignedZonePolicy.BLOCK, Map.of(), Map.of(), false);

    public PreflightPolicy(UnsignedZonePolicy unsignedZone, Map<String, UnsignedZonePolicy> unsignedZoneByWave,
                           Map<String, UnsignedZonePolicy> unsignedZoneByTenant, boolean planUpdatesMtaSts) {
        this(unsignedZone, unsignedZoneByWave, unsignedZoneByTenant, planUpdatesMtaSts, null);
    }

    public PreflightPolicy {
        unsignedZoneByWave = Map.copyOf(unsignedZoneByWave);
        unsignedZoneByTenant = Map.copyOf(unsignedZoneByTenant);
    }

    /** One policy for every domain, as the command line's {@code --unsigned-zone} gives it. */
    public static PreflightPolicy of(UnsignedZonePolicy unsignedZone, boolean planUpdatesMtaSts) {
        return new PreflightPolicy(unsignedZone, Map.of(), Map.of(), planUpdatesMtaSts);
    }

    /** The domain's policy: its inventory row's, else its wave's, else its tenant's, else the default. */
    public UnsignedZonePolicy unsignedZoneFor(MigrationState state) {
        if (state.unsignedZone() != null) {
            return state.unsignedZone();
        }
        if (state.wave() != null && unsignedZoneByWave.containsKey(state.wave())) {
            return unsignedZoneByWave.get(state.wave());
        }
        if (state.tenant() != null && unsignedZoneByTenant.containsKey(state.tenant().value())) {
            return unsignedZoneByTenant.get(state.tenant().value());
        }
        if (unsignedZone != null) {
            return unsignedZone;
        }
        boolean connectorSigns = signing != null && state.provider() != null && signing.connectorServers().containsKey(state.provider().connectorId());
        return connectorSigns ? UnsignedZonePolicy.SIGN : UnsignedZonePolicy.BLOCK;
    }
}
