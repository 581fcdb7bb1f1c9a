package dev.mxshift.lab;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * One tenant zone of the lab, declared as data (see docs/lab.md for the format). The catalogue ships in
 * {@code scenarios/catalogue.yaml}; {@code lab up --spec FILE} adds more without code.
 *
 * @param name      the scenario's name; generated tenants are called {@code t<N>-<name>.<tld>}
 * @param domain    the domain (any spelling; IDN allowed); absent for templates used only by the generator
 * @param dnssec    signed | unsigned | signed-no-ds | bogus-expired | bogus-ds-mismatch | bogus-missing-rrsig
 * @param hosting   powerdns | bind | both | foreign-ns (PowerDNS, and the delegation also names another provider's server that does
 *                  not serve the zone) | lame | none (not delegated at all: NXDOMAIN)
 * @param mx        MX records as "PREFERENCE TOKEN": legacy, legacy-eo, legacy-de, target, gateway, alias
 *                  (a CNAME), or a host name; "null" for RFC 7505 null MX; empty for no MX
 * @param target    the mx.microsoft host Microsoft assigns this domain, and what it serves
 * @param legacyKey the legacy host's first label when not derivable (hyphenated domains: "amainc-com0i")
 * @param mtaSts    the MTA-STS policy, if the domain publishes one
 * @param expect    what the reference tools are expected to say; the lab's test checks and records it
 * @param inMix     whether {@code --tenants} may copy it by default (default true); false keeps a scenario that
 *                  serves one stage's tests out of the benchmarks' mix
 * @param records   more records of the zone, as {@code OWNER TYPE RDATA} ({@code @} for the apex, other owners relative to it
 *                  unless they end with a dot); {@code {legacy}}, {@code {legacy-address}}, {@code {target}} and
 *                  {@code {zone}} stand for the tenant's legacy host, the address it resolves to, its mx.microsoft host and
 *                  the zone (names with the final dot). An apex {@code v=spf1} TXT here replaces the default SPF record
 * @param sweep     what the zone sweep must find in the zone, and nothing else: {@code OWNER TYPE KIND} (KIND as the sweep
 *                  names it, e.g. {@code relay CNAME ALIAS}); empty: the sweep must find nothing
 */
public record ScenarioSpec(
        String name,
        String domain,
        String tenant,
        String dnssec,
        String hosting,
        List<String> mx,
        Target target,
        @JsonProperty("legacy-key") String legacyKey,
        @JsonProperty("mta-sts") MtaSts mtaSts,
        Map<String, String> expect,
        @JsonProperty("in-mix") Boolean inMix,
        List<String> records,
        List<String> sweep) {

    /**
     * @param letter   the x of {@code <key>.<x>-v1.mx.microsoft}
     * @param key      the host's first label (default: the domain with dots as dashes)
     * @param tlsa     match | mismatch | pkix-only | none
     * @param endpoint good (the certificate the TLSA describes) | mismatch (another certificate)
     */
    public record Target(String letter, String key, String tlsa, String endpoint) {
    }

    public record MtaSts(String mode, List<String> mx, @JsonProperty("max-age") Long maxAge) {
    }

    public ScenarioSpec {
        mx = mx == null ? List.of() : List.copyOf(mx);
        expect = expect == null ? Map.of() : Map.copyOf(expect);
        dnssec = dnssec == null ? "signed" : dnssec;
        hosting = hosting == null ? "powerdns" : hosting;
        inMix = inMix == null ? Boolean.TRUE : inMix;
        records = records == null ? List.of() : List.copyOf(records);
        sweep = sweep == null ? List.of() : List.copyOf(sweep);
    }

    public ScenarioSpec(String name, String domain, String tenant, String dnssec, String hosting, List<String> mx, Target target,
                        String legacyKey, MtaSts mtaSts, Map<String, String> expect) {
        this(name, domain, tenant, dnssec, hosting, mx, target, legacyKey, mtaSts, expect, null, null, null);
    }
}
