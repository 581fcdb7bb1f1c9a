package dev.mxshift.operator;

import dev.mxshift.lab.LabRun;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.operator.system.LabServiceConfig;
import dev.mxshift.operator.system.Service;
import dev.mxshift.operator.system.ServiceFleet;
import dev.mxshift.service.KafkaClientSettings;
import dev.mxshift.testsupport.KafkaTestBroker;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What an end-to-end test starts around its lab: the services, configured for the lab (secrets in
 * {@code <dir>/secrets}) on the test broker and the test's own topics, run from {@code <dir>/services}; the event log
 * it reads.
 */
final class EndToEnd {

    private EndToEnd() {
    }

    /** Every service's arguments for {@code lab}, on the test broker and these topics, dead letters under {@code <events>.dlt.}. */
    static Map<Service, List<String>> arguments(LabRun lab, Path dir, TopicSpec events, TopicSpec state) {
        return LabServiceConfig.arguments(lab.endpointsFile(), dir.resolve("secrets"), KafkaTestBroker.bootstrapServers(),
                new LabServiceConfig.Topics(events.name(), state.name(), events.name() + ".dlt."), 1000);
    }

    /** The services with these arguments, 320 MB of heap each, quick to start, and stopped if the test's JVM exits first. */
    static ServiceFleet fleet(Path dir, Map<Service, List<String>> arguments) {
        return new ServiceFleet(LabRun.repositoryRoot(), dir.resolve("services"), arguments, "320m").jvmOptions(ServiceFleet.QUICK_START).stopOnExit();
    }

    /** The event log of these topics on the test broker, as the operator's commands read it. */
    static EventLog eventLog(TopicSpec events, TopicSpec state) {
        return new EventLog(KafkaClientSettings.plaintext(KafkaTestBroker.bootstrapServers()), events.name(), state.name());
    }
}
