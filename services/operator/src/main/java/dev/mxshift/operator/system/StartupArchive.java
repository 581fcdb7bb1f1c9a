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
 * first instance that runs without an archive records one when it exits politely
 * ({@code -XX:ArchiveClassesAtExit}, into a file named for the instance, moved into place when the fleet sees the
 * instance end or, for an instance that outlived its fleet, at the next start of that instance); every later start
 * maps it ({@code -XX:SharedArchiveFile}). An archive that no
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

    /** One launch's JVM options and the jar to run; {@link Launch#exited(boolean)} keeps an archive it recorded. */
    Launch prepare(String instanceName) {
        Optional<Path> extracted = extracted();
        if (extracted.isEmpty()) {
            return new Launch(List.of(), execJar, null, archive);
        }
        Path part = archive.resolveSibling(instanceName + ".jsa.part");
        // An instance started by `./mxshift services start` outlives the command that started it, so its archive,
        // recorded when `services stop` ends it, is taken up here, at the next start of the same instance.
        new Launch(List.of(), extracted.get(), part, archive).exited(true);
        if (Files.isRegularFile(archive)) {
            return new Launch(List.of("-XX:SharedArchiveFile=" + archive), extracted.get(), null, archive);
        }
        return new Launch(List.of("-XX:ArchiveClassesAtExit=" + part), extracted.get(), part, archive);
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
                try (var parts = Files.newDirectoryStream(archive.getParent(), dir.getFileName() + "-*.jsa.part")) {
                    for (Path stale : parts) {
                        Files.deleteIfExists(stale);
                    }
                }
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

    /** How one instance is started; {@code part} is where it records an archive at exit, if it does. */
    record Launch(List<String> jvmOptions, Path jar, Path part, Path archive) {

        /**
         * After the process ended: an archive recorded by a polite exit becomes the service's archive (unless another
         * instance's got there first); a killed JVM records nothing usable, so whatever it left is removed.
         */
        void exited(boolean polite) {
            if (part == null) {
                return;
            }
            try {
                if (polite && Files.isRegularFile(part) && Files.size(part) > 0 && !Files.exists(archive)) {
                    Files.move(part, archive, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    Files.deleteIfExists(part);
                }
            } catch (IOException e) {
                // another instance's archive won the move, or the directory went: the next start records again
                try {
                    Files.deleteIfExists(part);
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }
    }
}
