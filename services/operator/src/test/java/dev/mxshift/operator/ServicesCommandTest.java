package dev.mxshift.operator;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JVM options {@code services start} gives the four services: only the client compiler unless told otherwise
 * (decision 0045), and whatever the operator names instead.
 */
class ServicesCommandTest {

    private static ServicesCommand parsed(String... args) {
        ServicesCommand command = new ServicesCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void theServicesRunOnlyTheClientCompilerByDefault() {
        // the environment's MXSHIFT_SERVICE_JVM_OPTIONS wins over the default; the build runs without it
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("MXSHIFT_SERVICE_JVM_OPTIONS") == null);

        assertThat(parsed("start").jvmOptionList()).containsExactly("-XX:TieredStopAtLevel=1");
    }

    @Test
    void theOperatorsOptionsReplaceTheDefault() {
        assertThat(parsed("start", "--jvm-options", " -XX:TieredStopAtLevel=4  -Xss512k").jvmOptionList())
                .containsExactly("-XX:TieredStopAtLevel=4", "-Xss512k");
        assertThat(parsed("start", "--jvm-options", "").jvmOptionList()).isEmpty();
    }
}
