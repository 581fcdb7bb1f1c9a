package dev.mxshift.operator;

import dev.mxshift.operator.system.LabServiceConfig;
import dev.mxshift.operator.system.Service;
import dev.mxshift.operator.system.ServiceFleet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Starts the four services as separate background processes configured for the lab, or stops them. Their logs and
 * pid files are in {@code --run-dir}; they keep running after this command exits.
 */
@Command(name = "services", mixinStandardHelpOptions = true,
        description = "Start the four services as separate processes, configured for the lab; stop them; show which run.",
        footer = {"", "Examples:", "  services start --lab infra/lab/run", "  services start --instances validation-service=4",
                "  services start --bootstrap 127.0.0.1:9192 --replication-factor 3 --min-insync-replicas 2   (a three-broker cluster)", "  services status", "  services stop"})
final class ServicesCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ACTION", description = "start, stop or status")
    String action;

    @Option(names = "--lab", paramLabel = "DIR", defaultValue = "${env:MXSHIFT_LAB_DIR:-infra/lab/run}", description = "the lab's directory (default: ${DEFAULT-VALUE})")
    Path lab;

    @Option(names = "--run-dir", paramLabel = "DIR", defaultValue = "target/services", description = "logs and pid files (default: ${DEFAULT-VALUE})")
    Path runDir;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", defaultValue = "${env:MXSHIFT_KAFKA_BOOTSTRAP:-127.0.0.1:9092}", description = "Kafka (default: ${DEFAULT-VALUE})")
    String bootstrap;

    @Option(names = "--wait-compression", paramLabel = "N", defaultValue = "1000", description = "divide TTL waits by N in the lab (default: ${DEFAULT-VALUE})")
    long waitCompression;

    @Option(names = "--sign-unsigned-zones", description = "start: sign and chain the lab's unsigned zones where their connector can"
            + " (the policy's default; without this option the lab's services block them, as its tests expect)")
    boolean signUnsignedZones;

    @Option(names = "--json", description = "status: print JSON (service, running, pid, port)")
    boolean json;

    @Option(names = "--replication-factor", paramLabel = "N", defaultValue = "${env:MXSHIFT_TOPIC_REPLICATION:-1}",
            description = "start: copies of each topic partition the services create and require (default: $MXSHIFT_TOPIC_REPLICATION or"
                    + " ${DEFAULT-VALUE}; 3 on a production cluster; decision 0043)")
    int replicationFactor;

    @Option(names = "--min-insync-replicas", paramLabel = "N", defaultValue = "${env:MXSHIFT_TOPIC_MIN_ISR:-1}",
            description = "start: min.insync.replicas the services set on their topics and require (default: $MXSHIFT_TOPIC_MIN_ISR or ${DEFAULT-VALUE}; 2 on a production cluster)")
    int minInsyncReplicas;

    @Option(names = "--heap", paramLabel = "SIZE", defaultValue = "384m", description = "heap per service (default: ${DEFAULT-VALUE})")
    String heap;

    @Option(names = "--instances", paramLabel = "SERVICE=N", split = ",",
            description = "start: run N instances of SERVICE in its consumer group (default 1 each; 0 leaves it out), e.g."
                    + " validation-service=4; instance n listens on the service's port + 100 n. Instances beyond the event log's"
                    + " partitions (12 by default) get no partition and stay idle.")
    java.util.Map<String, Integer> instances = new java.util.LinkedHashMap<>();

    /**
     * The JVM's own tiered compilation by default (decision 0045's addendum): at 100,000 domains the services spent
     * about a quarter less CPU with it than on the client compiler alone, whose code is slower once warm. Short runs
     * (the demo: a thousand domains in minutes) start faster on the client compiler and ask for it.
     */
    @Option(names = "--jvm-options", paramLabel = "OPTIONS", defaultValue = "${env:MXSHIFT_SERVICE_JVM_OPTIONS:-}",
            description = "start: JVM options for every service, separated by spaces (default: the environment's"
                    + " MXSHIFT_SERVICE_JVM_OPTIONS, else none: the JVM's tiered compilation, best for long runs;"
                    + " -XX:TieredStopAtLevel=1, the quick client compiler only, starts faster and suits runs of a few"
                    + " thousand domains, as the demo uses)")
    String jvmOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        switch (action) {
            case "start" -> {
                // checked here, so that a bad pair is one sentence, not four services failing to start
                new dev.mxshift.model.topic.TopicReplication(replicationFactor, minInsyncReplicas);
                java.util.Map<Service, java.util.List<String>> arguments = LabServiceConfig.arguments(lab.resolve("endpoints.json"),
                        runDir.resolve("secrets"), bootstrap, LabServiceConfig.Topics.catalogue(), waitCompression, signUnsignedZones);
                arguments.values().forEach(a -> a.addAll(java.util.List.of(
                        "--" + dev.mxshift.service.TopicCheck.REPLICATION_KEY + "=" + replicationFactor,
                        "--" + dev.mxshift.service.TopicCheck.MIN_INSYNC_KEY + "=" + minInsyncReplicas)));
                ServiceFleet fleet = new ServiceFleet(Path.of("").toAbsolutePath(), runDir.toAbsolutePath(), arguments, heap)
                        .jvmOptions(jvmOptionList());
                java.util.Map<Service, Integer> wanted = instanceCounts();
                java.util.List<java.util.Map.Entry<Service, Integer>> toStart = new java.util.ArrayList<>();
                for (Service s : Service.values()) {
                    for (int i = 0; i < wanted.get(s); i++) {
                        if (pid(s, i).isPresent()) {
                            spec.commandLine().getErr().println("services: " + name(s, i) + " already runs (pid " + pid(s, i).get() + ")");
                            continue;
                        }
                        toStart.add(java.util.Map.entry(s, i));
                    }
                }
                spec.commandLine().getErr().println("services: starting " + String.join(", ", toStart.stream().map(e -> name(e.getKey(), e.getValue())).toList()) + " ...");
                fleet.startInstances(toStart, Duration.ofSeconds(180));
                for (var e : toStart) {
                    spec.commandLine().getErr().println("services: " + name(e.getKey(), e.getValue()) + " up on 127.0.0.1:" + e.getKey().port(e.getValue())
                            + " (log " + fleet.log(e.getKey(), e.getValue()) + ")");
                }
                return 0;
            }
            case "stop" -> {
                for (Service s : Service.values()) {
                    for (int i : instancesWithPidFiles(s)) {
                        var pid = pid(s, i);
                        if (pid.isPresent()) {
                            ProcessHandle.of(pid.get()).ifPresent(h -> {
                                h.destroy();
                                try {
                                    h.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
                                } catch (Exception e) {
                                    h.destroyForcibly();
                                }
                            });
                            spec.commandLine().getErr().println("services: stopped " + name(s, i));
                        }
                        Files.deleteIfExists(pidFile(s, i));
                    }
                }
                return 0;
            }
            case "status" -> {
                int down = 0;
                java.util.List<java.util.Map<String, Object>> all = new java.util.ArrayList<>();
                for (Service s : Service.values()) {
                    var pid = pid(s, 0);
                    if (json) {
                        java.util.Map<String, Object> one = new java.util.LinkedHashMap<>();
                        one.put("service", s.module());
                        one.put("running", pid.isPresent());
                        one.put("pid", pid.orElse(null));
                        one.put("port", s.port(0));
                        all.add(one);
                    } else {
                        spec.commandLine().getOut().printf("%-26s %s%n", s.module(), pid.map(p -> "running, pid " + p + ", port " + s.port(0)).orElse("not running"));
                    }
                    for (int i : instancesWithPidFiles(s)) {
                        var other = pid(s, i);
                        if (i > 0 && other.isPresent()) {
                            if (json) {
                                all.add(new java.util.LinkedHashMap<>(java.util.Map.of("service", s.module(), "instance", i, "running", true,
                                        "pid", other.get(), "port", s.port(i))));
                            } else {
                                spec.commandLine().getOut().printf("%-26s running, pid %d, port %d (instance %d)%n", s.module(), other.get(), s.port(i), i);
                            }
                        }
                    }
                    down += pid.isPresent() ? 0 : 1;
                }
                if (json) {
                    spec.commandLine().getOut().println(Json.write(all));
                }
                return down == 0 ? 0 : 3;
            }
            default -> throw new IllegalArgumentException("ACTION must be start, stop or status, not '" + action + "'");
        }
    }

    /** How many instances of each service {@code --instances} asks for; 1 for those it does not name. */
    java.util.Map<Service, Integer> instanceCounts() {
        java.util.Map<Service, Integer> counts = new java.util.EnumMap<>(Service.class);
        for (Service s : Service.values()) {
            counts.put(s, 1);
        }
        instances.forEach((module, n) -> {
            Service service = java.util.Arrays.stream(Service.values()).filter(s -> s.module().equals(module)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--instances: no service '" + module + "'; one of "
                            + String.join(", ", java.util.Arrays.stream(Service.values()).map(Service::module).toList())));
            if (n < 0 || n > 99) {
                throw new IllegalArgumentException("--instances " + module + "=" + n + ": the count must be 0 to 99");
            }
            counts.put(service, n);
        });
        return counts;
    }

    /** {@code --jvm-options} as the JVM's arguments, one per word. */
    java.util.List<String> jvmOptionList() {
        return jvmOptions == null || jvmOptions.isBlank() ? java.util.List.of() : java.util.List.of(jvmOptions.trim().split("\\s+"));
    }

    private static String name(Service s, int instance) {
        return s.module() + "-" + instance;
    }

    private Path pidFile(Service s, int instance) {
        return runDir.resolve(name(s, instance) + ".pid");
    }

    /** The instance numbers of a service that have a pid file in the run directory, 0 always among them. */
    private java.util.SortedSet<Integer> instancesWithPidFiles(Service s) throws IOException {
        java.util.SortedSet<Integer> found = new java.util.TreeSet<>(java.util.Set.of(0));
        if (Files.isDirectory(runDir)) {
            java.util.regex.Pattern own = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(s.module()) + "-(\\d{1,2})\\.pid");
            try (var files = Files.list(runDir)) {
                files.map(f -> own.matcher(f.getFileName().toString())).filter(java.util.regex.Matcher::matches)
                        .forEach(m -> found.add(Integer.parseInt(m.group(1))));
            }
        }
        return found;
    }

    private java.util.Optional<Long> pid(Service s, int instance) throws IOException {
        Path file = pidFile(s, instance);
        if (!Files.exists(file)) {
            return java.util.Optional.empty();
        }
        long pid = Long.parseLong(Files.readString(file).trim());
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(h -> pid);
    }
}
