package dev.mxshift.operator;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting, bounded, for something outside this process: a file another process creates (the file system tells when),
 * or what only a look can tell, such as a mail server's log (a scheduler looks at a fixed delay until it holds).
 */
final class ConditionWait {

    private ConditionWait() {
    }

    /** Blocks until {@code dir/name} exists, or {@code limit} has passed; whether it exists. */
    static boolean fileAppears(Path dir, String name, Duration limit) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        Instant end = Instant.now().plus(limit);
        try (WatchService events = FileSystems.getDefault().newWatchService()) {
            // registered before the first look: a file created between the look and the wait is still an event
            dir.register(events, StandardWatchEventKinds.ENTRY_CREATE);
            while (!Files.exists(file)) {
                long left = Duration.between(Instant.now(), end).toMillis();
                if (left <= 0) {
                    return false;
                }
                WatchKey key = events.poll(left, TimeUnit.MILLISECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
            return true;
        }
    }

    /**
     * Looks every {@code every} (the first at once) until {@code done} holds for what {@code look} saw, or {@code limit}
     * has passed; returns the last look either way, for the caller to judge. A look that throws ends the wait with it.
     */
    static <T> T until(Supplier<T> look, Predicate<T> done, Duration every, Duration limit) throws InterruptedException {
        ScheduledExecutorService looks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "condition-wait");
            t.setDaemon(true);
            return t;
        });
        CompletableFuture<T> held = new CompletableFuture<>();
        AtomicReference<T> last = new AtomicReference<>();
        try {
            looks.scheduleWithFixedDelay(() -> {
                try {
                    T seen = look.get();
                    last.set(seen);
                    if (done.test(seen)) {
                        held.complete(seen);
                    }
                } catch (RuntimeException e) {
                    held.completeExceptionally(e);
                }
            }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
            return held.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return last.get() != null ? last.get() : look.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            looks.shutdownNow();
            looks.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
