package dev.mxshift.lab.mailflow;

import dev.mxshift.lab.mailflow.MailFlowReport.Fate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The recorder joins the sender's maillog and the endpoints' maildir by Message-ID; lines as Postfix 3.7 writes them. */
class MailFlowRecorderTest {

    private static final String TLS = "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519";

    @TempDir
    Path dir;

    @Test
    void eachMessageGetsItsFateAndEachDomainItsEndpointsAndLastTls() throws Exception {
        Path maillog = Files.write(dir.resolve("maillog"), List.of(
                "Dec 06 16:05:20 sender postfix/cleanup[1]: AAA1: message-id=<m1@s>",
                "Dec 06 16:05:20 sender postfix/smtp[7]: Untrusted TLS connection established to contoso-com.mail.protection.outlook.com[127.0.20.3]:25: " + TLS,
                "Dec 06 16:05:20 sender postfix/smtp[7]: AAA1: to=<p@contoso.com>, relay=contoso-com.mail.protection.outlook.com[127.0.20.3]:25, delay=0.01,"
                        + " delays=0/0/0/0, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as X1)",
                "Dec 06 16:05:21 sender postfix/cleanup[1]: AAA2: message-id=<m2@s>",
                "Dec 06 16:05:21 sender postfix/smtp[8]: AAA2: to=<p@contoso.com>, relay=none, delay=0.1, delays=0/0/0/0, dsn=4.4.3,"
                        + " status=deferred (Host or domain name not found. Name service error for name=contoso.com type=MX: Host not found, try again)",
                "Dec 06 16:05:23 sender postfix/smtp[7]: Verified TLS connection established to contoso-com.o-v1.mx.microsoft[127.0.20.1]:25: " + TLS,
                "Dec 06 16:05:23 sender postfix/smtp[7]: AAA2: to=<p@contoso.com>, relay=contoso-com.o-v1.mx.microsoft[127.0.20.1]:25, delay=2,"
                        + " delays=0/0/0/0, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as X2)",
                "Dec 06 16:05:24 sender postfix/cleanup[1]: AAA3: message-id=<m3@s>",
                "Dec 06 16:05:24 sender postfix/smtp[9]: AAA3: to=<p@fabrikam.com>, relay=none, delay=0.1, delays=0/0/0/0, dsn=5.4.4,"
                        + " status=bounced (Host or domain name not found. Name service error for name=fabrikam.com type=A: Host found but no data record of requested type)",
                "Dec 06 16:05:25 sender postfix/cleanup[1]: AAA4: message-id=<m4@s>",
                "Dec 06 16:05:25 sender postfix/cleanup[1]: AAA6: message-id=<m6@s>",
                "Dec 06 16:05:25 sender postfix/smtp[9]: AAA6: to=<p@wingtip.com>, relay=none, delay=0.1, delays=0/0/0/0, dsn=4.4.3,"
                        + " status=deferred (Host or domain name not found. Name service error for name=wingtip.com type=MX: Host not found, try again)",
                "Dec 06 16:07:00 sender postfix/qmgr[3]: AAA6: from=<mailflow@s>, status=expired, returned to sender",
                "Dec 06 16:05:25 sender postfix/cleanup[1]: AAA5: message-id=<m5@s>",
                "Dec 06 16:05:25 sender postfix/smtp[9]: AAA5: to=<p@fabrikam.com>, relay=fabrikam-com.mail.protection.outlook.com[127.0.20.3]:25, delay=0.01,"
                        + " delays=0/0/0/0, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as X5)"));
        Path maildir = Files.createDirectories(dir.resolve("maildir/new"));
        stored(maildir.resolve("1"), "m1@s", "127.0.20.3:25 legacy");
        stored(maildir.resolve("2"), "m2@s", "127.0.20.1:25 target");
        stored(maildir.resolve("2b"), "m2@s", "127.0.20.1:25 target");

        MailFlowReport report = new MailFlowRecorder(maillog, dir.resolve("maildir")).report(List.of(
                new MailFlowRecorder.Submitted("m1@s", "p@contoso.com", Instant.parse("2026-12-06T16:05:20Z")),
                new MailFlowRecorder.Submitted("m2@s", "p@contoso.com", Instant.parse("2026-12-06T16:05:21Z")),
                new MailFlowRecorder.Submitted("m3@s", "p@fabrikam.com", Instant.parse("2026-12-06T16:05:24Z")),
                new MailFlowRecorder.Submitted("m4@s", "p@fabrikam.com", Instant.parse("2026-12-06T16:05:25Z")),
                new MailFlowRecorder.Submitted("m5@s", "p@fabrikam.com", Instant.parse("2026-12-06T16:05:25.5Z")),
                new MailFlowRecorder.Submitted("m6@s", "p@wingtip.com", Instant.parse("2026-12-06T16:05:25.7Z"))));

        assertThat(report.outcomes()).extracting(MailFlowReport.Outcome::fate)
                .containsExactly(Fate.DELIVERED, Fate.DUPLICATED, Fate.BOUNCED, Fate.QUEUED, Fate.LOST, Fate.BOUNCED);
        assertThat(report.pending()).isEqualTo(1);
        assertThat(report.deferrals()).extracting(MailFlowReport.Deferral::messageId).containsExactly("m2@s", "m6@s");
        assertThat(report.deferrals()).allSatisfy(d -> assertThat(d.reason()).startsWith("Host or domain name not found"));
        assertThat(report.outcomes().get(0).deliveries().get(0).tls()).isEqualTo("TLSv1.3 with cipher TLS_AES_256_GCM_SHA384");
        MailFlowReport.DomainFlow contoso = report.domains().get("contoso.com");
        assertThat(contoso.endpoints()).containsExactly("127.0.20.3:25 legacy", "127.0.20.1:25 target");
        assertThat(contoso.lastDaneVerified()).isTrue();
        assertThat(report.domains().get("fabrikam.com").endpoints()).isEmpty();
        assertThat(report.summary()).startsWith("mail flow: 6 sent, 1 delivered once, 1 duplicated, 2 bounced, 1 lost, 1 still queued; 2 deferrals")
                .endsWith("1 of 3 domains' last delivery DANE-verified");
    }

