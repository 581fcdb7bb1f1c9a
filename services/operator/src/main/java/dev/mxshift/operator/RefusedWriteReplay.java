package dev.mxshift.operator;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.workflow.EventFactory;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.WorkflowStatus;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The demo's replay after a refused write (issue 30): before the import, the zone of a mailable domain hosted at the
 * lab's BIND is frozen ({@code rndc freeze}, as the zone's DNS team would), so the push service's first write is refused
 * and the domain stops FAILED while its mail goes on to the legacy host; once a message sent while it was stopped has
 * been delivered, the zone is thawed and the domain replayed from its failing step, as an operator would
 * ({@link OperatorAction#REPLAY}). The watcher drives it ({@link #step}); the mail-flow report shows it.
 */
final class RefusedWriteReplay implements AutoCloseable {

    /**
     * REPLAYED: the replay appended, not yet seen in the domain's state; DONE: seen; REFUSED_AGAIN: the replay was refused,
     * or the replayed write was refused again, which only a person can settle (decision 0040): the watch does not wait for it.
     */
    private enum Phase { FROZEN, STOPPED, REPLAYED, DONE, REFUSED_AGAIN, NOT_SHOWN }

    private final String rndcConf;
    private final Duration patience;
    private final PrintWriter err;
    private final Map<String, Phase> phases = new LinkedHashMap<>();
    private final Map<String, MailFlowVerdict.Replay> replays = new LinkedHashMap<>();
    private final Map<String, Long> replaySequence = new LinkedHashMap<>();
    /** The zones frozen now: a watch stopped with Ctrl-C thaws them on its way out ({@link #unfreezeOnExit}). */
    private final java.util.Set<String> frozen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** When each stopped domain's mail log was last read: one domain's look does not put off another's. */
    private final Map<String, Instant> lastLook = new LinkedHashMap<>();
    private final Thread unfreezeOnExit = new Thread(this::thawAll, "thaw-frozen-zones");

    private RefusedWriteReplay(String rndcConf, List<String> domains, Duration patience, PrintWriter err) {
        this.rndcConf = rndcConf;
        this.patience = patience;
        this.err = err;
        domains.forEach(d -> phases.put(d, Phase.FROZEN));
    }

    /**
     * The first {@code count} by name of the {@code mailable} domains whose zone is a primary zone of the lab's BIND (the
     * one server whose zones a test or the demo can freeze); none when the lab has no BIND. {@code patience}: how long a
     * stopped domain waits for a message delivered meanwhile before it is replayed all the same.
     */
    static RefusedWriteReplay forLab(JsonNode endpoints, List<String> mailable, int count, Duration patience, PrintWriter err) {
        for (JsonNode server : endpoints.path("authoritative")) {
            if (server.path("name").asString().equals("bind") && server.has("rndcConf")) {
                List<String> zones = new ArrayList<>();
                server.path("zones").forEach(z -> zones.add(z.asString()));
                List<String> chosen = mailable.stream().filter(zones::contains).sorted().limit(Math.max(0, count)).toList();
                return new RefusedWriteReplay(server.path("rndcConf").asString(), chosen, patience, err);
            }
        }
        return new RefusedWriteReplay("", List.of(), patience, err);
    }

    List<String> domains() {
        return List.copyOf(phases.keySet());
    }

    /** Freezes every chosen zone; a zone BIND does not freeze is left out, with why. */
    void freeze() throws InterruptedException {
        if (!phases.isEmpty()) {
            Runtime.getRuntime().addShutdownHook(unfreezeOnExit);
        }
        for (String domain : List.copyOf(phases.keySet())) {
            try {
                rndc("freeze", domain);
                frozen.add(domain);
                err.printf("mail flow: froze %s at the lab's BIND (rndc freeze): the push service's write will be refused; the watcher"
                        + " thaws and replays it once its mail has been seen at the legacy host meanwhile%n", domain);
            } catch (IOException e) {
                err.printf("mail flow: could not freeze %s (%s): no replay after a refused write shown%n", domain, e.getMessage());
                phases.remove(domain);
            }
        }
    }

    /**
     * One look of the watcher: notes a frozen domain that has stopped, and gives the replay of a stopped one whose mail
     * reached the legacy host meanwhile (or that waited {@code patience}) after thawing its zone. {@code deliveredSince}
     * tells whether a message to the domain sent after the instant was delivered. Returns the events to append.
     */
    List<EventEnvelope> step(Map<DomainName, MigrationState> states, Instant now, DeliveredSince deliveredSince, EventFactory events)
            throws InterruptedException {
        List<EventEnvelope> append = new ArrayList<>();
        for (Map.Entry<String, Phase> e : phases.entrySet()) {
            String domain = e.getKey();
            MigrationState s = states.get(DomainName.of(domain));
            if (s == null) {
                continue;
            }
            if (e.getValue() == Phase.REPLAYED && s.sequence() >= replaySequence.get(domain)) {
                e.setValue(Phase.DONE);
            } else if (e.getValue() == Phase.DONE && s.status() == WorkflowStatus.FAILED) {
                e.setValue(Phase.REFUSED_AGAIN);
                err.printf("         %s: its replayed write was refused again (%s): it stays FAILED, needs a person%n", domain,
                        OperatorAction.describe(s));
            } else if (e.getValue() == Phase.FROZEN && s.status() == WorkflowStatus.FAILED) {
                e.setValue(Phase.STOPPED);
                replays.put(domain, new MailFlowVerdict.Replay(domain, s.failure() == null ? "" : s.failure().reason(), now, null));
                err.printf("         %s stopped: %s; its mail goes on to the legacy host meanwhile%n", domain, OperatorAction.describe(s));
            } else if (e.getValue() == Phase.FROZEN && WatchCommand.settled(s)) {
                thaw(domain);
                e.setValue(Phase.NOT_SHOWN);
                replays.put(domain, new MailFlowVerdict.Replay(domain, "it ended " + s.status() + " without a write refused", null, null));
            } else if (e.getValue() == Phase.STOPPED) {
                MailFlowVerdict.Replay stopped = replays.get(domain);
                // reading the logs is the costly part of a look at a thousand domains' mail: at most every 5 s
                if (now.isBefore(lastLook.getOrDefault(domain, Instant.EPOCH).plusSeconds(5)) && now.isBefore(stopped.stoppedAt().plus(patience))) {
                    continue;
                }
                lastLook.put(domain, now);
                boolean seen = deliveredSince.test(domain, stopped.stoppedAt());
                if (!seen && now.isBefore(stopped.stoppedAt().plus(patience))) {
                    continue;
                }
                thaw(domain);
                OperatorAction.Decision replay = OperatorAction.REPLAY.decide(s, "demo", null, events);
                if (replay instanceof OperatorAction.Append a) {
                    append.add(a.event().causedBy(dev.mxshift.discovery.inventory.ImportCommand.cliActor()));
                    replaySequence.put(domain, a.event().sequence());
                    replays.put(domain, new MailFlowVerdict.Replay(domain, stopped.reason(), stopped.stoppedAt(), now));
                    e.setValue(Phase.REPLAYED);
                    err.printf("         thawed %s and replaying it (%s)%n", domain,
                            seen ? "its mail reached the legacy host while it was stopped" : "no message delivered while it was stopped, after " + patience.toSeconds() + " s");
                } else if (replay instanceof OperatorAction.Refused r) {
                    e.setValue(Phase.REFUSED_AGAIN);
                    replays.put(domain, new MailFlowVerdict.Replay(domain, stopped.reason() + "; its replay was refused: " + r.why(),
                            stopped.stoppedAt(), null));
                    err.printf("         thawed %s, but its replay was refused (%s): it stays %s, needs a person%n", domain, r.why(),
                            OperatorAction.describe(s));
                }
            }
        }
        return append;
    }

    /**
     * Whether a chosen domain is still frozen, stopped, or its replay not yet in its state: the run has not settled. A
     * domain whose replay was refused, or whose replayed write was refused again, is settled: only a person moves it on.
     */
    boolean pending() {
        return phases.values().stream().anyMatch(p -> p == Phase.FROZEN || p == Phase.STOPPED || p == Phase.REPLAYED);
    }

    /** What happened to each chosen domain, for the report. */
    List<MailFlowVerdict.Replay> replays() {
        List<MailFlowVerdict.Replay> all = new ArrayList<>();
        phases.forEach((d, p) -> all.add(replays.getOrDefault(d, new MailFlowVerdict.Replay(d, "the run ended before its write", null, null))));
        return all;
    }

    /** Thaws every zone still frozen: the lab is left as it was, whatever happened to the run. */
    @Override
    public void close() throws InterruptedException {
        for (Map.Entry<String, Phase> e : phases.entrySet()) {
            if (e.getValue() == Phase.FROZEN || e.getValue() == Phase.STOPPED) {
                thaw(e.getKey());
                e.setValue(Phase.NOT_SHOWN);
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(unfreezeOnExit);
        } catch (IllegalStateException | IllegalArgumentException shuttingDownOrNeverAdded) {
            // the hook runs, or was never added: nothing to undo
        }
    }

    private void thawAll() {
        for (String domain : List.copyOf(frozen)) {
            try {
                thaw(domain);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void thaw(String domain) throws InterruptedException {
        try {
            rndc("thaw", domain);
            frozen.remove(domain);
        } catch (IOException e) {
            err.printf("mail flow: could not thaw %s (%s): rndc -c %s thaw %s does it by hand%n", domain, e.getMessage(), rndcConf, domain);
        }
    }

    /** BIND's control channel, as the zone's DNS team would use it. */
    private void rndc(String command, String zone) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("rndc", "-c", rndcConf, command, zone).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("rndc " + command + " " + zone + " did not answer within 30 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException("rndc " + command + " " + zone + " exited " + p.exitValue() + (out.isEmpty() ? "" : ": " + out));
        }
    }

    /** Whether a message to the domain sent after the instant has been delivered. */
    @FunctionalInterface
    interface DeliveredSince {
        boolean test(String domain, Instant since);
    }
}
