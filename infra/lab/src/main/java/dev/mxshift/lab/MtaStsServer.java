package dev.mxshift.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * nginx serving each tenant's MTA-STS policy at {@code https://mta-sts.<domain>/.well-known/mta-sts.txt}
 * (RFC 8461 section 3.3) with a certificate from the lab CA for that name, chosen by SNI.
 */
final class MtaStsServer {

    private final LabLayout layout;
    private final ServerProcess process;

    MtaStsServer(LabLayout layout) {
        this.layout = layout;
        this.process = new ServerProcess("nginx", layout.mtaSts());
    }

    ServerProcess process() {
        return process;
    }

    /**
     * The policy text, CRLF-separated as RFC 8461 section 3.2 specifies; the scenario's patterns are checked. The
     * patterns {@code legacy} and {@code target} stand for the tenant's own legacy and target hosts, so that a
     * synthetic tenant made from the scenario lists its own hosts, not the template's.
     */
    static String policy(LabInternet.Tenant tenant) {
        ScenarioSpec.MtaSts spec = tenant.spec().mtaSts();
        return new dev.mxshift.model.dns.MtaStsPolicy(
                dev.mxshift.model.dns.MtaStsPolicy.Mode.valueOf(spec.mode().toUpperCase(java.util.Locale.ROOT)),
                tenant.mtaStsPatterns(), spec.maxAge() == null ? 604800 : spec.maxAge()).text();
    }

    void start(List<LabInternet.Tenant> tenants, LabPki pki) {
        Path dir = layout.mtaSts();
        Path certs = dir.resolve("certs");
        Path policies = dir.resolve("policies");
        try {
            Files.createDirectories(certs);
            for (LabInternet.Tenant tenant : tenants) {
                if (tenant.spec().mtaSts() == null) {
                    continue;
                }
                String host = "mta-sts." + tenant.domain().value();
                LabPki.writeEndpoint(certs, host, LabPki.issue(pki.ca(), "CN=" + host, List.of(host)));
                Path wellKnown = Files.createDirectories(policies.resolve(host).resolve(".well-known"));
                Files.writeString(wellKnown.resolve("mta-sts.txt"), policy(tenant));
            }
            Files.writeString(dir.resolve("nginx.conf"), String.join("\n",
                    "# Written by the mxshift lab; rewritten at every lab up.",
                    "daemon off;",
                    "user root;",
                    "worker_processes 1;",
                    "pid " + dir.resolve("nginx.own.pid") + ";",
                    "error_log " + dir.resolve("error.log") + " warn;",
                    "events { worker_connections 256; }",
                    "http {",
                    "  access_log off;",
                    "  client_body_temp_path " + dir.resolve("tmp") + ";",
                    "  proxy_temp_path " + dir.resolve("tmp") + ";",
                    "  fastcgi_temp_path " + dir.resolve("tmp") + ";",
                    "  uwsgi_temp_path " + dir.resolve("tmp") + ";",
                    "  scgi_temp_path " + dir.resolve("tmp") + ";",
                    "  server {",
                    "    listen " + layout.mtaStsAddress() + ":" + layout.mtaStsPort() + " ssl;",
                    "    ssl_certificate " + certs + "/$ssl_server_name.chain.pem;",
                    "    ssl_certificate_key " + certs + "/$ssl_server_name.key;",
                    "    root " + policies + "/$ssl_server_name;",
                    "    location = /.well-known/mta-sts.txt { default_type text/plain; }",
                    "    location / { return 404; }",
                    "  }",
                    "}",
                    ""));
            Files.createDirectories(dir.resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the MTA-STS server's files in " + dir, e);
        }
        Commands.run(List.of("nginx", "-t", "-q", "-c", dir.resolve("nginx.conf").toString(), "-p", dir.toString()), null, 30);
        process.start(List.of("nginx", "-c", dir.resolve("nginx.conf").toString(), "-p", dir.toString()));
        process.awaitTcp(layout.mtaStsAddress(), layout.mtaStsPort(), Duration.ofSeconds(30));
    }
}
