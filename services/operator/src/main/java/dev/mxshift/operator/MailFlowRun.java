package dev.mxshift.operator;

import dev.mxshift.lab.mailflow.MailFlowRecorder;
import dev.mxshift.lab.mailflow.MailFlowReport;
import dev.mxshift.lab.mailflow.MailSubmitter;
import dev.mxshift.lab.mailflow.MailableDomains;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.WorkflowStatus;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The demo's mail flow (issue 30): the lab's DANE-validating sender mails every mailable domain of the inventory, one
 * message each, round after round, from before the import until every domain has settled and one round more has seen
 * the end state; then waits until the sender has nothing queued (its queue lifetime bounds that) and reads both sides'
 * logs into a {@link MailFlowVerdict}. The watcher tells it what it sees of each domain ({@link #observe}).
 */
final class MailFlowRun implements AutoCloseable {

    /** How many submissions go to the sender at once, within a round. */
    private static final int SUBMITTERS = 4;

    private final MailSubmitter submitter;
    private final MailFlowRecorder recorder;
    private final List<String> mailable;
    private final Map<String, String> notMailable;
    private final long intervalSeconds;
    private final Duration queueLifetime;
    private final PrintWriter err;
    private final List<MailFlowRecorder.Submitted> sent = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private final Map<String, MailFlowVerdict.Timeline> timelines = new HashMap<>();
    private final ScheduledExecutorService rounds = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService submitters = Executors.newFixedThreadPool(SUBMITTERS);
    private final RefusedWriteReplay replay;
    private ScheduledFuture<?> periodic;
    private Instant lastRollbackLook = Instant.EPOCH;

    /**
     * Asks the sender's resolver which of {@code domains} can take mail at all. {@code intervalSeconds} 0: one message per
     * domain and second at most across a round of ten (at least 5 s), what this 2-core machine carries beside the migration.
     * {@code replays}: how many domains at the lab's BIND get their first write refused and are replayed
     * ({@link RefusedWriteReplay}).
     */
    MailFlowRun(Path endpointsFile, List<String> domains, long intervalSeconds, int replays, PrintWriter err) throws IOException {
        JsonNode endpoints = Json.MAPPER.readTree(Files.readString(endpointsFile));
        this.submitter = MailSubmitter.fromEndpoints(endpoints);
        this.recorder = MailFlowRecorder.fromEndpoints(endpoints);
        this.queueLifetime = Duration.ofSeconds(endpoints.path("mailFlow").path("queueLifetimeSeconds").asLong(90));
        this.err = err;
        this.mailable = new ArrayList<>();
        this.notMailable = new LinkedHashMap<>();
        for (MailableDomains.Verdict v : MailableDomains.fromEndpoints(endpoints).check(domains)) {
            if (v.mailable()) {
                mailable.add(v.domain());
            } else {
                notMailable.put(v.domain(), v.reason());
            }
        }
        this.intervalSeconds = intervalSeconds > 0 ? intervalSeconds : Math.max(5, (mailable.size() + 9) / 10);
        // a stopped domain waits for a round or two to show its mail still going to the legacy host, not longer
        this.replay = RefusedWriteReplay.forLab(endpoints, mailable, replays, Duration.ofSeconds(2 * this.intervalSeconds + 30), err);
    }

    /**
     * Starts the rounds: the first at once, so that the first message of every domain is sent before its import; and
     * freezes the zones whose write is to be refused, so that it is refused at the first write.
     */
    MailFlowRun start() throws InterruptedException {
        err.printf("mail flow: mailing %,d domains every %d s through the lab's DANE-validating sender; %,d not mailable by design%n",
                mailable.size(), intervalSeconds, notMailable.size());
        replay.freeze();
        round();
        periodic = rounds.scheduleWithFixedDelay(() -> {
            try {
                round();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
        return this;
    }

    private void round() throws InterruptedException {
        List<Future<?>> all = new ArrayList<>();
        for (String domain : mailable) {
            all.add(submitters.submit(() -> {
                try {
                    sent.add(submitter.send("postmaster@" + domain));
                } catch (IOException e) {
                    refused.add(domain + ": " + e.getMessage());
                }
            }));
        }
        for (Future<?> f : all) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                refused.add(e.getCause().toString());
            }
        }
    }

    /** What the watcher sees now: when each domain was first seen moving, and first seen settled after that. */
    void observe(Map<DomainName, MigrationState> states, Instant now) {
        states.forEach((d, s) -> {
            MailFlowVerdict.Timeline t = timelines.get(d.value());
            boolean moving = s.status() == WorkflowStatus.MIGRATING || s.status() == WorkflowStatus.ROLLING_BACK;
            if (moving) {
                timelines.put(d.value(), new MailFlowVerdict.Timeline(t == null ? now : t.movingSince(), null));
            } else if (t != null && t.settledAt() == null && WatchCommand.settled(s)) {
                timelines.put(d.value(), new MailFlowVerdict.Timeline(t.movingSince(), now));
            } else if (t == null && s.status().terminal()) {
                // moved (or found moved) between two looks: its move lies within the last interval
                timelines.put(d.value(), new MailFlowVerdict.Timeline(now, now));
            }
        });
    }

    /**
     * A domain to roll back: completed in a signed zone, mailed, and its mail already at the new host (so that the
     * report can show it going back). Looks at the logs at most every 10 s.
     */
    Optional<MigrationState> rollbackCandidate(Map<DomainName, MigrationState> states) {
        if (Duration.between(lastRollbackLook, Instant.now()).toSeconds() < 10) {
            return Optional.empty();
        }
        lastRollbackLook = Instant.now();
        List<MigrationState> completed = states.values().stream().filter(s -> s.status() == WorkflowStatus.COMPLETED
                && !StatusCommand.notDaneProtected(s) && mailable.contains(s.domain().value())).sorted(Comparator.comparing(s -> s.domain().value())).toList();
        if (completed.isEmpty()) {
            return Optional.empty();
        }
        Map<String, MailFlowReport.DomainFlow> flows = recorder.report(sent).domains();
        return completed.stream().filter(s -> !replay.domains().contains(s.domain().value()) && flows.containsKey(s.domain().value()) && flows.get(s.domain().value()).endpoints().size() >= 2
                && MailFlowVerdict.role(flows.get(s.domain().value()).lastEndpoint()).equals("target")).findFirst();
    }

    /** Whether any mailed domain could still be rolled back once its mail reached the new host (not the replayed ones: a story each). */
    boolean anyRollbackPossible(Map<DomainName, MigrationState> states) {
        return states.values().stream().anyMatch(s -> s.status() == WorkflowStatus.COMPLETED && !StatusCommand.notDaneProtected(s)
                && mailable.contains(s.domain().value()) && !replay.domains().contains(s.domain().value()));
    }

    /** The replay after a refused write, which the watcher drives. */
    RefusedWriteReplay replay() {
        return replay;
    }

    /** Whether a message to {@code domain} sent after {@code since} has been delivered. */
    boolean deliveredSince(String domain, Instant since) {
        return recorder.report(sent).outcomes().stream().anyMatch(o -> o.message().domain().equals(domain) && !o.message().at().isBefore(since)
                && !o.deliveries().isEmpty());
    }

    long intervalSeconds() {
        return intervalSeconds;
    }

    /**
     * Every domain has settled at {@code settled}: stops the rounds, sends a last one once the sender's resolver cache has
     * turned over (it keeps no answer longer than a few seconds), so that each domain's last message shows its end state,
     * then waits until nothing is queued (the queue lifetime bounds that).
     */
    MailFlowVerdict finish(Instant settled, Map<DomainName, MigrationState> states) throws InterruptedException {
        if (periodic != null) {
            periodic.cancel(false);
        }
        // the same single thread: a round in flight ends first
        long delay = Math.max(0, Duration.between(Instant.now(), settled.plusSeconds(5)).toMillis());
        try {
            rounds.schedule(() -> {
                round();
                return null;
            }, delay, TimeUnit.MILLISECONDS).get(2 * intervalSeconds + 120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            err.println("mail flow: the last round did not end: " + e);
        }
        close();
        err.printf("mail flow: %,d messages sent; waiting until the sender has delivered or given up on every one (at most %d s)%n",
                sent.size(), queueLifetime.toSeconds() + 60);
        MailFlowReport report = ConditionWait.until(() -> recorder.report(sent), r -> r.pending() == 0, Duration.ofSeconds(3),
                queueLifetime.plusSeconds(60));
        return MailFlowVerdict.decide(report, states, Map.copyOf(timelines), notMailable, List.copyOf(refused), replay.replays(), intervalSeconds);
    }

    @Override
    public void close() throws InterruptedException {
        rounds.shutdown();
        if (!rounds.awaitTermination(10 * 60, TimeUnit.SECONDS)) {
            rounds.shutdownNow();
        }
        submitters.shutdownNow();
        replay.close();
    }
}
