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
        footer = {"", "Examples:", "  services start --lab infra/lab/run",
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

    /**
     * Only the client compiler by default (decision 0045): in bench/dry-run at 2,000 domains the services' compiler
     * threads used two fifths of their CPU, and C1-only code spent less than the tiered code did while it warmed.
     */
    @Option(names = "--jvm-options", paramLabel = "OPTIONS", defaultValue = "${env:MXSHIFT_SERVICE_JVM_OPTIONS:--XX:TieredStopAtLevel=1}",
            description = "start: JVM options for every service, separated by spaces (default: the environment's"
                    + " MXSHIFT_SERVICE_JVM_OPTIONS, else ${DEFAULT-VALUE}: only the quick client compiler;"
                    + " -XX:TieredStopAtLevel=4 gives back the JVM's own tiered compilation)")
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
                java.util.List<Service> toStart = new java.util.ArrayList<>();
                for (Service s : Service.values()) {
                    if (pid(s).isPresent()) {
                        spec.commandLine().getErr().println("services: " + s.module() + " already runs (pid " + pid(s).get() + ")");
                        continue;
                    }
                    toStart.add(s);
                }
                spec.commandLine().getErr().println("services: starting " + String.join(", ", toStart.stream().map(Service::module).toList()) + " ...");
                fleet.startAll(toStart, 0, Duration.ofSeconds(180));
                for (Service s : toStart) {
                    spec.commandLine().getErr().println("services: " + s.module() + " up on 127.0.0.1:" + s.port(0) + " (log " + fleet.log(s, 0) + ")");
                }
                return 0;
            }
            case "stop" -> {
                for (Service s : Service.values()) {
                    var pid = pid(s);
                    if (pid.isPresent()) {
                        ProcessHandle.of(pid.get()).ifPresent(h -> {
                            h.destroy();
                            try {
                                h.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
                            } catch (Exception e) {
                                h.destroyForcibly();
                            }
                        });
                        spec.commandLine().getErr().println("services: stopped " + s.module());
                    }
                    Files.deleteIfExists(pidFile(s));
                }
                return 0;
            }
            case "status" -> {
                int down = 0;
                java.util.List<java.util.Map<String, Object>> all = new java.util.ArrayList<>();
                for (Service s : Service.values()) {
                    var pid = pid(s);
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

    /** {@code --jvm-options} as the JVM's arguments, one per word. */
    java.util.List<String> jvmOptionList() {
        return jvmOptions == null || jvmOptions.isBlank() ? java.util.List.of() : java.util.List.of(jvmOptions.trim().split("\\s+"));
    }

    private Path pidFile(Service s) {
        return runDir.resolve(s.module() + "-0.pid");
    }

    private java.util.Optional<Long> pid(Service s) throws IOException {
        Path file = pidFile(s);
        if (!Files.exists(file)) {
            return java.util.Optional.empty();
        }
        long pid = Long.parseLong(Files.readString(file).trim());
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(h -> pid);
    }
}
