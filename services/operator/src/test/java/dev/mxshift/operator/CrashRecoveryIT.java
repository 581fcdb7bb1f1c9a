package dev.mxshift.operator;

import dev.mxshift.model.plan.StepPurpose;
import dev.mxshift.model.testing.Property;
import dev.mxshift.operator.system.Service;
import dev.mxshift.testsupport.KafkaTestBroker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Crashes during a migration of 200 lab domains with the DNSSEC stage on: unsigned zones are signed and chained
 * (through the .ch registry's CDS scanner, or the lab's registrar desk for the manual parents) before their MX moves.
 * <ul>
 *   <li>In each step of the DNSSEC stage (signing, verifying a zone its provider signed, the wait for the key caches,
 *   publishing the DS), as soon as some domain is in it, every service process is killed with SIGKILL and started
 *   again: each service dies during each DNSSEC step.</li>
 *   <li>Then a random service is killed {@value #MX_KILLS} more times, each after a random amount of progress (seeded:
 *   {@code -Dmxshift.seed=N}), while domains move their MX.</li>
 * </ul>
 * Afterwards every domain has settled where its scenario must, completed domains serve their plan's final MX,
 * PowerDNS received each planned MX write exactly once and each zone mxshift signed exactly one key creation, each
 * chained zone serves that one key and its parent exactly its DS, the bogus monitor saw no SERVFAIL, every domain's
 * history is gap-free, and no dead letter was written ({@link DisruptedMigration}).
 * <p>
 * Then six of the signed zones (CDS-scanned and manual parents) are rolled back and unsigned, and every service is
 * killed again in each step of that (withdrawing the DS, the wait for the caches, stopping the signing): each ends
 * rolled back with its DS gone before the wait and the wait before the unsigning, serving no key, its parent no DS.
 */
class CrashRecoveryIT {

    private static final int MX_KILLS = 2;
    private static final List<StepPurpose> DNSSEC_STEPS = List.of(StepPurpose.SIGN_ZONE, StepPurpose.VERIFY_ZONE_SIGNED,
            StepPurpose.WAIT_KEY_CACHES, StepPurpose.PUBLISH_DS);
    private static final List<StepPurpose> UNSIGN_STEPS = List.of(StepPurpose.WITHDRAW_DS, StepPurpose.WAIT_DS_CACHES, StepPurpose.UNSIGN_ZONE);
    /** Beside the default mix: zones for each DS path (.ch scans CDS, .com is manual) and zones signed without a DS. */
    private static final DisruptedMigration.Signing SIGNING = new DisruptedMigration.Signing(Map.of(
            "onboard-ch-powerdns", 5, "onboard-ch-signed-no-ds", 3, "onboard-com-manual", 2));

    @Test
    void killedServicesResumeAndEveryDomainEndsOnceAndRight() throws Exception {
        // Which service dies, and after how much progress, come from the seed: printed, and replayed with -Dmxshift.seed=N.
        long seed = Property.seedFor("CrashRecoveryIT");
        Random random = new Random(seed);
        List<String> kills = new ArrayList<>();
        try (DisruptedMigration run = new DisruptedMigration("crash", Integer.getInteger("mxshift.crash.tenants", 200), KafkaTestBroker.bootstrapServers(), 1, SIGNING)) {
            killEveryServiceInEach(run, DNSSEC_STEPS, kills);
            for (int k = 0; k < MX_KILLS; k++) {
                int events = 100 + random.nextInt(400);
                run.awaitProgress(events, Duration.ofSeconds(300));
                Service victim = Service.values()[random.nextInt(Service.values().length)];
                run.fleet().kill(victim, 0);
                kills.add(victim.module() + " after " + events + " more events, at " + Instant.now());
                run.confirmWaiting(Duration.ZERO);
                run.fleet().start(victim, 0, Duration.ofSeconds(180));
            }
            System.out.println("CrashRecoveryIT seed " + seed + ", kills: " + kills);
            run.settleAndCheck(Duration.ofSeconds(600));

            // The DNSSEC stage undone: every service dies in each step of the unsign as well.
            List<dev.mxshift.model.dns.DomainName> unsigned = run.rollbackAndUnsign(6);
            killEveryServiceInEach(run, UNSIGN_STEPS, kills);
            System.out.println("CrashRecoveryIT unsigned " + unsigned + ", kills: " + kills);
            run.settleUnsignedAndCheck(unsigned, Duration.ofSeconds(300));
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("CrashRecoveryIT seed " + seed + " (replay: -D" + Property.SEED + "=" + seed + "), kills: " + kills
                    + ": " + e.getMessage(), e);
        }
    }

    /** For each step in turn: as soon as some domain is in it, kill -9 every service, then start them all again. */
    private static void killEveryServiceInEach(DisruptedMigration run, List<StepPurpose> steps, List<String> kills) {
        for (StepPurpose step : steps) {
            run.awaitStep(step, Duration.ofSeconds(180));
            for (Service victim : Service.values()) {
                run.fleet().kill(victim, 0);
            }
            kills.add("every service during " + step + ", at " + Instant.now());
            run.confirmWaiting(Duration.ZERO);
            run.fleet().startAll(List.of(Service.values()), 0, Duration.ofSeconds(180));
        }
    }
}
