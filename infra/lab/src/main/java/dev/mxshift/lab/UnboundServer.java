package dev.mxshift.lab;

import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Unbound as the lab's validating resolver: the reference validator. It trusts the lab root's DS. Every lab
 * zone is a stub zone naming its server's address and port: a resolver follows delegations to port 53 of the
 * name servers' addresses, and the lab's servers use unprivileged ports. A delegation without a stub (the lame
 * scenario) is followed the ordinary way, to port 53 of an address where nothing answers, as a lame delegation
 * fails in the real world.
 */
final class UnboundServer {

    private final ServerProcess process;
    private final Path dir;
    private final String address;
    private final int port;
    /** 0: the records' own TTLs; otherwise the most seconds any answer is cached. */
    private final int cacheMaxTtl;

    /** The lab's validating resolver, the reference validator: records keep their real TTLs in its cache. */
    UnboundServer(LabLayout layout) {
        this("unbound", layout.unbound(), layout.unboundAddress(), layout.unboundPort(), 0);
    }

    private UnboundServer(String name, Path dir, String address, int port, int cacheMaxTtl) {
        this.process = new ServerProcess(name, dir);
        this.dir = dir;
        this.address = address;
        this.port = port;
        this.cacheMaxTtl = cacheMaxTtl;
    }

    /**
     * The mail sender's site resolver: the same validating Unbound (same trust anchor, same stubs) on port 53 of its own
     * address, caching nothing longer than {@code cacheMaxTtl} seconds. The services compress time (they wait 3.6 s for
     * a 3,600 s MX TTL before they take the legacy MX away), so the sender's cache must be compressed alike, or it
     * would keep sending to the old MX for a real hour after the move, as a real sender does for a real hour.
     */
    static UnboundServer mailSenders(LabLayout layout, int cacheMaxTtl) {
        return new UnboundServer("unbound-sender", layout.mailSender().resolve("unbound"), layout.mailSenderResolverAddress(), 53,
                cacheMaxTtl);
    }

    ServerProcess process() {
        return process;
    }

    /** A resolv.conf for reference tools: this Unbound, with the AD bit passed through (glibc 2.31+). */
    Path resolvConf() {
        return dir.resolve("resolv.conf");
    }

    Path trustAnchorFile() {
        return dir.resolve("root.ds");
    }

    /** @param serversOfZone each lab zone with the address@port of every server that serves it */
    void start(DSRecord rootDs, java.util.Map<Name, List<String>> serversOfZone) {
        StringBuilder conf = new StringBuilder();
        conf.append("# Written by the mxshift lab; rewritten at every lab up.\n")
                .append("server:\n")
                .append("  interface: ").append(address).append('\n')
                .append("  port: ").append(port).append('\n');
        if (port != 53) {
            // glibc's resolv.conf cannot name a port, so reference tools that resolve through it
            // (posttls-finger, Postfix) reach Unbound on port 53 of its own loopback address.
            conf.append("  interface: ").append(address).append("@53\n");
        }
        if (cacheMaxTtl > 0) {
            conf.append("  cache-max-ttl: ").append(cacheMaxTtl).append('\n');
        }
        conf
                .append("  do-ip6: no\n")
                .append("  do-daemonize: no\n")
                .append("  use-syslog: no\n")
                .append("  logfile: \"\"\n")
                .append("  username: \"\"\n")
                .append("  chroot: \"\"\n")
                .append("  directory: \"").append(dir).append("\"\n")
                .append("  pidfile: \"").append(dir.resolve("unbound.own.pid")).append("\"\n")
                .append("  verbosity: 1\n")
                .append("  num-threads: 2\n")
                // Sized for the lab's largest runs (100,000 domains), as a hoster's resolver is for its domains: with
                // Unbound's 4 MB defaults a domain's records are evicted within minutes, so a step that comes minutes
                // after the one before (the services' pace at that size) has them fetched and validated again, a cost
                // of the lab's undersized cache and not of the step (docs/benchmarks.md, the dry run; decision 0046).
                .append("  msg-cache-size: 50m\n")
                .append("  rrset-cache-size: 100m\n")
                .append("  key-cache-size: 50m\n")
                .append("  access-control: 127.0.0.0/8 allow\n")
                .append("  do-not-query-localhost: no\n")
                .append("  trust-anchor-file: \"").append(trustAnchorFile()).append("\"\n")
                .append("  module-config: \"validator iterator\"\n")
                .append("  val-log-level: 2\n")
                .append("  ede: yes\n")
                // The lab compresses time (services wait 3.6 s for a 3,600 s TTL): a negative answer (no DS yet, no DNSKEY
                // yet) is cached for at most 3 s, so a zone the DNSSEC stage signs and chains is seen as it is now within
                // the compressed waits, as a production resolver sees it within the real ones.
                .append("  cache-max-negative-ttl: 3\n")
                // Likewise a bogus answer: Unbound keeps a zone it found bogus (a DS typed wrong at the registrar, then put
                // right) as bogus for val-bogus-ttl, 60 s by default, a minute the compressed lab would otherwise wait out
                // in full where the services' own waits are seconds. 5 s is still longer than the services' 2 s re-check,
                // so a corrected zone is still met bogus at least once before it validates.
                .append("  val-bogus-ttl: 5\n")
                .append("  harden-dnssec-stripped: yes\n")
                .append("  qname-minimisation: no\n")
                .append("  infra-host-ttl: 60\n")
                .append("remote-control:\n  control-enable: no\n")
                ;
        serversOfZone.forEach((zone, servers) -> {
            conf.append("stub-zone:\n  name: \"").append(zone).append("\"\n");
            servers.forEach(server -> conf.append("  stub-addr: ").append(server).append('\n'));
        });
        try {
            Files.createDirectories(dir);
            Files.writeString(trustAnchorFile(), rootDs.toString() + "\n");
            Files.writeString(resolvConf(), "nameserver " + address + "\noptions trust-ad\n");
            Files.writeString(dir.resolve("unbound.conf"), conf.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Commands.run(List.of("unbound-checkconf", dir.resolve("unbound.conf").toString()), null, 30);
        process.start(List.of("unbound", "-d", "-c", dir.resolve("unbound.conf").toString()));
        process.awaitDns(address, port, Duration.ofSeconds(30));
    }
}
