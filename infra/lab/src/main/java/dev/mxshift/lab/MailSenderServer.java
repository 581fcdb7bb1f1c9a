package dev.mxshift.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A second Postfix, the lab's mail sender, run the way large senders run theirs: it validates DNSSEC
 * ({@code smtp_dns_support_level = dnssec}) and authenticates the receiving servers by DANE where the MX host's TLSA
 * records are secure ({@code smtp_tls_security_level = dane}, RFC 7672), opportunistic TLS elsewhere. It resolves
 * through its own validating Unbound, bound over /etc/resolv.conf in a private mount namespace as posttls-finger does,
 * so nothing else on the machine sees that file. Its queue gives up within {@code queueLifetime}: a message no MX
 * takes is a bounce within the run, not days later. Tests and the demo submit over plain SMTP on
 * {@code mailSenderAddress:mailSenderSubmissionPort}; its maillog says what happened to each message.
 */
final class MailSenderServer {

    /** The sender's own name and the domain of its envelope sender; bounces come back to its own maildir. */
    static final String HOSTNAME = "sender.lab.mxshift.test";

    private final LabLayout layout;
    private final ServerProcess process;

    MailSenderServer(LabLayout layout) {
        this.layout = layout;
        this.process = new ServerProcess("postfix-sender", layout.mailSender());
    }

    ServerProcess process() {
        return process;
    }

    Path maillog() {
        return layout.mailSender().resolve("maillog");
    }

    Path bounceMaildir() {
        return layout.mailSender().resolve("mail/maildir");
    }

    /** @param resolvConf names the sender's validating resolver, with {@code options trust-ad} */
    void start(Path resolvConf, Duration queueLifetime) {
        Path dir = layout.mailSender();
        try {
            Files.createDirectories(dir.resolve("queue"));
            PostfixServer.ownedByPostfix(dir.resolve("data"));
            Path mail = PostfixServer.ownedByPostfix(dir.resolve("mail"));
            long lifetime = Math.max(1, queueLifetime.toSeconds());
            Files.writeString(dir.resolve("main.cf"), String.join("\n",
                    "# Written by the mxshift lab; rewritten at every lab up.",
                    "compatibility_level = 3.6",
                    "meta_directory = /etc/postfix",
                    "shlib_directory = /usr/lib/postfix",
                    "queue_directory = " + dir.resolve("queue"),
                    "data_directory = " + dir.resolve("data"),
                    "maillog_file = " + maillog(),
                    "maillog_file_prefixes = " + dir,
                    "inet_interfaces = all",
                    "inet_protocols = ipv4",
                    "myhostname = " + HOSTNAME,
                    "myorigin = $myhostname",
                    "mydestination =",
                    "alias_maps =",
                    "alias_database =",
                    "local_recipient_maps =",
                    "relay_domains =",
                    "relayhost =",
                    "append_dot_mydomain = no",
                    // Bounces and delay notices to the sender's own addresses stay here.
                    "virtual_mailbox_domains = " + HOSTNAME,
                    "virtual_mailbox_base = " + mail,
                    "virtual_mailbox_maps = static:maildir/",
                    "virtual_uid_maps = static:" + Files.getAttribute(mail, "unix:uid"),
                    "virtual_gid_maps = static:" + Files.getAttribute(mail, "unix:gid"),
                    // Submission from the machine only; the sender relays for no one else.
                    "mynetworks = 127.0.0.0/8",
                    "smtpd_relay_restrictions = permit_mynetworks, reject",
                    // As the large senders: validated DNS, DANE where the MX host's TLSA is secure (RFC 7672 section 2.2).
                    "smtp_dns_support_level = dnssec",
                    "smtp_tls_security_level = dane",
                    "smtp_tls_loglevel = 1",
                    "smtp_address_preference = ipv4",
                    // One connection per message, so every delivery logs the TLS it went over.
                    "smtp_connection_cache_on_demand = no",
                    "smtp_connect_timeout = 5s",
                    // Compressed queue: retried every few seconds, bounced after the lifetime.
                    "maximal_queue_lifetime = " + lifetime + "s",
                    "bounce_queue_lifetime = " + lifetime + "s",
                    "minimal_backoff_time = 2s",
                    "maximal_backoff_time = 4s",
                    "queue_run_delay = 2s",
                    "delay_warning_time = 0",
                    ""));
            List<String> master = PostfixServer.servicesWithoutChroot();
            master.add(layout.mailSenderAddress() + ":" + layout.mailSenderSubmissionPort()
                    + " inet n - n - - smtpd -o smtpd_tls_security_level=none -o syslog_name=postfix/submission");
            Files.write(dir.resolve("master.cf"), master);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the mail sender's configuration in " + dir, e);
        }
        // Postfix resolves through glibc, which reads /etc/resolv.conf: give the master (and every process it starts)
        // the sender's resolver in a mount namespace of its own, which lives as long as they do.
        PostfixServer.startMaster(List.of("unshare", "-m", "sh", "-c", "mount --bind '" + resolvConf + "' /etc/resolv.conf && exec postfix -c '"
                + dir + "' start"), dir, process, layout.mailSenderAddress(), layout.mailSenderSubmissionPort());
    }
}
