package dev.mxshift.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One lab server process: started in its own session ({@code setsid}) with output to a log file, so it outlives
 * {@code lab up} and {@code lab down} can end it with everything it forked; remembered by a pid file.
 */
public final class ServerProcess {

    private final String name;
    private final Path pidFile;
    private final Path logFile;

    public ServerProcess(String name, Path directory) {
        this.name = name;
        this.pidFile = directory.resolve(name + ".pid");
        this.logFile = directory.resolve(name + ".log");
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return logFile;
    }

    public void start(List<String> command) {
        List<String> full = new ArrayList<>(List.of("setsid"));
        full.addAll(command);
        try {
            Files.createDirectories(pidFile.getParent());
            Process process = new ProcessBuilder(full)
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            Files.writeString(pidFile, Long.toString(process.pid()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + " (" + String.join(" ", command) + ")", e);
        }
    }

    /** Records a pid the server wrote itself (for servers that daemonise, like Postfix's master). */
    public void adopt(long pid) {
        try {
            Files.writeString(pidFile, Long.toString(pid));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<Long> pid() {
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(p -> pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public boolean alive() {
        return pid().isPresent();
    }

    /** Ends the process group, politely first; true if something was running. */
    public boolean stop(Duration grace) {
        Optional<Long> pid = pid();
        if (pid.isEmpty()) {
            deletePidFile();
            return false;
        }
        signal(pid.get(), "TERM");
        long deadline = System.nanoTime() + grace.toNanos();
        while (alive() && System.nanoTime() < deadline) {
            sleep(100);
        }
        if (alive()) {
            signal(pid.get(), "KILL");
            while (alive()) {
                sleep(50);
            }
        }
        deletePidFile();
        return true;
    }

    /** Waits until the server answers on a TCP port, failing early if it dies; shows the log's tail on failure. */
    public void awaitTcp(String address, int port, Duration timeout) {
        awaitReady(() -> tcpOpen(address, port), address + ":" + port + "/tcp", timeout);
    }

    /** Waits until a DNS server answers a query on UDP. */
    public void awaitDns(String address, int port, Duration timeout) {
        awaitReady(() -> dnsAnswers(address, port), address + ":" + port + "/udp", timeout);
    }

    private void awaitReady(java.util.function.BooleanSupplier ready, String where, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (!alive()) {
                throw new IllegalStateException(name + " exited during start-up; its log " + logFile + " ends with:\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not answer on " + where + " within " + timeout.toSeconds()
                        + " s; its log " + logFile + " ends with:\n" + tail());
            }
            sleep(100);
        }
    }

    public String tail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public static boolean tcpOpen(String address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A minimal query for "." SOA; any well-formed reply counts. */
    public static boolean dnsAnswers(String address, int port) {
        byte[] query = {0x12, 0x34, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x01};
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(300);
            socket.send(new DatagramPacket(query, query.length, InetAddress.getByName(address), port));
            DatagramPacket reply = new DatagramPacket(new byte[512], 512);
            socket.receive(reply);
            return reply.getLength() >= 12 && reply.getData()[0] == 0x12 && reply.getData()[1] == 0x34;
        } catch (IOException e) {
            return false;
        }
    }

    private void deletePidFile() {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void signal(long pid, String signal) {
        try {
            // The negative pid names the process group that setsid made, so forked children go too.
            Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + pid).redirectErrorStream(true).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
