package dev.mxshift.operator;

import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;

/**
 * How a command that appends events waits for them and shows what happened to each domain: {@code --wait} and
 * {@code --json}, shared by {@link ChangeCommand}'s commands and {@code fixes --approve}.
 */
final class ChangeResults {

    @Option(names = "--json", description = "print the result as JSON")
    boolean json;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60",
            description = "how long to wait for the services to record each change (default: ${DEFAULT-VALUE})")
    long waitSeconds;

    Duration waitTime() {
        return Duration.ofSeconds(waitSeconds);
    }

    /** One line a domain (outcome, domain, tenant, detail), or the results as JSON. */
    void print(PrintWriter out, Map<String, Operations.Result> results) {
        if (json) {
            out.println(Json.write(results.values()));
            return;
        }
        for (Operations.Result r : results.values()) {
            out.printf("%-8s %s%s: %s%n", r.outcome(), r.domain(), r.tenant() == null ? "" : " (" + r.tenant() + ")", r.detail());
        }
    }
}
