package dev.mxshift.operator;

import dev.mxshift.operator.api.ApiSettings;
import dev.mxshift.operator.api.ApiTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** Serves the operator's HTTP API until stopped. */
@Command(name = "api", mixinStandardHelpOptions = true,
        description = "Serve the operator's HTTP API (OpenAPI document at /api/v1/openapi.yaml) with bearer tokens from a file.",
        footer = {"", "Tokens: one line per token, NAME SCOPE SHA256-HEX [expires=INSTANT] (scope: a tenant, or * for all); make one with",
                "api-token. The file is read again when it changes: delete a line to revoke a token, no restart needed.", "",
                "Every call is written to standard output as one JSON line (time, actor, tenantScope, channel, operation,",
                "domains, domainCount, status): the audit log. Tokens never appear in it.", "",
                "Plain HTTP is served on loopback only, unless --plain-http-on-network; elsewhere give --tls-certificate and --tls-key.", "",
                "The web console is served at / on the same port: sign in with a token.", "",
                "--new-token NAME (the demo, a lab) adds an all-tenants token named NAME to the token file (made if missing) and prints it",
                "with the console's URL on standard error, once.", "",
                "Examples:", "  api --tokens /etc/mxshift/api-tokens --port 8090", "  api --tokens target/demo-console/api-tokens --new-token demo",
                "  api --tokens /etc/mxshift/api-tokens --address 0.0.0.0 --tls-certificate /etc/mxshift/api.crt --tls-key /etc/mxshift/api.key",
                "  curl -H 'Authorization: Bearer mxs_...' http://127.0.0.1:8090/api/v1/status"})
final class ApiCommand extends EventLogCommand implements Callable<Integer> {

    @Option(names = "--tokens", paramLabel = "FILE", required = true, description = "the token file")
    Path tokens;

    @Option(names = "--address", paramLabel = "IP", defaultValue = "127.0.0.1", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String address;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8090", description = "port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--tls-certificate", paramLabel = "PEM", description = "serve HTTPS with this certificate chain (PEM)")
    Path tlsCertificate;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "the certificate's private key (PEM)")
    Path tlsKey;

    @Option(names = "--plain-http-on-network", description = "allow plain HTTP on an address that is not loopback (only behind a TLS proxy)")
    boolean plainHttpOnNetwork;

    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "33554432",
            description = "refuse a larger request body with 413 (default: ${DEFAULT-VALUE}, 32 MiB)")
    long maxBody;

    @Option(names = "--request-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "answer a call that takes longer 503 TIMEOUT (default: ${DEFAULT-VALUE})")
    long requestTimeout;

    @Option(names = "--rate-limit", paramLabel = "N", defaultValue = "20",
            description = "calls a second per token; more are 429 with Retry-After (default: ${DEFAULT-VALUE})")
    int rateLimit;

    @Option(names = "--connectors", paramLabel = "FILE", description = "connectors POST /inventory-from lists (JSON, as inventory-from --connectors)")
    Path connectorsFile;

    @Option(names = "--endpoints", paramLabel = "FILE", description = "a lab's endpoints.json, for POST /inventory-from")
    Path endpoints;

    @Option(names = "--zone-files", paramLabel = "DIR", description = "zone-file directories POST /inventory-from lists (repeatable)")
    java.util.List<Path> zoneFiles = new java.util.ArrayList<>();

    @Option(names = "--new-token", paramLabel = "NAME", description = "add an all-tenants token NAME to the token file and print it with"
            + " the console's URL (the demo)")
    String newToken;

    /** Adds an all-tenants token to the file (made owner-only if missing), for the demo: the token is shown once, never stored. */
    static ApiTokens.NewToken addAllTenantsToken(Path tokens, String name) throws java.io.IOException {
        ApiTokens.NewToken token = ApiTokens.generate(name, "*");
        if (!java.nio.file.Files.exists(tokens)) {
            java.nio.file.Files.createDirectories(tokens.toAbsolutePath().getParent());
            java.nio.file.Files.createFile(tokens);
            try {
                java.nio.file.Files.setPosixFilePermissions(tokens, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: its own permissions apply
            }
        }
        java.nio.file.Files.writeString(tokens, token.line() + System.lineSeparator(), java.nio.file.StandardOpenOption.APPEND);
        return token;
    }

    /** What the demo prints: where the console is and the token to sign in with. */
    static String announcement(String scheme, String address, int port, String token) {
        String url = scheme + "://" + address + ":" + port + "/";
        return "console: " + url + " (the operator console; the API is at " + url + "api/v1/)" + System.lineSeparator()
                + "console: sign in with this all-tenants token (shown once): " + token;
    }

    @Override
    public Integer call() throws Exception {
        ApiSettings settings = new ApiSettings(new InetSocketAddress(address, port), tlsCertificate, tlsKey, plainHttpOnNetwork, maxBody,
                java.time.Duration.ofSeconds(requestTimeout), rateLimit, java.time.Duration.ofSeconds(60));
        ApiTokens.NewToken made = newToken == null ? null : addAllTenantsToken(tokens, newToken);
        ApiTokens known = ApiTokens.read(tokens);
        java.io.PrintWriter out = out();
        try (EventLog log = kafka.eventLog();
             OperatorApi api = new OperatorApi(settings, log, known, line -> {
                 synchronized (out) {
                     out.println(line);
                     out.flush();
                 }
             }, new SweepSources.Config(connectorsFile, endpoints, zoneFiles))) {
            err().println("api: serving " + (api.https() ? "https" : "http") + "://" + address + ":" + api.port()
                    + "/api/v1/ (Ctrl-C stops)");
            if (made != null) {
                err().println(announcement(api.https() ? "https" : "http", address, api.port(), made.token()));
                err().flush();
            }
            new CountDownLatch(1).await();
        }
        return 0;
    }
}