    @Test
    void aCopyStoredBeforeTheSenderLoggedItsDeliveryIsNotSettledYet() throws Exception {
        Path maillog = dir.resolve("maillog");
        Files.write(maillog, List.of(
                "Dec 06 23:37:02 sender postfix/cleanup[1]: BBB1: message-id=<m1@s>",
                "Dec 06 23:37:02 sender postfix/smtp[7]: Verified TLS connection established to contoso-com.o-v1.mx.microsoft[127.0.20.1]:25: " + TLS));
        Path maildir = Files.createDirectories(dir.resolve("maildir/new"));
        stored(maildir.resolve("1"), "m1@s", "127.0.20.1:25 target");
        MailFlowRecorder recorder = new MailFlowRecorder(maillog, dir.resolve("maildir"));
        List<MailFlowRecorder.Submitted> sent = List.of(new MailFlowRecorder.Submitted("m1@s", "p@contoso.com", Instant.parse("2026-12-06T23:37:02Z")));

        MailFlowReport early = recorder.report(sent);
        assertThat(early.outcomes().get(0).fate()).isEqualTo(Fate.DELIVERED);
        assertThat(early.pending()).isZero();
        assertThat(early.unlogged()).isEqualTo(1);
        assertThat(early.settled()).as("the receiver stored it, the sender's line with its TLS is not written yet").isFalse();
        assertThat(early.domains().get("contoso.com").lastDaneVerified()).isFalse();

        Files.write(maillog, List.of("Dec 06 23:37:02 sender postfix/smtp[7]: BBB1: to=<p@contoso.com>, relay=contoso-com.o-v1.mx.microsoft[127.0.20.1]:25,"
                + " delay=0.06, delays=0.02/0.01/0.03/0, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as X1)"), java.nio.file.StandardOpenOption.APPEND);
        MailFlowReport later = recorder.report(sent);
        assertThat(later.settled()).isTrue();
        assertThat(later.domains().get("contoso.com").lastDaneVerified()).isTrue();
    }

    @Test
    void aMessageTheSenderLoggedAsSentBeforeTheEndpointStoredItIsNotSettledYet() throws Exception {
        Path maillog = dir.resolve("maillog");
        Files.write(maillog, List.of(
                "Dec 06 23:37:02 sender postfix/cleanup[1]: CCC1: message-id=<m1@s>",
                "Dec 06 23:37:02 sender postfix/smtp[7]: CCC1: to=<p@contoso.com>, relay=contoso-com.o-v1.mx.microsoft[127.0.20.1]:25,"
                        + " delay=0.06, delays=0.02/0.01/0.03/0, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as X1)"));
        Path maildir = Files.createDirectories(dir.resolve("maildir/new"));
        MailFlowRecorder recorder = new MailFlowRecorder(maillog, dir.resolve("maildir"));
        List<MailFlowRecorder.Submitted> sent = List.of(new MailFlowRecorder.Submitted("m1@s", "p@contoso.com", Instant.parse("2026-12-06T23:37:02Z")));

        MailFlowReport early = recorder.report(sent);
        assertThat(early.outcomes().get(0).fate()).as("no copy anywhere yet").isEqualTo(Fate.LOST);
        assertThat(early.pending()).isZero();
        assertThat(early.unstored()).isEqualTo(1);
        assertThat(early.settled()).as("the endpoint queued it; its virtual(8) has not written the maildir file yet").isFalse();

        stored(maildir.resolve("1"), "m1@s", "127.0.20.1:25 target");
        MailFlowReport later = recorder.report(sent);
        assertThat(later.outcomes().get(0).fate()).isEqualTo(Fate.DELIVERED);
        assertThat(later.unstored()).isZero();
        assertThat(later.settled()).isTrue();
    }

    private static void stored(Path file, String messageId, String endpoint) throws Exception {
        Files.writeString(file, "Delivered-To: p@contoso.com\n"
                + "Received: from sender.lab.mxshift.test (localhost [127.0.0.1])\n"
                + "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)\n"
                + "\t key-exchange X25519 server-signature ECDSA (prime256v1) server-digest SHA256)\n"
                + "\t(No client certificate requested)\n"
                + "\tby mx.lab.mxshift.test (Postfix) with ESMTPS id X1\n"
                + "\tfor <p@contoso.com>; Sun,  6 Dec 2026 16:05:20 +0000 (UTC)\n"
                + "Received: from mailflow.sender.lab.mxshift.test (localhost [127.0.0.1])\n"
                + "\tby sender.lab.mxshift.test (Postfix) with ESMTP id AAA1\n"
                + "X-Mxshift-Lab-Endpoint: " + endpoint + "\n"
                + "Message-ID: <" + messageId + ">\n"
                + "\n"
                + "body\n");
    }
}
