package dev.mxshift.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Postfix as the lab's SMTP endpoints with STARTTLS, one private instance listening on three loopback addresses:
 * the mx.microsoft target (the certificate its TLSA records describe, with the lab CA in the chain), an endpoint
 * whose certificate matches no TLSA, and the legacy Exchange Online endpoint.
 */
final class PostfixServer {

    private final LabLayout layout;
    private final ServerProcess process;

    PostfixServer(LabLayout layout) {
        this.layout = layout;
        this.process = new ServerProcess("postfix", layout.postfix());
    }

    ServerProcess process() {
        return process;
    }

    void start() {
        Path dir = layout.postfix();
        Path pki = layout.pki();
        try {
            Files.createDirectories(dir.resolve("queue"));
            Path data = Files.createDirectories(dir.resolve("data"));
            // master takes its lock file here as the postfix user.
            var users = data.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(data, users.lookupPrincipalByName("postfix"));
            Files.writeString(dir.resolve("main.cf"), String.join("\n",
                    "# Written by the mxshift lab; rewritten at every lab up.",
                    "compatibility_level = 3.6",
                    "meta_directory = /etc/postfix",
                    "shlib_directory = /usr/lib/postfix",
                    "queue_directory = " + dir.resolve("queue"),
                    "data_directory = " + dir.resolve("data"),
                    "maillog_file = " + dir.resolve("maillog"),
                    "maillog_file_prefixes = " + dir,
                    // Named 127.x addresses that are not on an interface are refused; master.cf binds per address.
                    "inet_interfaces = all",
                    "inet_protocols = ipv4",
                    "myhostname = mx.lab.mxshift.test",
                    "mydestination =",
                    "mynetworks = 127.0.0.0/8",
                    "alias_maps =",
                    "alias_database =",
                    "local_recipient_maps =",
                    "relay_domains =",
                    "smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination",
                    "smtpd_tls_security_level = may",
                    "smtpd_tls_loglevel = 1",
                    // The lab's Postfix stands in for Exchange Online's servers, which spend none of this machine's CPU.
                    // A probe is one short connection: keep each smtpd for many (the default starts a new one, with
                    // its TLS set-up, every 100) and leave the per-client counters (anvil) out. Halves its CPU.
                    "max_use = 100000",
                    "smtpd_client_connection_count_limit = 0",
                    "smtpd_client_connection_rate_limit = 0",
                    ""));
            List<String> master = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/etc/postfix/master.cf"))) {
                if (!line.startsWith("smtp      inet") && !line.startsWith("smtp inet")) {
                    master.add(line);
                }
            }
            master.add(listener(layout.smtpGoodAddress(), pki.resolve("target")));
            master.add(listener(layout.smtpMismatchAddress(), pki.resolve("mismatch")));
            master.add(listener(layout.smtpLegacyAddress(), pki.resolve("legacy")));
            Files.write(dir.resolve("master.cf"), master);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write Postfix's configuration in " + dir, e);
        }
        Commands.run(List.of("postfix", "-c", dir.toString(), "start"), null, 60);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Path pidFile = dir.resolve("queue/pid/master.pid");
        while (!Files.exists(pidFile) || !ServerProcess.tcpOpen(layout.smtpGoodAddress(), layout.smtpPort())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Postfix did not listen on " + layout.smtpGoodAddress() + ":" + layout.smtpPort()
                        + " within 30 s; see " + dir.resolve("maillog"));
            }
            ServerProcess.sleep(100);
        }
        try {
            process.adopt(Long.parseLong(Files.readString(pidFile).trim()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String address : List.of(layout.smtpMismatchAddress(), layout.smtpLegacyAddress())) {
            if (!ServerProcess.tcpOpen(address, layout.smtpPort())) {
                throw new IllegalStateException("Postfix does not listen on " + address + ":" + layout.smtpPort());
            }
        }
    }

    private String listener(String address, Path keyAndChain) {
        return address + ":" + layout.smtpPort() + " inet n - n - - smtpd -o smtpd_tls_chain_files="
                + keyAndChain + ".key," + keyAndChain + ".chain.pem -o smtpd_tls_security_level=may";
    }
}
