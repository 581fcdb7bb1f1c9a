package dev.mxshift.recordgeneration;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.recordgeneration.WaveGate.DomainStatus;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What the wave gate counts, kept up to date one domain at a time: per wave, the domains changing, not finished and
 * ended uncleanly; per tenant, its domains and those changing. Asking the gate is then independent of how many
 * domains there are (100,000 domains admitted one by one must not cost 100,000 scans of 100,000). Pure; not
 * thread-safe (the gatekeeper guards it).
 */
public final class WaveTally {

    private final Map<DomainName, DomainStatus> domains = new HashMap<>();
    private final Map<String, Integer> changingPerWave = new HashMap<>();
    private final Map<String, TreeSet<DomainName>> unfinishedPerWave = new HashMap<>();
    private final Map<String, TreeSet<DomainName>> uncleanPerWave = new HashMap<>();
    private final Map<TenantId, int[]> perTenant = new HashMap<>();

    /** A tally of these domains (each domain once: a later status of the same domain replaces the earlier one). */
    public static WaveTally of(Iterable<DomainStatus> all) {
        WaveTally tally = new WaveTally();
        all.forEach(tally::put);
        return tally;
    }

    /** Records a domain's current status, replacing what was known of it. */
    public void put(DomainStatus status) {
        DomainStatus before = domains.put(status.domain(), status);
        if (before != null) {
            count(before, -1);
        }
        count(status, +1);
    }

    public Optional<DomainStatus> get(DomainName domain) {
        return Optional.ofNullable(domains.get(domain));
    }

    public int size() {
        return domains.size();
    }

    int changingInWave(String wave) {
        return changingPerWave.getOrDefault(key(wave), 0);
    }

    /** A domain of the wave that has not finished (still to start, or changing), other than {@code except}; or none. */
    Optional<DomainName> unfinishedInWave(String wave, DomainName except) {
        return any(unfinishedPerWave.get(key(wave)), except);
    }

    /** A domain of the wave that ended uncleanly (failed, conflict, rolled back), other than {@code except}; or none. */
    Optional<DomainName> uncleanInWave(String wave, DomainName except) {
        return any(uncleanPerWave.get(key(wave)), except);
    }

    int tenantDomains(TenantId tenant) {
        int[] t = perTenant.get(tenant);
        return t == null ? 0 : t[0];
    }

    int tenantChanging(TenantId tenant) {
        int[] t = perTenant.get(tenant);
        return t == null ? 0 : t[1];
    }

    private void count(DomainStatus s, int delta) {
        String wave = key(s.wave());
        int[] tenant = perTenant.computeIfAbsent(s.tenant(), t -> new int[2]);
        tenant[0] += delta;
        if (s.changing()) {
            changingPerWave.merge(wave, delta, Integer::sum);
            tenant[1] += delta;
        }
        if (s.unclean()) {
            mark(uncleanPerWave, wave, s.domain(), delta);
        }
        if (s.unfinished()) {
            mark(unfinishedPerWave, wave, s.domain(), delta);
        }
    }

    private static void mark(Map<String, TreeSet<DomainName>> sets, String wave, DomainName domain, int delta) {
        if (delta > 0) {
            sets.computeIfAbsent(wave, w -> new TreeSet<>(java.util.Comparator.comparing(DomainName::value))).add(domain);
        } else if (sets.containsKey(wave)) {
            sets.get(wave).remove(domain);
        }
    }

    private static Optional<DomainName> any(TreeSet<DomainName> set, DomainName except) {
        if (set == null) {
            return Optional.empty();
        }
        for (DomainName d : set) {
            if (!Objects.equals(d, except)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** Waves may be absent (the default wave). */
    private static String key(String wave) {
        return wave == null ? "" : "w:" + wave;
    }
}
