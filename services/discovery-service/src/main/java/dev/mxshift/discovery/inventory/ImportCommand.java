package dev.mxshift.discovery.inventory;

import dev.mxshift.model.event.Actor;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.workflow.EventFactory;
import dev.mxshift.service.EventWriter;
import dev.mxshift.service.KafkaClients;
import dev.mxshift.service.KafkaConnectionOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Imports inventories into the event log: every accepted row becomes a "migration requested" event on
 * {@code migration.events}, keyed by its domain; every rejected row is listed as FILE:LINE: FIELD: REASON and
 * nothing of it is written. Exit 0 when every row was imported, 1 when a row or file was rejected, 2 for bad
 * arguments, 3 when the broker did not take an event (the import stops; run it again: repeats are recognised).
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import tenant inventories (CSV, JSON, JSON Lines) into mxshift's event log: one 'migration requested' event per accepted domain.",
        footer = {"", "Check files first with inventory-check; a re-import of a domain writes the same event again (same id), which the",
                "services recognise as a repeat.", "",
                "The CSV that mxshift's Enable-DnssecForVerifiedDomain script exports (tenant,domain,dnssec_mx_value,error) is",
                "imported too: each value becomes a 'target assigned' event for that domain, which must already be imported and",
                "have no plan yet; rows with an error are listed.", "",
                "With --hold, every imported domain waits, untouched, until an operator starts it: ./mxshift start --wave W,",
                "--tenant T, a query or domain names. A re-import does not change whether a domain is held (the first request",
                "stands).", "",
                "Examples:", "  import tenants.csv --bootstrap 127.0.0.1:9092", "  import tenants.csv --hold --json",
                "  import dnssec-enablement-tenant-contoso.csv"})
