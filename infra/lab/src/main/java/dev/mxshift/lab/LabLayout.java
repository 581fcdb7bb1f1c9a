package dev.mxshift.lab;

import java.nio.file.Path;

/**
 * Where every lab server lives. All addresses are on 127.0.0.0/8. DNS and HTTPS use unprivileged ports; SMTP
 * uses port 25 because a TLSA record's owner name carries the port ({@code _25._tcp}, RFC 7672
 * section 2.2.1) and the reference client, posttls-finger, looks TLSA up for the port it connects to. BIND's control
 * channel ({@code rndc}) listens on {@code bindControlPort}, so tests can freeze a zone as a hoster's DNS team would.
 */
public record LabLayout(
        Path directory,
        String powerDnsAddress, int powerDnsPort, int powerDnsApiPort,
        String bindAddress, int bindPort, int bindControlPort,
        String unboundAddress, int unboundPort,
        String smtpGoodAddress, String smtpMismatchAddress, String smtpLegacyAddress, int smtpPort,
        String mtaStsAddress, int mtaStsPort) {

    public static LabLayout defaults(Path directory) {
        return new LabLayout(directory,
                "127.0.10.1", 5300, 18081,
                // BIND listens only on addresses assigned to an interface; 127.0.0.1 always is.
                "127.0.0.1", 5301, 5953,
                "127.0.10.53", 5353,
                "127.0.20.1", "127.0.20.2", "127.0.20.3", 25,
                // MTA-STS policies are fetched from port 443 in the real world (RFC 8461 section 3.3).
                "127.0.20.10", 8443);
    }

    public Path powerDns() {
        return directory.resolve("powerdns");
    }

    /**
     * The registries' own name server (the root and the TLDs), a second PowerDNS instance with a database of its own:
     * a registry serves its zone from its own servers, and the DS it writes never shares a database lock with the
     * hosters' zones. Same ports as the hosters' PowerDNS, on its own address.
     */
    public String registryAddress() {
        return "127.0.10.2";
    }

    public int registryPort() {
        return powerDnsPort;
    }

    public int registryApiPort() {
        return powerDnsApiPort;
    }

    public Path registryDns() {
        return directory.resolve("registry-dns");
    }

    public String registryApiUrl() {
        return "http://" + registryAddress() + ":" + registryApiPort() + "/api/v1";
    }

    public Path bind() {
        return directory.resolve("bind");
    }

    public Path unbound() {
        return directory.resolve("unbound");
    }

    public Path postfix() {
        return directory.resolve("postfix");
    }

    /**
     * The mail sender (a second Postfix, DANE-validating, for the mail-flow proof): its instance directory, the address
     * of its submission listener and of its own resolver (port 53: glibc's resolv.conf cannot name a port).
     */
    public Path mailSender() {
        return directory.resolve("mail-sender");
    }

    public String mailSenderAddress() {
        return "127.0.20.20";
    }

    public int mailSenderSubmissionPort() {
        return 2525;
    }

    public String mailSenderResolverAddress() {
        return "127.0.20.53";
    }

    public Path mtaSts() {
        return directory.resolve("mta-sts");
    }

    /** The registries' CDS scanner: its configuration and one decision log per CDS-scanning TLD. */
    public Path registry() {
        return directory.resolve("registry");
    }

    public Path pki() {
        return directory.resolve("pki");
    }

    public Path endpointsFile() {
        return directory.resolve("endpoints.json");
    }

    public String powerDnsApiUrl() {
        return "http://" + powerDnsAddress + ":" + powerDnsApiPort + "/api/v1";
    }
}
