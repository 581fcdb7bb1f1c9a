package dev.mxshift.discovery;

import dev.mxshift.discovery.dns.DnsClient;
import dev.mxshift.discovery.dns.ResolverSettings;
import dev.mxshift.discovery.mtasts.MtaStsPolicyFetcher;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;

/** The discovery service's adapters, from {@code mxshift.discovery.*}. */
@Configuration
@EnableConfigurationProperties(DiscoveryProperties.class)
class DiscoveryConfiguration {

    @Bean(destroyMethod = "close")
    DnsClient dnsClient(DiscoveryProperties properties) {
        ResolverSettings settings;
        if (!properties.resolvers().isEmpty() && !properties.authoritative().isEmpty()) {
            throw new IllegalArgumentException("set mxshift.discovery.resolvers or mxshift.discovery.authoritative, not both");
        } else if (!properties.resolvers().isEmpty()) {
            settings = ResolverSettings.recursive(properties.resolvers().stream().map(ResolverSettings::parseAddress).toList());
        } else if (!properties.authoritative().isEmpty()) {
            settings = ResolverSettings.authoritative(properties.authoritative().stream().map(ResolverSettings::parseServer).toList());
        } else {
            settings = ResolverSettings.system();
        }
        return new DnsClient(settings.withLimits(properties.queryTimeout(), properties.attempts(), properties.queriesInFlight())
                .withAuthoritativePorts(ResolverSettings.parsePorts(properties.authoritativePorts())));
    }

    @Bean(destroyMethod = "close")
    MtaStsPolicyFetcher mtaStsPolicyFetcher(DiscoveryProperties properties) {
        return new MtaStsPolicyFetcher(MtaStsPolicyFetcher.trusting(properties.caFile()), properties.mtaStsPort(),
                Duration.ofSeconds(10), 8);
    }

    @Bean
    DomainDiscoverer domainDiscoverer(DnsClient dns, MtaStsPolicyFetcher fetcher) {
        return new DomainDiscoverer(dns, fetcher);
    }

    /** Off only where a test exercises the bare shell (ServiceShellContract), which has no DNS to ask. */
    @Bean
    @ConditionalOnProperty(name = "mxshift.discovery.handler.enabled", havingValue = "true", matchIfMissing = true)
    DiscoveryHandler discoveryHandler(DomainDiscoverer discoverer, DiscoveryProperties properties,
                                      MeterRegistry meters) {
        return new DiscoveryHandler(discoverer, properties.domainTimeout(), Clock.systemUTC(), meters);
    }
}
