package dev.mxshift.operator.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs the services as separate processes, as an operator would: {@code java -jar <service>-exec.jar} with the
 * given arguments, each instance with its own port, log file and pid file in {@code runDir}. Instances can be
 * stopped politely, killed ({@code kill -9}) and started again; {@link #close()} stops every one this fleet started.
 * Each service runs from its extracted jar with a class data sharing archive when it can ({@link StartupArchive}).
 */
public final class ServiceFleet implements AutoCloseable {

    private final Path repositoryRoot;
    private final Path runDir;
    private final Map<Service, List<String>> arguments;
    private final String heap;
    private final Map<String, Process> running = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, StartupArchive.Launch> launches = new java.util.concurrent.ConcurrentHashMap<>();

    public ServiceFleet(Path repositoryRoot, Path runDir, Map<Service, List<String>> arguments, String heap) {
        this.repositoryRoot = repositoryRoot;
        this.runDir = runDir;
        this.arguments = arguments;
        this.heap = heap;
    }

    /**
     * JVM options for fleets that start and kill services many times and run them briefly (the tests): only the
     * quick client compiler, which roughly halves a service's start on two busy cores at some cost to peak speed. The
     * demo and the benchmarks run it too, through {@code services start --jvm-options} (decision 0045).
     */
    public static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1");

    private List<String> jvmOptions = List.of();

    /** Further JVM options for every instance this fleet starts from now on. */
    public ServiceFleet jvmOptions(List<String> options) {
        this.jvmOptions = List.copyOf(options);
        return this;
    }

    /** Stops this fleet's processes when this JVM exits normally (tests); without it they outlive it (the CLI). */
    public ServiceFleet stopOnExit() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "service-fleet-stop"));
        return this;
    }

    public Path jar(Service service) {
        Path target = repositoryRoot.resolve("services").resolve(service.module()).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-exec.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no runnable jar of " + service.module() + " in " + target
                            + "; build it: ./mvnw -q -DskipTests install"));
        } catch (IOException e) {
            throw new IllegalStateException("no build of " + service.module() + " in " + target + "; build it: ./mvnw -q -DskipTests install", e);
        }
    }

    /** Where the service's class data sharing archive is once an instance has recorded it ({@link StartupArchive}). */
    public Path startupArchive(Service service) {
        return new StartupArchive(jar(service), service.module()).archive();
    }

    public Path log(Service service, int instance) {
        return runDir.resolve(name(service, instance) + ".log");
    }

    /** Starts one instance and returns once its health endpoint says UP. */
    public void start(Service service, int instance, Duration patience) {
        startInstances(List.of(Map.entry(service, instance)), patience);
    }

    /**
     * Starts instance {@code instance} of each of {@code services} at once and returns when every one is UP: the JVMs
     * start side by side instead of one after the other (their start is mostly waiting on class loading and Kafka).
     */
    public void startAll(List<Service> services, int instance, Duration patience) {
        startInstances(services.stream().map(s -> Map.entry(s, instance)).toList(), patience);
    }

    /** Starts each (service, instance) at once and returns when every one is UP, as {@link #startAll} does. */
    public void startInstances(List<Map.Entry<Service, Integer>> instances, Duration patience) {
        // Each service's jar is extracted once per build (StartupArchive): side by side, not one after the other.
        sideBySide(instances.stream().map(Map.Entry::getKey).distinct()
                .map(s -> (Runnable) () -> new StartupArchive(jar(s), s.module()).prepare()).toList());
        instances.forEach(i -> launch(i.getKey(), i.getValue()));
        instances.forEach(i -> awaitHealthy(i.getKey(), i.getValue(), patience));
        // Instances started without a startup archive record one now that they are up: side by side as well.
        // One instance per archive records it (two instances of a service started together share one).
        Map<java.nio.file.Path, Runnable> records = new java.util.LinkedHashMap<>();
        for (Map.Entry<Service, Integer> i : instances) {
            StartupArchive.Launch launch = launches.remove(name(i.getKey(), i.getValue()));
            Process p = running.get(name(i.getKey(), i.getValue()));
            if (launch != null && launch.record() != null && p != null) {
                records.putIfAbsent(launch.record(), () -> launch.started(p));
            }
        }
        sideBySide(List.copyOf(records.values()));
    }

    /** Runs the tasks on threads of their own and returns when all have ended; the first failure is thrown. */
    private static void sideBySide(List<Runnable> tasks) {
        if (tasks.size() <= 1) {
            tasks.forEach(Runnable::run);
            return;
        }
        List<java.util.concurrent.CompletableFuture<Void>> all = new ArrayList<>();
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(tasks.size());
        try {
            tasks.forEach(t -> all.add(java.util.concurrent.CompletableFuture.runAsync(t, threads)));
            java.util.concurrent.CompletableFuture.allOf(all.toArray(new java.util.concurrent.CompletableFuture[0])).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        } finally {
            threads.shutdownNow();
        }
    }

    private void launch(Service service, int instance) {
        String name = name(service, instance);
        if (running.containsKey(name) && running.get(name).isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        StartupArchive.Launch launch = new StartupArchive(jar(service), service.module()).prepare();
        List<String> command = new ArrayList<>(List.of(StartupArchive.javaCommand(), "-Xmx" + heap, "-XX:+UseSerialGC"));
        command.addAll(jvmOptions);
        command.addAll(launch.jvmOptions());
        command.addAll(List.of("-jar", launch.jar().toString()));
        command.addAll(arguments.getOrDefault(service, List.of()));
        command.add("--server.port=" + service.port(instance));
        command.add("--mxshift.instance-id=" + instance);
        command.add("--server.address=127.0.0.1");
        try {
            Files.createDirectories(runDir);
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log(service, instance).toFile())).start();
            running.put(name, p);
            launches.put(name, launch);
            Files.writeString(runDir.resolve(name + ".pid"), Long.toString(p.pid()));
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + name + ": " + e.getMessage(), e);
        }
    }

    public boolean alive(Service service, int instance) {
        Process p = running.get(name(service, instance));
        return p != null && p.isAlive();
    }

    /** The exit status of an instance started here that has ended; empty while it runs or when none was started. */
    public java.util.OptionalInt exitStatus(Service service, int instance) {
        Process p = running.get(name(service, instance));
        return p == null || p.isAlive() ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(p.exitValue());
    }

    /** SIGTERM, then SIGKILL after 20 s. */
    public void stop(Service service, int instance) {
        Process p = running.remove(name(service, instance));
        if (p != null) {
            p.destroy();
            stopped(p);
        }
    }

    /** Waits up to 20 s for a process sent SIGTERM and kills it after that. */
    private static void stopped(Process p) {
        try {
            if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** kill -9: no shutdown hook runs, nothing is flushed or committed. */
    public void kill(Service service, int instance) {
        Process p = running.remove(name(service, instance));
        if (p != null) {
            p.destroyForcibly();
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void awaitHealthy(Service service, int instance, Duration patience) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI health = URI.create("http://127.0.0.1:" + service.port(instance) + "/actuator/health");
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive(service, instance)) {
                throw new IllegalStateException(name(service, instance) + " exited at start; see " + log(service, instance) + tail(service, instance));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException(name(service, instance) + " was not healthy within " + patience.toSeconds() + " s; see "
                + log(service, instance) + tail(service, instance));
    }

    private String tail(Service service, int instance) {
        try {
            List<String> lines = Files.readAllLines(log(service, instance));
            return "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static String name(Service service, int instance) {
        return service.module() + "-" + instance;
    }

    @Override
    public void close() {
        List<Process> all = new ArrayList<>(running.values());
        running.clear();
        all.forEach(Process::destroy);
        all.forEach(ServiceFleet::stopped);
    }
}
