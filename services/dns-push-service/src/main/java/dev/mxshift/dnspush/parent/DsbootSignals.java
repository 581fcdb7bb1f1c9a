package dev.mxshift.dnspush.parent;

import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import dev.mxshift.connector.SigningKey;
import dev.mxshift.connector.ZoneSigning;
import dev.mxshift.dnspush.engine.ChangeEngine;
import dev.mxshift.dnspush.engine.PushOutcome;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The DNS operator's side of RFC 9615 (authenticated DNSSEC bootstrapping): beside the child's CDS and CDNSKEY, the
 * same two sets at {@code _dsboot.<child>._signal.<ns>} for every name server host of the child that lies in one of the
 * operator's own DNSSEC-signed zones ({@code mxshift.push.signalling-zones}). A registry that validates them takes the
 * first DS after one scan instead of days of "accept after delay" (RFC 8078 section 3.3). Written through the
 * signalling zone's connector by the change engine, so a repeat writes nothing twice, and a set someone else put at a
 * signalling name is never written over.
 */
public final class DsbootSignals {

    /** The longest name the DNS carries in presentation form without the final dot (RFC 1035 section 2.3.4). */
    private static final int MAX_NAME = 253;

    /** One of the operator's signed zones whose names are name server hosts, and the connector that writes it. */
    public record SignallingZone(String zone, DnsConnector connector, long ttl) {
        public SignallingZone {
            zone = canonical(zone);
        }
    }

    /** Where one host's signal goes: {@code name} in {@code zone}. */
    public record Target(String host, String name, SignallingZone zone) {
    }

    /** A host that gets no signal, and why. */
    public record Skipped(String host, String reason) {
        @Override
        public String toString() {
            return host + " (" + reason + ")";
        }
    }

    /** The hosts that get a signal and those that do not. */
    public record Placement(List<Target> targets, List<Skipped> skipped) {
    }

    private final List<SignallingZone> zones;

    public DsbootSignals(List<SignallingZone> zones) {
        this.zones = List.copyOf(zones);
    }

    public boolean configured() {
        return !zones.isEmpty();
    }

    /**
     * Pure: which of the child's name servers get a signal. A host inside the child (in bailiwick) never does: its signal
     * could not validate before the child's own DS (RFC 9615 section 4.1); nor does a host outside every signalling zone.
     * A host in two signalling zones takes the longer one (the zone that holds it).
     */
    public static Placement place(String child, List<String> nameServers, List<SignallingZone> zones) {
        String zone = canonical(child);
        List<Target> targets = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (String host : nameServers.stream().map(DsbootSignals::canonical).distinct().toList()) {
            if (host.equals(zone) || host.endsWith("." + zone)) {
                skipped.add(new Skipped(host, "in bailiwick of " + zone + ": RFC 9615 does not use its signals"));
                continue;
            }
            Optional<SignallingZone> holder = zones.stream().filter(z -> host.equals(z.zone()) || host.endsWith("." + z.zone()))
                    .max(java.util.Comparator.comparingInt(z -> z.zone().length()));
            String name = "_dsboot." + zone + "._signal." + host;
            if (holder.isEmpty()) {
                skipped.add(new Skipped(host, "in no signalling zone (mxshift.push.signalling-zones)"));
            } else if (name.length() > MAX_NAME) {
                skipped.add(new Skipped(host, "its signalling name would be longer than " + MAX_NAME + " characters"));
            } else {
                targets.add(new Target(host, name, holder.get()));
            }
        }
        return new Placement(List.copyOf(targets), List.copyOf(skipped));
    }

    /**
     * Publishes the child's CDS and CDNSKEY (for the keys its DS points at: {@code signing}) at each signalling name;
     * returns the sentence for the step's evidence. A signalling zone that is not signed gets nothing (RFC 9615 section
     * 2.1: a signal must validate). Failures are reported, not thrown: signals only speed the registry up, and the
     * child's CDS goes out whatever happens to them.
     */
    public String publish(String child, DnsConnector childConnector, ZoneSigning signing) throws ConnectorException {
        Placement placement = place(child, nameServers(child, childConnector), zones);
        List<String> done = new ArrayList<>();
        List<String> notDone = new ArrayList<>(placement.skipped().stream().map(Skipped::toString).toList());
        for (Target target : placement.targets()) {
            Optional<String> unsigned = unsigned(target.zone());
            if (unsigned.isPresent()) {
                notDone.add(target.host() + " (" + unsigned.get() + ")");
                continue;
            }
            List<RrSet> wanted = sets(target, signing);
            List<Optional<RrSet>> there = new ArrayList<>();
            List<String> failed = new ArrayList<>();
            try {
                for (RrSet set : wanted) {
                    there.add(target.zone().connector().read(target.zone().zone(), set.owner(), set.type()));
                }
            } catch (ConnectorException e) {
                notDone.add(target.host() + " (" + e.getMessage() + ")");
                continue;
            }
            for (int i = 0; i < wanted.size(); i++) {
                RrSet set = wanted.get(i);
                if (there.get(i).isPresent() && !sameRecords(set, there.get(i).get())) {
                    failed.add(set.type() + " holds " + there.get(i).get().rdata() + ", not the keys of " + canonical(child));
                }
            }
            if (!failed.isEmpty()) {
                // Someone else's records (or a stale signal of another key): neither set is written, so no half signal stands.
                notDone.add(target.host() + " (" + String.join("; ", failed) + ": left alone)");
                continue;
            }
            for (int i = 0; i < wanted.size(); i++) {
                RrSet set = wanted.get(i);
                PushOutcome outcome = ChangeEngine.push(target.zone().connector(), new RrSetChange(target.zone().zone(), set.owner(),
                        set.type(), there.get(i).orElse(null), set), false);
                if (outcome instanceof PushOutcome.Conflict conflict) {
                    failed.add(set.type() + ": " + conflict.detail());
                } else if (outcome instanceof PushOutcome.Failed failure) {
                    failed.add(set.type() + ": " + failure.message());
                }
            }
            if (failed.isEmpty()) {
                done.add(target.name() + " (" + target.zone().connector().id() + ")");
            } else {
                notDone.add(target.host() + " (" + String.join("; ", failed) + ")");
            }
        }
        return "; RFC 9615 signals " + (done.isEmpty() ? "published nowhere" : "at " + String.join(", ", done))
                + (notDone.isEmpty() ? "" : "; none for " + String.join(", ", notDone)
                + (done.isEmpty() ? ": the registry bootstraps without them, after its own delay" : ""));
    }

