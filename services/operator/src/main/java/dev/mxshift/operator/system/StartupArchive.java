package dev.mxshift.operator.system;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Class data sharing for the services' JVMs (decision 0025): a service's start is mostly class loading, and the
 * fleet starts services hundreds of times in the tests (every kill -9 is followed by a start).
 *
 * <p>A service runs from its jar extracted once ({@code java -Djarmode=tools -jar <service>-exec.jar extract}, into
 * {@code target/cds/<module>/}), because class data sharing cannot map classes out of a jar nested in the exec jar. The
 * first instance that starts without an archive records one as soon as it is up, from the running JVM
 * ({@code jcmd <pid> VM.cds dynamic_dump}); every later start maps it ({@code -XX:SharedArchiveFile}). An archive that no
 * longer matches its jars (a rebuild) is replaced: the extraction records which exec jar it came from, and a new
 * exec jar means a new extraction and no archive. A JVM that finds an unusable archive runs without it (the JVM's
 * default {@code -Xshare:auto}), so the archive only ever changes how fast a service starts, never whether.
 */
final class StartupArchive {

    private final Path execJar;
    private final Path dir;
    private final Path archive;

    StartupArchive(Path execJar, String module) {
        this.execJar = execJar;
        Path cds = execJar.getParent().resolve("cds");
        this.dir = cds.resolve(module);
        this.archive = cds.resolve(module + ".jsa");
    }

    /**
     * One launch's JVM options and the jar to run. Without an archive yet, the instance is started able to record one
     * ({@code -XX:+RecordDynamicDumpInfo}), and {@link Launch#started(Process)} records it once the instance is up.
     */
    Launch prepare() {
        Optional<Path> extracted = extracted();
        if (extracted.isEmpty()) {
            return new Launch(List.of(), execJar, null);
        }
        if (Files.isRegularFile(archive)) {
            return new Launch(List.of("-XX:SharedArchiveFile=" + archive), extracted.get(), null);
        }
        return new Launch(List.of("-XX:+RecordDynamicDumpInfo"), extracted.get(), archive);
    }

    /** The extracted application jar, extracting it first if it is missing or came from another build. */
    private Optional<Path> extracted() {
        Path stamp = dir.resolve(".extracted-from");
        Path app = dir.resolve(execJar.getFileName());
        try {
            Files.createDirectories(dir.getParent());
            try (FileChannel lockFile = FileChannel.open(dir.resolveSibling(dir.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockFile.lock()) {
                String source = Files.size(execJar) + " " + Files.getLastModifiedTime(execJar).toMillis();
                if (Files.isRegularFile(app) && Files.isRegularFile(stamp) && Files.readString(stamp).equals(source)) {
                    return Optional.of(app);
                }
                Files.deleteIfExists(archive);
                Process p = new ProcessBuilder(javaCommand(), "-Djarmode=tools", "-jar", execJar.toString(), "extract",
                        "--destination", dir.toString(), "--force")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.isRegularFile(app)) {
                    p.destroyForcibly();
                    return Optional.empty();
                }
                Files.writeString(stamp, source);
                return Optional.of(app);
            }
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    Path archive() {
        return archive;
    }

    static String javaCommand() {
        return Optional.ofNullable(System.getProperty("java.home")).map(h -> Path.of(h, "bin", "java").toString()).orElse("java");
    }

    /** How one instance is started; {@code record} is the archive it is to record once up, or null. */
    record Launch(List<String> jvmOptions, Path jar, Path record) {

        /**
         * Once the instance is up: records the archive from the running JVM ({@code jcmd <pid> VM.cds dynamic_dump},
         * a pause of a second or two) into a file of its own, moved into place unless another instance's got there
         * first. Any failure leaves no archive, and the next start tries again.
         */
        void started(Process process) {
            if (record == null || Files.exists(record)) {
                return;
            }
            Path part = record.resolveSibling(record.getFileName() + "." + process.pid() + ".part");
            Path jcmd = Path.of(javaCommand()).resolveSibling("jcmd");
            try {
                Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "VM.cds", "dynamic_dump", part.toString())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (dump.waitFor(120, TimeUnit.SECONDS) && dump.exitValue() == 0 && Files.isRegularFile(part) && Files.size(part) > 0
                        && !Files.exists(record)) {
                    Files.move(part, record, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    dump.destroyForcibly();
                }
            } catch (IOException e) {
                // no jcmd, or another instance's archive won the move: the service starts without one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                try {
                    Files.deleteIfExists(part);
                } catch (IOException ignored) {
                    // a stray part file only takes room
                }
            }
        }
    }
}
