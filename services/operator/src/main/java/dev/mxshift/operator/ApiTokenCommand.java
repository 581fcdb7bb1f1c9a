package dev.mxshift.operator;

import dev.mxshift.operator.api.ApiTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** Makes a new API token: prints the token once, and the line that admits it (only its hash is kept). */
@Command(name = "api-token", mixinStandardHelpOptions = true,
        description = "Make an API token: prints the token (give it to its user; it is not kept) and the line to add to the token file.",
        footer = {"", "Examples:", "  api-token --name contoso-ops --tenant tenant-contoso", "  api-token --name noc --all-tenants",
                "  api-token --name partner-portal --tenant tenant-contoso --expires 30d"})
final class ApiTokenCommand implements Callable<Integer> {

    @Option(names = "--name", paramLabel = "NAME", required = true, description = "who holds it (recorded in the events it causes)")
    String name;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "the one tenant it may see and act on")
    String tenant;

    @Option(names = "--all-tenants", description = "it may see and act on every tenant")
    boolean allTenants;

    @Option(names = "--expires", paramLabel = "WHEN", description = "refuse it from then on: a number of days (30d), or an instant (2027-01-31T00:00:00Z); default: never")
    String expires;

    @Option(names = "--json", description = "print the token and the line as JSON (name, scope, token, line)")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if ((tenant == null) == !allTenants) {
            throw new IllegalArgumentException("give exactly one of --tenant TENANT or --all-tenants");
        }
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("--name may hold letters, digits, '.', '_' and '-' only");
        }
        if (tenant != null) {
            tenant = dev.mxshift.model.dns.TenantId.of(tenant).value();
        }
        java.time.Instant until = null;
        if (expires != null) {
            try {
                until = expires.matches("\\d{1,5}d") ? java.time.Instant.now().plus(java.time.Duration.ofDays(Long.parseLong(expires.substring(0, expires.length() - 1))))
                        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS) : java.time.Instant.parse(expires);
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("--expires '" + expires + "': give a number of days (30d) or an instant (2027-01-31T00:00:00Z)");
            }
        }
        ApiTokens.NewToken token = ApiTokens.generate(name, allTenants ? "*" : tenant, until);
        if (json) {
            java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
            out.put("name", name);
            out.put("scope", allTenants ? "*" : tenant);
            out.put("token", token.token());
            out.put("line", token.line());
            out.put("expires", until == null ? null : until.toString());
            spec.commandLine().getOut().println(Json.write(out));
            return 0;
        }
        spec.commandLine().getErr().println("token (shown once; give it to " + name + "):");
        spec.commandLine().getOut().println(token.token());
        spec.commandLine().getErr().println("add this line to the token file:");
        spec.commandLine().getErr().println(token.line());
        return 0;
    }
}
