package dev.mxshift.operator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bounded waits for what another process does: a file it creates, a log only a look can read. */
class ConditionWaitTest {

    @TempDir
    Path dir;

    @Test
    void aFileCreatedWhileWaitingEndsTheWaitWhenItAppears() throws Exception {
        CompletableFuture<Void> creator = CompletableFuture.runAsync(() -> {
            try {
                Files.writeString(dir.resolve("done"), "");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));
        Instant start = Instant.now();

        assertThat(ConditionWait.fileAppears(dir, "done", Duration.ofSeconds(30))).isTrue();

        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
        creator.join();
    }

    @Test
    void aFileThatAlreadyExistsNeedsNoWaitAndOneThatNeverComesRunsOutTheLimit() throws Exception {
        Files.writeString(dir.resolve("done"), "");
        assertThat(ConditionWait.fileAppears(dir, "done", Duration.ofSeconds(30))).isTrue();

        Instant start = Instant.now();
        assertThat(ConditionWait.fileAppears(dir, "never", Duration.ofMillis(400))).isFalse();
        assertThat(Duration.between(start, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void aLookIsRepeatedUntilTheConditionHoldsOrTheLimitAndTheLastLookIsReturned() throws Exception {
        AtomicInteger looks = new AtomicInteger();

        assertThat(ConditionWait.until(looks::incrementAndGet, n -> n >= 3, Duration.ofMillis(20), Duration.ofSeconds(30))).isEqualTo(3);

        AtomicInteger never = new AtomicInteger();
        int last = ConditionWait.until(never::incrementAndGet, n -> false, Duration.ofMillis(50), Duration.ofMillis(300));
        assertThat(last).isBetween(1, never.get());
    }

    @Test
    void aLookThatFailsEndsTheWaitWithItsFailure() {
        assertThatThrownBy(() -> ConditionWait.until(() -> {
            throw new IllegalStateException("the log is gone");
        }, x -> true, Duration.ofMillis(10), Duration.ofSeconds(30))).isInstanceOf(IllegalStateException.class).hasMessage("the log is gone");
    }
}
