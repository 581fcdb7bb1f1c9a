package dev.mxshift.operator;

import dev.mxshift.operator.system.Service;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The options of {@code services start}: the JVM options it gives the four services, none (the JVM's tiered compilers)
 * unless told otherwise (decision 0045's addendum) and whatever the operator names instead; and {@code --instances SERVICE=N}, how many
 * instances of each service a start asks for.
 */
class ServicesCommandTest {

    private static ServicesCommand parsed(String... args) {
        ServicesCommand command = new ServicesCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void theServicesRunTheJvmsOwnCompilersByDefault() {
        // the environment's MXSHIFT_SERVICE_JVM_OPTIONS wins over the default; the build runs without it
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("MXSHIFT_SERVICE_JVM_OPTIONS") == null);

        assertThat(parsed("start").jvmOptionList()).isEmpty();
    }

    @Test
    void theOperatorsOptionsReplaceTheDefault() {
        assertThat(parsed("start", "--jvm-options", " -XX:TieredStopAtLevel=4  -Xss512k").jvmOptionList())
                .containsExactly("-XX:TieredStopAtLevel=4", "-Xss512k");
        assertThat(parsed("start", "--jvm-options", "").jvmOptionList()).isEmpty();
    }

    @Test
    void withoutTheOptionEveryServiceRunsOnce() {
        assertThat(parsed("start").instanceCounts()).containsExactlyInAnyOrderEntriesOf(Map.of(
                Service.DISCOVERY, 1, Service.VALIDATION, 1, Service.RECORD_GENERATION, 1, Service.DNS_PUSH, 1));
    }

    @Test
    void namedServicesGetTheirCountAndZeroLeavesOneOut() {
        assertThat(parsed("start", "--instances", "validation-service=4,dns-push-service=0").instanceCounts())
                .containsEntry(Service.VALIDATION, 4).containsEntry(Service.DNS_PUSH, 0)
                .containsEntry(Service.DISCOVERY, 1).containsEntry(Service.RECORD_GENERATION, 1);
        assertThat(parsed("start", "--instances", "validation-service=2", "--instances", "discovery-service=3").instanceCounts())
                .containsEntry(Service.VALIDATION, 2).containsEntry(Service.DISCOVERY, 3);
    }

    @Test
    void anUnknownServiceIsNamedWithTheOnesThatExist() {
        assertThatThrownBy(() -> parsed("start", "--instances", "validator=2").instanceCounts())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no service 'validator'")
                .hasMessageContaining("validation-service");
    }

    @Test
    void aCountOutsideZeroToNinetyNineIsRefused() {
        assertThatThrownBy(() -> parsed("start", "--instances", "validation-service=-1").instanceCounts())
                .hasMessageContaining("validation-service=-1").hasMessageContaining("0 to 99");
        assertThatThrownBy(() -> parsed("start", "--instances", "validation-service=100").instanceCounts())
                .hasMessageContaining("0 to 99");
    }
}
