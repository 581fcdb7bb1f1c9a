package dev.mxshift.lab.mailflow;

import tools.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * Hands one message at a time to the lab's mail sender over plain SMTP (RFC 5321: EHLO, MAIL, RCPT, DATA), each with a
 * Message-ID of its own, which is how the {@link MailFlowRecorder} follows it to the endpoint that took it.
 */
public final class MailSubmitter {

    private final String address;
    private final int port;
    private final String senderDomain;
    private final Clock clock;

    public MailSubmitter(String address, int port, String senderDomain, Clock clock) {
        this.address = address;
        this.port = port;
        this.senderDomain = senderDomain;
        this.clock = clock;
    }

    /** The sender named in endpoints.json's {@code mailFlow} section. */
    public static MailSubmitter fromEndpoints(JsonNode endpoints) {
        JsonNode flow = endpoints.path("mailFlow");
        if (flow.isMissingNode()) {
            throw new IllegalArgumentException("endpoints.json has no mailFlow section: a lab from before the mail sender; run lab up again");
        }
        return new MailSubmitter(flow.path("submission").path("address").asString(), flow.path("submission").path("port").asInt(),
                flow.path("senderDomain").asString(), Clock.systemUTC());
    }

    /** Submits a message to {@code recipient}; returns its Message-ID (without angle brackets) once the sender queued it. */
    public MailFlowRecorder.Submitted send(String recipient) throws IOException {
        String messageId = "mailflow." + UUID.randomUUID() + "@" + senderDomain;
        ZonedDateTime now = ZonedDateTime.now(clock);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 5_000);
            socket.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            expect(in, 220, "greeting");
            command(in, out, "EHLO mailflow." + senderDomain, 250);
            command(in, out, "MAIL FROM:<mailflow@" + senderDomain + ">", 250);
            command(in, out, "RCPT TO:<" + recipient + ">", 250);
            command(in, out, "DATA", 354);
            String body = "From: <mailflow@" + senderDomain + ">\r\n"
                    + "To: <" + recipient + ">\r\n"
                    + "Subject: mxshift mail-flow probe\r\n"
                    + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(now) + "\r\n"
                    + "Message-ID: <" + messageId + ">\r\n"
                    + "\r\n"
                    + "One message of the mail-flow proof, sent at " + now.toInstant() + ".\r\n"
                    + ".\r\n";
            out.write(body.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            expect(in, 250, "end of data");
            command(in, out, "QUIT", 221);
        }
        return new MailFlowRecorder.Submitted(messageId, recipient, now.toInstant());
    }

    private static void command(BufferedReader in, OutputStream out, String line, int expected) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        expect(in, expected, line);
    }

    /** Reads a reply, multi-line ones too ("250-..." up to "250 ..."), and fails unless it has the expected code. */
    private static void expect(BufferedReader in, int expected, String after) throws IOException {
        StringBuilder reply = new StringBuilder();
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("the mail sender closed the connection after " + after + (reply.isEmpty() ? "" : ": " + reply));
            }
            reply.append(line).append(' ');
        } while (line.length() > 3 && line.charAt(3) == '-');
        if (!line.startsWith(Integer.toString(expected))) {
            throw new IOException("the mail sender answered " + reply.toString().strip() + " to " + after + " (expected " + expected + ")");
        }
    }
}
