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

    private final LabLayout layout;
    private final ServerProcess process;

    UnboundServer(LabLayout layout) {
        this.layout = layout;
        this.process = new ServerProcess("unbound", layout.unbound());
    }

    ServerProcess process() {
        return process;
    }

    /** A resolv.conf for reference tools: this Unbound, with the AD bit passed through (glibc 2.31+). */
    Path resolvConf() {
        return layout.unbound().resolve("resolv.conf");
    }

    Path trustAnchorFile() {
        return layout.unbound().resolve("root.ds");
    }

    /** @param serversOfZone each lab zone with the address@port of every server that serves it */
    void start(DSRecord rootDs, java.util.Map<Name, List<String>> serversOfZone) {
        Path dir = layout.unbound();
        StringBuilder conf = new StringBuilder();
        conf.append("# Written by the mxshift lab; rewritten at every lab up.\n")
                .append("server:\n")
                .append("  interface: ").append(layout.unboundAddress()).append('\n')
                .append("  port: ").append(layout.unboundPort()).append('\n')
                // glibc's resolv.conf cannot name a port, so reference tools that resolve through it
                // (posttls-finger) reach Unbound on port 53 of its own loopback address.
                .append("  interface: ").append(layout.unboundAddress()).append("@53\n")
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
            Files.writeString(resolvConf(), "nameserver " + layout.unboundAddress() + "\noptions trust-ad\n");
            Files.writeString(dir.resolve("unbound.conf"), conf.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Commands.run(List.of("unbound-checkconf", dir.resolve("unbound.conf").toString()), null, 30);
        process.start(List.of("unbound", "-d", "-c", dir.resolve("unbound.conf").toString()));
        process.awaitDns(layout.unboundAddress(), layout.unboundPort(), Duration.ofSeconds(30));
    }
}
