package dev.mxshift.operator;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.mxshift.lab.LabRun;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml against the Compose Specification's own JSON schema (vendored beside this test, decision 0043),
 * in place of {@code docker compose config}, which needs a Docker engine: a misspelt key or a value of the wrong
 * shape fails here, not on a user's machine.
 */
class ComposeSchemaTest {

    private static final String PUBLISHED = "https://raw.githubusercontent.com/compose-spec/compose-spec/main/schema/compose-spec.json";
    private static final Schema COMPOSE_SPEC = composeSpec();

    private static Schema composeSpec() {
        try (InputStream schema = ComposeSchemaTest.class.getResourceAsStream("/compose/compose-spec.json")) {
            // its $id is relative (compose_spec.json): it needs the base it is published under; nothing is fetched from it
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(SchemaLocation.of(PUBLISHED), schema, InputFormat.JSON);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read the vendored compose-spec.json", e);
        }
    }

    /** The file as Compose reads it: SnakeYAML (YAML 1.1) applies the merge keys ({@code <<: *service}) first. */
    private static List<String> problems(Path composeFile) throws Exception {
        Object yaml;
        try (Reader reader = Files.newBufferedReader(composeFile)) {
            yaml = new org.yaml.snakeyaml.Yaml().load(reader);
        }
        JsonNode compose = Json.MAPPER.valueToTree(yaml);
        return COMPOSE_SPEC.validate(compose).stream().map(Error::toString).toList();
    }

    @Test
    void dockerComposeFollowsTheComposeSpecification() throws Exception {
        assertThat(problems(LabRun.repositoryRoot().resolve("docker-compose.yml"))).isEmpty();
    }

    @Test
    void aMisspeltKeyAndAValueOfTheWrongShapeAreRefused() throws Exception {
        List<String> problems = problems(Path.of(ComposeSchemaTest.class.getResource("/compose/broken-compose.yml").toURI()));

        assertThat(problems).as(String.join("\n", problems))
                .anySatisfy(p -> assertThat(p).contains("enviroment"))
                .anySatisfy(p -> assertThat(p).contains("ports").contains("array"));
    }
}