    /**
     * Removes the signals of the child's keys ({@code signing}) again: once the parent has acted on them (RFC 9615 section
     * 5.1: the operator SHOULD remove signals that were acted upon), and when the DS is withdrawn. A signal that is gone
     * already is fine; one that holds other records than the child's keys is left alone and named.
     */
    public String remove(String child, DnsConnector childConnector, ZoneSigning signing) throws ConnectorException {
        Placement placement = place(child, nameServers(child, childConnector), zones);
        List<String> removed = new ArrayList<>();
        List<String> left = new ArrayList<>();
        for (Target target : placement.targets()) {
            for (RrSet set : sets(target, signing)) {
                Optional<RrSet> there = target.zone().connector().read(target.zone().zone(), set.owner(), set.type());
                if (there.isEmpty()) {
                    continue;
                }
                if (!sameRecords(set, there.get())) {
                    left.add(set.owner() + " " + set.type() + " (holds " + there.get().rdata() + ", not the keys of " + canonical(child) + ")");
                    continue;
                }
                PushOutcome outcome = ChangeEngine.push(target.zone().connector(),
                        new RrSetChange(target.zone().zone(), set.owner(), set.type(), there.get(), null), false);
                if (outcome instanceof PushOutcome.Failed failed) {
                    throw new ConnectorException(failed.kind(), "removing the RFC 9615 signal " + set.owner() + " " + set.type() + ": " + failed.message());
                }
                if (outcome instanceof PushOutcome.Conflict conflict) {
                    left.add(set.owner() + " " + set.type() + " (" + conflict.detail() + ")");
                } else {
                    removed.add(set.owner() + " " + set.type());
                }
            }
        }
        return "; RFC 9615 signals " + (removed.isEmpty() ? "none left to remove" : "removed: " + String.join(", ", removed))
                + (left.isEmpty() ? "" : "; left alone: " + String.join(", ", left));
    }

    /** The child's NS hosts, as its own connector serves them at the apex (the preflight checked they are the delegation's). */
    private static List<String> nameServers(String child, DnsConnector connector) throws ConnectorException {
        return connector.read(canonical(child), canonical(child), "NS").map(RrSet::rdata).orElse(List.of());
    }

    private static Optional<String> unsigned(SignallingZone zone) {
        try {
            return zone.connector().signing(zone.zone()).signed() ? Optional.empty()
                    : Optional.of(zone.zone() + " is not DNSSEC-signed at " + zone.connector().id() + ", so no signal in it could validate");
        } catch (ConnectorException e) {
            return Optional.of("cannot tell whether " + zone.zone() + " is signed: " + e.getMessage());
        }
    }

    /** The CDS and CDNSKEY sets of the keys the DS points at, as the child serves them at its apex. */
    static List<RrSet> sets(Target target, ZoneSigning signing) {
        if (signing.ds().isEmpty()) {
            return List.of(); // an unsigned child has nothing to vouch for, nor to remove
        }
        List<SigningKey> pointed = signing.keys().stream().filter(SigningKey::sep).toList();
        List<String> cdnskey = (pointed.isEmpty() ? signing.keys() : pointed).stream().map(SigningKey::dnskey).toList();
        long ttl = target.zone().ttl();
        return List.of(new RrSet(target.name(), "CDS", ttl, signing.ds()), new RrSet(target.name(), "CDNSKEY", ttl, cdnskey));
    }

    private static boolean sameRecords(RrSet a, RrSet b) {
        return a.sameAs(new RrSet(b.owner(), b.type(), a.ttl(), b.rdata()));
    }

    private static String canonical(String name) {
        return name.strip().toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
    }
}
