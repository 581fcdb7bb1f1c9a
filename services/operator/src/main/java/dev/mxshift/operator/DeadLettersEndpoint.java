package dev.mxshift.operator;

import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.operator.api.ApiProblem;
import dev.mxshift.operator.api.RequestBodies;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A service's dead letters, listed or replayed. Dead letters may be any tenant's: all-tenants tokens only, which the
 * security configuration enforces before a call reaches here.
 */
@RestController
@RequestMapping("/api/v1")
class DeadLettersEndpoint {

    private final EventLog log;
    private final RequestBodies bodies;

    DeadLettersEndpoint(EventLog log, RequestBodies bodies) {
        this.log = log;
        this.bodies = bodies;
    }

    @GetMapping("/dead-letters")
    public Callable<ResponseEntity<String>> list(@RequestParam(name = "service", required = false) String service) {
        String topic = topic(service);
        return () -> ApiScope.ok(log.records(topic).stream().map(DeadLettersCommand::letter).toList());
    }

    @PostMapping("/dead-letters/replay")
    public Callable<ResponseEntity<String>> replay(HttpServletRequest request) {
        JsonNode replay = ApiScope.json(bodies.bytes(request));
        String topic = topic(replay.path("service").asString(""));
        return () -> {
            List<ConsumerRecord<byte[], byte[]>> records = log.records(topic);
            List<ConsumerRecord<byte[], byte[]>> chosen = new ArrayList<>();
            if (replay.path("all").asBoolean(false)) {
                chosen.addAll(records);
            } else {
                for (JsonNode o : replay.path("offsets")) {
                    String position = o.asString();
                    chosen.add(records.stream().filter(r -> (r.partition() + ":" + r.offset()).equals(position)).findFirst()
                            .orElseThrow(() -> ApiProblem.badRequest("no dead letter at " + position + " in " + topic)));
                }
                if (chosen.isEmpty()) {
                    throw ApiProblem.badRequest("say which dead letters: \"offsets\": [\"PARTITION:OFFSET\"] (from the list) or \"all\": true");
                }
            }
            log.republish(chosen);
            return ApiScope.ok(Map.of("replayed", chosen.size(), "from", topic, "into", log.eventsTopic()));
        };
    }

    private String topic(String service) {
        if (service == null || TopicCatalogue.consumingServices().stream().noneMatch(r -> r.serviceName().equals(service))) {
            throw ApiProblem.badRequest("say which service: discovery-service, validation-service, record-generation-service or dns-push-service");
        }
        return log.eventsTopic() + ".dlt." + service;
    }
}
