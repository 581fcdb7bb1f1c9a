package dev.mxshift.lab.mailflow;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads what the lab's mail servers wrote and joins it by Message-ID: the sender's maillog (which queue id carries
 * which message, every delivery attempt with its relay, status and reason, and the TLS each connection went over as
 * Postfix logs it at {@code smtp_tls_loglevel = 1}) and the endpoints' maildir (every message they stored, with the
 * endpoint that took it and the TLS of its Received header). {@link #report} turns that into a {@link MailFlowReport}.
 */
public final class MailFlowRecorder {

    /** A message handed to the sender. */
    public record Submitted(String messageId, String recipient, Instant at) {

        public String domain() {
            return recipient.substring(recipient.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One delivery attempt as the sender logged it. {@code tls} is Postfix's word for the connection's TLS
     * (Verified: DANE or PKIX authenticated; Trusted; Untrusted; Anonymous), or empty when none was logged.
     */
    public record Attempt(String status, String relay, String relayAddress, String tls, String reason) {
    }

    /** One copy of a message an endpoint stored: the endpoint ("address:port role") and its Received header's TLS. */
    public record Delivery(String endpoint, String tls) {

        public String address() {
            return endpoint.substring(0, endpoint.indexOf(':'));
        }
    }

    private static final Pattern LOG_LINE = Pattern.compile("postfix/([\\w/.-]+)\\[(\\d+)\\]: (.*)$");
    private static final Pattern MESSAGE_ID = Pattern.compile("^([0-9A-F]+): message-id=<([^>]*)>");
    private static final Pattern TLS = Pattern.compile("^(Verified|Trusted|Untrusted|Anonymous) TLS connection established to ([^\\[]+)\\[([^\\]]+)\\]:\\d+");
    private static final Pattern STATUS = Pattern.compile(
            "^([0-9A-F]+): to=<([^>]*)>, relay=([^,\\[]+)(?:\\[([^\\]]+)\\](?::\\d+)?)?, .*status=(sent|deferred|bounced|expired) \\((.*)\\)$");
    /** qmgr's line for a message whose queue lifetime ran out: its recipients are bounced without a line of their own. */
    private static final Pattern EXPIRED = Pattern.compile("^([0-9A-F]+): from=<[^>]*>, status=expired, (.*)$");
    private static final Pattern RECEIVED_TLS = Pattern.compile("\\(using ([^)]*?with cipher [^ ]+)");

    private final Path senderMaillog;
    private final Path endpointsMaildir;

    public MailFlowRecorder(Path senderMaillog, Path endpointsMaildir) {
        this.senderMaillog = senderMaillog;
        this.endpointsMaildir = endpointsMaildir;
    }

    /** The sender's log and the endpoints' maildir named in endpoints.json's {@code mailFlow} section. */
    public static MailFlowRecorder fromEndpoints(JsonNode endpoints) {
        JsonNode flow = endpoints.path("mailFlow");
        if (flow.isMissingNode()) {
            throw new IllegalArgumentException("endpoints.json has no mailFlow section: a lab from before the mail sender; run lab up again");
        }
        return new MailFlowRecorder(Path.of(flow.path("senderMaillog").asString()), Path.of(flow.path("endpointsMaildir").asString()));
    }

    /** What became of each submitted message, as the logs say now. */
    public MailFlowReport report(List<Submitted> submitted) {
        return new MailFlowReport(submitted, attempts(), deliveries());
    }

    /** Every delivery attempt the sender logged, per Message-ID, in log order. */
    Map<String, List<Attempt>> attempts() {
        Map<String, String> messageOfQueueId = new HashMap<>();
        Map<String, String[]> tlsOfProcess = new HashMap<>();
        Map<String, List<Attempt>> attempts = new HashMap<>();
        for (String line : lines(senderMaillog)) {
            Matcher log = LOG_LINE.matcher(line);
            if (!log.find()) {
                continue;
            }
            String program = log.group(1);
            String pid = log.group(2);
            String text = log.group(3);
            Matcher m;
            if ((m = MESSAGE_ID.matcher(text)).find()) {
                messageOfQueueId.put(m.group(1), m.group(2));
            } else if ((m = TLS.matcher(text)).find()) {
                tlsOfProcess.put(pid, new String[]{m.group(1), m.group(3)});
            } else if ((m = STATUS.matcher(text)).find()) {
                String messageId = messageOfQueueId.get(m.group(1));
                if (messageId == null) {
                    continue;
                }
                String relayAddress = m.group(4) == null ? "" : m.group(4);
                // The TLS line of the same smtp process, for the same address, is this delivery's connection.
                String[] tls = program.endsWith("smtp") ? tlsOfProcess.remove(pid) : null;
                String level = tls != null && tls[1].equals(relayAddress) ? tls[0] : "";
                attempts.computeIfAbsent(messageId, k -> new ArrayList<>())
                        .add(new Attempt(m.group(5), m.group(3).strip(), relayAddress, level, m.group(6)));
            } else if ((m = EXPIRED.matcher(text)).find() && messageOfQueueId.containsKey(m.group(1))) {
                attempts.computeIfAbsent(messageOfQueueId.get(m.group(1)), k -> new ArrayList<>())
                        .add(new Attempt("expired", "none", "", "", "queue lifetime over, " + m.group(2)));
            }
        }
        return attempts;
    }

    /** Every copy the endpoints stored, per Message-ID. */
    Map<String, List<Delivery>> deliveries() {
        Map<String, List<Delivery>> deliveries = new HashMap<>();
        if (!Files.isDirectory(endpointsMaildir)) {
            return deliveries;
        }
        for (String sub : List.of("new", "cur")) {
            Path dir = endpointsMaildir.resolve(sub);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Map<String, String> headers = headers(file);
                    String id = headers.getOrDefault("message-id", "").replaceAll("^\\s*<|>\\s*$", "");
                    Matcher tls = RECEIVED_TLS.matcher(headers.getOrDefault("received", ""));
                    deliveries.computeIfAbsent(id, k -> new ArrayList<>())
                            .add(new Delivery(headers.getOrDefault("x-mxshift-lab-endpoint", "unknown").strip(), tls.find() ? tls.group(1) : ""));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not read the endpoints' maildir " + dir, e);
            }
        }
        return deliveries;
    }

    /** The header section, unfolded; of a header given twice, the first (for Received: the endpoint's own). */
    private static Map<String, String> headers(Path file) {
        Map<String, String> headers = new HashMap<>();
        String last = null;
        for (String line : lines(file)) {
            if (line.isEmpty()) {
                break;
            }
            if (Character.isWhitespace(line.charAt(0))) {
                if (last != null) {
                    headers.merge(last, " " + line.strip(), String::concat);
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            if (headers.containsKey(name)) {
                last = null;
                continue;
            }
            headers.put(name, line.substring(colon + 1).strip());
            last = name;
        }
        return headers;
    }

    private static List<String> lines(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }
}