public final class ImportCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE")
    List<Path> files;

    @Mixin
    KafkaConnectionOptions kafka;

    @Option(names = "--topic", paramLabel = "NAME", description = "the event log topic (default: the catalogue's migration.events)")
    String topic;

    @Option(names = "--requested-by", paramLabel = "WHO", defaultValue = "${env:USER:-operator}", description = "who asked, recorded in every event (default: $USER)")
    String requestedBy;

    @Option(names = "--json", description = "print one JSON object at the end: imported, rejected, every problem, and what stopped the import")
    boolean json;

    @Option(names = "--hold", description = "import on hold: nothing happens to these domains until `start` (by wave, tenant, query or name)")
    boolean hold;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ImportCommand()).execute(args));
    }

    /**
     * What an import did. {@code outOfScope} lists why a tenant-scoped import was refused whole (FILE:LINE: FIELD:
     * REASON); when it is not empty, nothing was written.
     */
    public record Result(long imported, long rejected, boolean fileRejected, String brokerFailure, List<String> outOfScope) {
        public Result {
            outOfScope = List.copyOf(outOfScope);
        }

        public boolean refused() {
            return !outOfScope.isEmpty();
        }

        public int exitCode() {
            return brokerFailure != null ? 3 : rejected > 0 || fileRejected || refused() ? 1 : 0;
        }
    }

    @Override
    public Integer call() {
        List<String> problems = new java.util.ArrayList<>();
        Result result = importFiles(files, kafka.settings(),
                topic == null ? TopicCatalogue.defaults().events().name() : topic, requestedBy, ImportScope.hoster(cliActor()), hold,
                problem -> {
                    if (json) {
                        problems.add(problem);
                    } else {
                        System.err.println(problem);
                    }
                });
        if (json) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            out.put("imported", result.imported());
            out.put("onHold", hold);
            out.put("rejected", result.rejected());
            out.put("fileRejected", result.fileRejected());
            out.put("problems", problems);
            out.put("stopped", result.brokerFailure());
            System.out.println(tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(out));
        }
        System.err.printf("import: %,d domains imported%s, %,d rows rejected%s%n", result.imported(), hold ? " on hold" : "", result.rejected(),
                result.brokerFailure() == null ? "" : "; stopped: " + result.brokerFailure());
        return result.exitCode();
    }

    /**
     * The command line's actor: the operating-system user that runs it (not {@code --requested-by}, which is free text
     * recorded in the request and may name someone else).
     */
    public static Actor cliActor() {
        return Actor.cli(System.getProperty("user.name", "unknown"));
    }

    /** Microsoft's targets from the enablement script's CSV: each becomes the domain's next event, after its current state. */
    private static long importTargets(Path file, TargetExportReader exports, EventWriter writer, dev.mxshift.service.KafkaClientSettings kafka,
                                      String topic, Actor actor, AtomicLong imported, AtomicReference<String> failure,
                                      java.util.function.Consumer<String> problems) {
        List<TargetExportReader.TargetAssignment> assignments = new java.util.ArrayList<>();
        long[] rejected = new long[1];
        exports.read(file, assignments::add, problem -> {
            rejected[0]++;
            problems.accept(problem.toString());
        });
        if (assignments.isEmpty()) {
            return rejected[0];
        }
        java.util.Set<dev.mxshift.model.dns.DomainName> domains = new java.util.HashSet<>();
        assignments.forEach(a -> domains.add(a.domain()));
        EventFactory events = new EventFactory(java.time.Clock.systemUTC());
        java.util.Map<dev.mxshift.model.dns.DomainName, dev.mxshift.model.workflow.MigrationState> states =
                dev.mxshift.service.EventLogScan.statesOf(kafka, topic, domains, java.time.Duration.ofMinutes(5));
        for (TargetExportReader.TargetAssignment assignment : assignments) {
            InventoryProblem problem = null;
            dev.mxshift.model.workflow.MigrationState state = states.get(assignment.domain());
            if (state == null) {
                problem = new InventoryProblem(assignment.file(), assignment.line(), "domain", assignment.domain()
                        + " is not in the event log yet; import its inventory row first");
            } else if (!assignment.tenant().equals(state.tenant())) {
                problem = new InventoryProblem(assignment.file(), assignment.line(), "tenant", assignment.domain()
                        + " belongs to " + state.tenant() + " in the event log, not " + assignment.tenant());
            } else {
                try {
                    EventEnvelope event = events.next(state,
                            new dev.mxshift.model.event.TargetAssigned(assignment.target(), file.getFileName() + " line " + assignment.line()),
                            state.lastEventId()).causedBy(actor);
                    writer.append(event, acknowledged(imported, failure));
                } catch (dev.mxshift.model.workflow.IllegalTransitionException e) {
                    problem = new InventoryProblem(assignment.file(), assignment.line(), "domain", e.getMessage());
                }
            }
            if (problem != null) {
                rejected[0]++;
                problems.accept(problem.toString());
            }
        }
        return rejected[0];
    }

    /** Counts an event once the broker has it; the first failure stops the import and is reported. */
    private static java.util.function.Consumer<Exception> acknowledged(AtomicLong imported, AtomicReference<String> failure) {
        return e -> {
            if (e == null) {
                imported.incrementAndGet();
            } else {
                failure.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        };
    }

    public static Result importFiles(List<Path> files, String bootstrap, String topic, String requestedBy) {
        return importFiles(files, dev.mxshift.service.KafkaClientSettings.plaintext(bootstrap), topic, requestedBy);
    }

    public static Result importFiles(List<Path> files, dev.mxshift.service.KafkaClientSettings kafka, String topic, String requestedBy) {
        return importFiles(files, kafka, topic, requestedBy, false);
    }

    /** As above; with {@code hold}, every imported domain waits until an operator starts it. */
    public static Result importFiles(List<Path> files, dev.mxshift.service.KafkaClientSettings kafka, String topic, String requestedBy,
                                     boolean hold) {
        return importFiles(files, kafka, topic, requestedBy, hold, System.err::println);
    }

    /** As above; every rejected row (FILE:LINE: FIELD: REASON) goes to {@code problems}. */
    public static Result importFiles(List<Path> files, dev.mxshift.service.KafkaClientSettings kafka, String topic, String requestedBy,
                                     boolean hold, java.util.function.Consumer<String> problems) {
        return importFiles(files, kafka, topic, requestedBy, ImportScope.hoster(cliActor()), hold, problems);
    }

    /**
     * As above, for a caller of the given scope: a tenant-scoped import whose files hold anything outside the tenant's
     * scope ({@link ImportScope#outOfScope}) is refused whole before anything is written. Every event names
     * {@code scope}'s actor.
     */
    public static Result importFiles(List<Path> files, dev.mxshift.service.KafkaClientSettings kafka, String topic, String requestedBy,
                                     ImportScope scope, boolean hold, java.util.function.Consumer<String> problems) {
        if (!scope.allTenants()) {
            List<String> outOfScope = outOfScope(files, kafka, topic, scope);
            if (!outOfScope.isEmpty()) {
                return new Result(0, 0, false, null, outOfScope);
            }
        }
        try {
            // a fresh broker has no topics yet, and the producer would wait a minute for one before failing
            dev.mxshift.service.TopicProvisioner.ensureForCommand(kafka, List.of(TopicCatalogue.defaults().events().named(topic)),
                    dev.mxshift.service.TopicProvisioner.COMMAND_PATIENCE);
        } catch (IllegalStateException e) {
            return new Result(0, 0, false, e.getMessage(), List.of());
        }
        AtomicLong imported = new AtomicLong();
        AtomicReference<String> failure = new AtomicReference<>();
        long rejected = 0;
        boolean fileRejected = false;
        try (EventWriter writer = new EventWriter(new KafkaClients(kafka), topic)) {
            InventoryReader reader = new InventoryReader();
            TargetExportReader exports = new TargetExportReader();
            for (Path file : files) {
                if (isExport(file, exports)) {
                    rejected += importTargets(file, exports, writer, kafka, topic, scope.actor(), imported, failure, problems);
                    continue;
                }
                String source = "inventory " + file.getFileName() + " (" + requestedBy + ")";
                InventoryReader.Summary summary = reader.read(file, new InventoryReader.Sink() {
                    @Override
                    public void accepted(InventoryRow row) {
                        if (failure.get() != null) {
                            return;
                        }
                        EventEnvelope event = MigrationRequests.of(row, source, hold, Instant.now()).causedBy(scope.actor());
                        writer.append(event, acknowledged(imported, failure));
                    }

                    @Override
                    public void rejected(InventoryProblem problem) {
                        problems.accept(problem.toString());
                    }
                });
                rejected += summary.rejected();
                fileRejected |= summary.fileRejected();
            }
            writer.flush();
        }
        return new Result(imported.get(), rejected, fileRejected, failure.get(), List.of());
    }

    /** A tenant-scoped import's files read once before anything is written: what lies outside the tenant's scope. */
    private static List<String> outOfScope(List<Path> files, dev.mxshift.service.KafkaClientSettings kafka, String topic, ImportScope scope) {
        TargetExportReader exports = new TargetExportReader();
        List<String> inventories = new java.util.ArrayList<>();
        List<TargetExportReader.TargetAssignment> assignments = new java.util.ArrayList<>();
        List<String> rejected = new java.util.ArrayList<>();
        for (Path file : files) {
            if (isExport(file, exports)) {
                // A tenant's request is all in scope or refused whole: a row the reader cannot take may name anyone.
                exports.read(file, assignments::add, problem -> rejected.add(problem.toString()));
            } else {
                inventories.add(file.toString());
            }
        }
        java.util.Set<dev.mxshift.model.dns.DomainName> domains = new java.util.HashSet<>();
        assignments.forEach(a -> domains.add(a.domain()));
        java.util.Map<dev.mxshift.model.dns.DomainName, dev.mxshift.model.workflow.MigrationState> states = domains.isEmpty() ? Map.of()
                : dev.mxshift.service.EventLogScan.statesOf(kafka, topic, domains, java.time.Duration.ofMinutes(5));
        List<String> problems = new java.util.ArrayList<>(rejected);
        problems.addAll(scope.outOfScope(inventories, assignments, states));
        return problems;
    }

    private static boolean isExport(Path file, TargetExportReader exports) {
        return file.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv") && exports.isExport(file);
    }
}
