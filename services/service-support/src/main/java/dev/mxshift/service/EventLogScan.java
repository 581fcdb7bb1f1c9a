package dev.mxshift.service;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.serde.EventDecodingException;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.Workflow;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code migration.events} from the start to its current end and folds the events of the domains asked for:
 * their state now, as the workflow defines it, including domains that no service has written a state for yet (only
 * requested). For operator commands that append to a domain's history (a target learned later). Records that do
 * not decode, events of other domains, and repeated or out-of-order sequences are skipped.
 */
public final class EventLogScan {

    private EventLogScan() {
    }

    public static Map<DomainName, MigrationState> statesOf(String bootstrap, String topic, Set<DomainName> wanted, Duration patience) {
        return statesOf(KafkaClientSettings.plaintext(bootstrap), topic, wanted, patience);
    }

    public static Map<DomainName, MigrationState> statesOf(KafkaClientSettings kafka, String topic, Set<DomainName> wanted, Duration patience) {
        EventCodec codec = new EventCodec();
        Map<String, DomainName> keys = new HashMap<>();
        wanted.forEach(d -> keys.put(d.value(), d));
        Map<DomainName, MigrationState> states = new HashMap<>();
        if (!TopicToEnd.read(kafka, topic, p -> true, patience, record -> {
            DomainName domain = record.key() == null ? null : keys.get(new String(record.key(), StandardCharsets.UTF_8));
            if (domain == null) {
                return;
            }
            try {
                EventEnvelope event = codec.decode(record.value());
                MigrationState before = states.getOrDefault(domain, MigrationState.initial(domain));
                if (event.sequence() == before.sequence() + 1) {
                    states.put(domain, Workflow.apply(before, event));
                }
            } catch (EventDecodingException e) {
                // dead-lettered by the services; it is not part of the domain's history
            }
        })) {
            throw new IllegalStateException("the topic " + topic + " does not exist at " + kafka.bootstrap());
        }
        return states;
    }
}
