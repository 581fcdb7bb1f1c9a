package dev.mxshift.operator;

import dev.mxshift.operator.system.Service;
import dev.mxshift.testsupport.KafkaTestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of each service in the same consumer groups share the partitions; one instance of each is stopped
 * mid-run; Kafka moves its partitions to the other, and every domain still ends where it must, once
 * ({@link DisruptedMigration}: writes counted at PowerDNS, one completion per domain, gap-free histories).
 */
class ScaleOutIT {

    @Test
    void twoInstancesShareTheWorkAndOneStoppingLosesNothing() throws Exception {
        String bootstrap = KafkaTestBroker.bootstrapServers();
        try (DisruptedMigration run = new DisruptedMigration("scale-out", 75, bootstrap, 2)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                for (Service s : Service.values()) {
                    // the last instance to join may still be waiting for its share: a rebalance takes a moment
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).pollDelay(Duration.ZERO).untilAsserted(() -> {
                        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(s.module())).describedGroups().get(s.module())
                                .get(30, TimeUnit.SECONDS);
                        assertThat(group.members()).as(s.module() + " members").hasSize(2);
                        assertThat(group.members()).as("both instances of " + s.module() + " hold partitions")
                                .allSatisfy(m -> assertThat(m.assignment().topicPartitions()).isNotEmpty());
                    });
                }
            }
            // The second instance of each service has done work of its own before it stops (no pause: its counters say so).
            for (Service s : Service.values()) {
                await(s.module() + " instance 1 read events").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).pollDelay(Duration.ZERO)
                        .until(() -> ServiceCounters.consumed(s, 1, null, null) > 0);
            }
            for (Service s : Service.values()) {
                run.fleet().stop(s, 1);
            }
            // The first instance of each service recorded a class data sharing archive once it was up, and a JVM that
            // must map it (-Xshare:on refuses to start otherwise) starts with it: the fleet's later starts are quicker.
            for (Service s : Service.values()) {
                assertThat(run.fleet().startupArchive(s)).as(s.module() + "'s startup archive").isNotEmptyFile();
            }
            run.fleet().jvmOptions(List.of("-XX:TieredStopAtLevel=1", "-Xshare:on"));
            run.fleet().start(Service.RECORD_GENERATION, 1, Duration.ofSeconds(240));
            run.fleet().stop(Service.RECORD_GENERATION, 1);
            run.settleAndCheck(Duration.ofSeconds(600));
        }
    }
}
