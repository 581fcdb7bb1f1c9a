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
 * whose certificate matches no TLSA, and the legacy Exchange Online endpoint. Each is the final destination of every
 * domain (mail for any address is stored, nothing is relayed): the mail-flow proof counts what arrived where. Every
 * message lands in one maildir ({@link #MAILDIR} under the instance's directory) with a header naming the endpoint
 * that took it ({@link #ENDPOINT_HEADER}) and Postfix's Received header with the TLS protocol and cipher.
 */
final class PostfixServer {

    /** The header each listener prepends to what it accepts: "address:port role". */
    static final String ENDPOINT_HEADER = "X-Mxshift-Lab-Endpoint";
    /** Where the endpoints store every message, relative to the instance's directory. */
    static final String MAILDIR = "mail/maildir";

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
            // master takes its lock file here as the postfix user.
            ownedByPostfix(dir.resolve("data"));
            // virtual(8) delivers as the postfix user into the maildir (any uid >= virtual_minimum_uid would do).
            Path mail = ownedByPostfix(dir.resolve("mail"));
            Object uid = Files.getAttribute(mail, "unix:uid");
            Object gid = Files.getAttribute(mail, "unix:gid");
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
                    "relayhost =",
                    // Every domain is a final destination here (static:all matches any domain), every address a
                    // mailbox in one maildir: the endpoints stand in for Exchange Online, which accepts the tenants'
                    // mail; nothing is relayed, and what no rule covers fails rather than leaves the machine.
                    "virtual_mailbox_domains = static:all",
                    "virtual_mailbox_base = " + dir.resolve("mail"),
                    "virtual_mailbox_maps = static:maildir/",
                    "virtual_uid_maps = static:" + uid,
                    "virtual_gid_maps = static:" + gid,
                    "default_transport = error:the lab's endpoints relay nothing",
                    "smtpd_relay_restrictions = reject_unauth_destination",
                    "smtpd_tls_security_level = may",
                    "smtpd_tls_loglevel = 1",
                    "smtpd_tls_received_header = yes",
                    // The lab's Postfix stands in for Exchange Online's servers, which spend none of this machine's CPU.
                    // A probe is one short connection: keep each smtpd for many (the default starts a new one, with
                    // its TLS set-up, every 100) and leave the per-client counters (anvil) out. Halves its CPU.
                    "max_use = 100000",
                    "smtpd_client_connection_count_limit = 0",
                    "smtpd_client_connection_rate_limit = 0",
                    ""));
            List<String> master = servicesWithoutChroot();
            master.add(listener(layout.smtpGoodAddress(), pki.resolve("target"), "target"));
            master.add(listener(layout.smtpMismatchAddress(), pki.resolve("mismatch"), "certificate-mismatch"));
            master.add(listener(layout.smtpLegacyAddress(), pki.resolve("legacy"), "legacy"));
            Files.write(dir.resolve("master.cf"), master);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write Postfix's configuration in " + dir, e);
        }
        startMaster(List.of("postfix", "-c", dir.toString(), "start"), dir, process, layout.smtpGoodAddress(), layout.smtpPort());
        for (String address : List.of(layout.smtpMismatchAddress(), layout.smtpLegacyAddress())) {
            if (!ServerProcess.tcpOpen(address, layout.smtpPort())) {
                throw new IllegalStateException("Postfix does not listen on " + address + ":" + layout.smtpPort());
            }
        }
    }

    /**
     * Runs a command that starts a private Postfix instance in {@code dir}, waits until its master has written its pid
     * and listens on the address, and remembers the master as the process.
     */
    static void startMaster(List<String> command, Path dir, ServerProcess process, String address, int port) {
        Commands.run(command, null, 60);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Path pidFile = dir.resolve("queue/pid/master.pid");
        boolean adopted = false;
        while (!adopted || !ServerProcess.tcpOpen(address, port)) {
            if (!adopted && Files.exists(pidFile)) {
                // adopted as soon as it has a pid, so that a master that never listens is still stopped by down()
                try {
                    String pid = Files.readString(pidFile).trim();
                    if (!pid.isEmpty()) {
                        process.adopt(Long.parseLong(pid));
                        adopted = true;
                        continue;
                    }
                } catch (IOException | NumberFormatException e) {
                    // being written: read again
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Postfix did not listen on " + address + ":" + port + " within 30 s; see "
                        + dir.resolve("maillog"));
            }
            ServerProcess.sleep(100);
        }
    }

    /** Creates the directory, owned by the postfix user and group. */
    static Path ownedByPostfix(Path directory) throws IOException {
        Files.createDirectories(directory);
        var users = directory.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(directory, users.lookupPrincipalByName("postfix"));
        Files.getFileAttributeView(directory, java.nio.file.attribute.PosixFileAttributeView.class)
                .setGroup(users.lookupPrincipalByGroupName("postfix"));
        return directory;
    }

    /**
     * Debian's master.cf without its smtp listener, every service unchrooted: a private instance's queue directory
     * holds no copy of /etc (resolv.conf, services) for a chrooted process to read.
     */
    static List<String> servicesWithoutChroot() throws IOException {
        List<String> master = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/etc/postfix/master.cf"))) {
            String[] f = line.trim().split("\\s+");
            if (line.startsWith("#") || line.isBlank() || Character.isWhitespace(line.charAt(0)) || f.length < 8) {
                master.add(line);
            } else if (!(f[0].equals("smtp") && f[1].equals("inet"))) {
                f[4] = "n";
                master.add(String.join(" ", f));
            }
        }
        return master;
    }

    /**
     * One endpoint: its certificate, its own syslog name in the maillog, and a header naming it prepended to every
     * message it accepts (a check_client_access table whose one entry matches every client and says PREPEND).
     */
    private String listener(String address, Path keyAndChain, String role) throws IOException {
        String endpoint = address + ":" + layout.smtpPort();
        Path table = Files.writeString(layout.postfix().resolve("endpoint-" + role + ".regexp"),
                "/./ PREPEND " + ENDPOINT_HEADER + ": " + endpoint + " " + role + "\n");
        return endpoint + " inet n - n - - smtpd -o smtpd_tls_chain_files="
                + keyAndChain + ".key," + keyAndChain + ".chain.pem -o smtpd_tls_security_level=may"
                + " -o syslog_name=postfix/" + role
                + " -o smtpd_data_restrictions=check_client_access,regexp:" + table;
    }
}
