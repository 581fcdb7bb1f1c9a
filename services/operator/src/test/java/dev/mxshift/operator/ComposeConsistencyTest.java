package dev.mxshift.operator;

import dev.mxshift.lab.LabRun;
import dev.mxshift.operator.system.Service;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml cannot be run here (no Docker engine), so this keeps it consistent with what it starts: each
 * service's jar is the one its module builds, its port is the one its application.yml listens on, every MXSHIFT_*
 * variable it sets is one the service reads, the services reach the broker on its internal listener, and PowerDNS
 * serves its API.
 */
class ComposeConsistencyTest {

    private static final Path ROOT = LabRun.repositoryRoot();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(MXSHIFT_[A-Z0-9_]+)(?::([^}]*))?}");
    /** server.port in application.yml: "server:" then "  port: ${MXSHIFT_..._PORT:NNNN}". */
    private static final Pattern SERVER_PORT = Pattern.compile("(?m)^server:\\n(?:  .*\\n)*?  port: \\$\\{MXSHIFT_[A-Z_]+_PORT:(\\d+)}");

    /** A service's environment, with YAML merge keys ({@code <<: *service-env}) merged in. */
    private static java.util.Map<String, String> environment(JsonNode node) {
        java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
        node.properties().forEach(e -> {
            if (e.getKey().equals("<<")) {
                env.putAll(environment(e.getValue()));
            } else {
                env.put(e.getKey(), e.getValue().asString());
            }
        });
        return env;
    }

    @Test
    void composeMatchesTheServicesConfiguration() throws Exception {
        // SnakeYAML (YAML 1.1) applies compose's merge keys (<<: *service-env); YAML 1.2 readers do not.
        Object yaml;
        try (java.io.Reader reader = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
            yaml = new org.yaml.snakeyaml.Yaml().load(reader);
        }
        JsonNode compose = Json.MAPPER.valueToTree(yaml);
        JsonNode services = compose.path("services");
        String bootstrap = null;
        for (Service service : Service.values()) {
            JsonNode s = services.path(service.module());
            assertThat(s.isMissingNode()).as(service.module() + " in docker-compose.yml").isFalse();
            String yml = Files.readString(ROOT.resolve("services").resolve(service.module()).resolve("src/main/resources/application.yml"));
            List<String> read = new ArrayList<>();
            Matcher m = PLACEHOLDER.matcher(yml);
            while (m.find()) {
                read.add(m.group(1));
            }
            Matcher p = SERVER_PORT.matcher(yml);
            String port = p.find() ? p.group(1) : null;
            assertThat(port).as(service.module() + "'s server port in application.yml").isNotNull();
            assertThat(s.path("ports").get(0).asString()).as(service.module() + " port mapping").isEqualTo("127.0.0.1:" + port + ":" + port);

            String volumes = s.path("volumes").toString();
            assertThat(volumes).as(service.module() + " runs its module's jar")
                    .contains("./services/" + service.module() + "/target/" + service.module() + "-0.1.0-SNAPSHOT-exec.jar:/app/app.jar");

            java.util.Map<String, String> environment = environment(s.path("environment"));
            List<String> set = new ArrayList<>(environment.keySet());
            assertThat(set).as(service.module() + " environment").contains("MXSHIFT_KAFKA_BOOTSTRAP");
            for (String key : set) {
                if (key.startsWith("MXSHIFT_")) {
                    assertThat(read).as(key + " set for " + service.module() + " must be read by its application.yml").contains(key);
                }
            }
            bootstrap = environment.get("MXSHIFT_KAFKA_BOOTSTRAP");
        }
        JsonNode kafka = services.path("kafka").path("environment");
        assertThat(kafka.path("KAFKA_ADVERTISED_LISTENERS").asString()).as("the services' bootstrap is the broker's internal listener")
                .contains("INTERNAL://" + bootstrap);
        assertThat(kafka.path("KAFKA_AUTO_CREATE_TOPICS_ENABLE").asString())
                .as("topics come from the catalogue (the services create them), not from broker defaults").isEqualTo("false");
        JsonNode powerdns = services.path("powerdns");
        assertThat(powerdns.path("environment").has("PDNS_AUTH_API_KEY")).as("PowerDNS with its API").isTrue();
        assertThat(powerdns.path("ports").toString()).contains(":8081");
    }
}
