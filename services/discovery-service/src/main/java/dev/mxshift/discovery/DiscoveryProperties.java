package dev.mxshift.discovery;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code mxshift.discovery.*} in application.yml: where the service sends its DNS queries and how it fetches
 * MTA-STS policies. {@code resolvers} (IP[:PORT]) for a recursive resolver, or {@code authoritative}
 * (IP[:PORT][=zone,...]) for the hoster's own servers; neither: the system's resolvers. {@code authoritativePorts}
 * (ADDRESS=PORT): zone servers, asked for the MX beside a resolver, that listen elsewhere than port 53 (the lab's).
 */
@ConfigurationProperties("mxshift.discovery")
public record DiscoveryProperties(List<String> resolvers, List<String> authoritative, List<String> authoritativePorts,
                                  Duration queryTimeout, int attempts, int queriesInFlight, Duration domainTimeout,
                                  String mtaStsCaFile, int mtaStsPort) {
    public DiscoveryProperties {
        resolvers = resolvers == null ? List.of() : resolvers.stream().filter(r -> !r.isBlank()).toList();
        authoritative = authoritative == null ? List.of() : authoritative.stream().filter(a -> !a.isBlank()).toList();
        authoritativePorts = authoritativePorts == null ? List.of() : authoritativePorts.stream().filter(a -> !a.isBlank()).toList();
        queryTimeout = queryTimeout == null ? Duration.ofSeconds(2) : queryTimeout;
        attempts = attempts == 0 ? 4 : attempts;
        queriesInFlight = queriesInFlight == 0 ? 256 : queriesInFlight;
        domainTimeout = domainTimeout == null ? Duration.ofSeconds(60) : domainTimeout;
        mtaStsPort = mtaStsPort == 0 ? 443 : mtaStsPort;
    }

    /** The CA file for MTA-STS fetches; null: the JVM's roots. */
    public Path caFile() {
        return mtaStsCaFile == null || mtaStsCaFile.isBlank() ? null : Path.of(mtaStsCaFile);
    }
}
