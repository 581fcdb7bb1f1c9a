package dev.mxshift.operator;

import dev.mxshift.model.testing.Property;
import dev.mxshift.operator.system.Service;
import dev.mxshift.testsupport.KafkaTestBroker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Crashes during a 500-domain migration over the lab: a random service process is killed with SIGKILL five times
 * (and started again) while domains move, each after a random amount of progress (seeded: {@code -Dmxshift.seed=N}). Afterwards every domain has settled where its scenario must, completed
 * domains serve their plan's final MX, PowerDNS received each planned write exactly once (counted by a proxy in front
 * of its API), every domain's history is gap-free, and no dead letter was written ({@link DisruptedMigration}).
 */
class CrashRecoveryIT {

    private static final int KILLS = 5;

    @Test
    void killedServicesResumeAndEveryDomainEndsOnceAndRight() throws Exception {
        // Which service dies, and after how much progress, come from the seed: printed, and replayed with -Dmxshift.seed=N.
        long seed = Property.seedFor("CrashRecoveryIT");
        Random random = new Random(seed);
        List<String> kills = new ArrayList<>();
        try (DisruptedMigration run = new DisruptedMigration("crash", 475, KafkaTestBroker.bootstrapServers(), 1)) {
            for (int k = 0; k < KILLS; k++) {
                int events = 100 + random.nextInt(500);
                run.awaitProgress(events, Duration.ofSeconds(300));
                Service victim = Service.values()[random.nextInt(Service.values().length)];
                run.fleet().kill(victim, 0);
                kills.add(victim.module() + " after " + events + " more events, at " + Instant.now());
                run.confirmWaiting();
                run.fleet().start(victim, 0, Duration.ofSeconds(180));
            }
            System.out.println("CrashRecoveryIT seed " + seed + ", kills: " + kills);
            run.settleAndCheck(Duration.ofSeconds(600));
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("CrashRecoveryIT seed " + seed + " (replay: -D" + Property.SEED + "=" + seed + "), kills: " + kills
                    + ": " + e.getMessage(), e);
        }
    }
}
