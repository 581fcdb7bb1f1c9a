package dev.mxshift.operator;

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
 * (and started again) while domains move. Afterwards every domain has settled where its scenario must, completed
 * domains serve their plan's final MX, PowerDNS received each planned write exactly once (counted by a proxy in front
 * of its API), every domain's history is gap-free, and no dead letter was written ({@link DisruptedMigration}).
 */
class CrashRecoveryIT {

    private static final int KILLS = 5;

    @Test
    void killedServicesResumeAndEveryDomainEndsOnceAndRight() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try (DisruptedMigration run = new DisruptedMigration("crash", 475, KafkaTestBroker.bootstrapServers(), 1)) {
            List<String> kills = new ArrayList<>();
            for (int k = 0; k < KILLS; k++) {
                Thread.sleep(2000 + random.nextInt(4000));
                Service victim = Service.values()[random.nextInt(Service.values().length)];
                run.fleet().kill(victim, 0);
                kills.add(victim.module() + " at " + Instant.now());
                run.confirmWaiting();
                run.fleet().start(victim, 0, Duration.ofSeconds(180));
            }
            System.out.println("CrashRecoveryIT seed " + seed + ", kills: " + kills);
            run.settleAndCheck(Duration.ofSeconds(600));
        }
    }
}
