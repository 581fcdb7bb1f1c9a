package dev.mxshift.validation;

import dev.mxshift.service.EventAppender;
import dev.mxshift.validation.preflight.PreflightPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The validation service's adapters, from {@code mxshift.validation.*} in application.yml. */
@Configuration
@org.springframework.boot.context.properties.EnableConfigurationProperties({UnsignedZoneProperties.class, SigningProperties.class})
class ValidationConfiguration {

    /** Off only where a test exercises the bare shell (ServiceShellContract), which has no lab to look at. */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "mxshift.validation.handler.enabled", havingValue = "true", matchIfMissing = true)
    ValidationHandler validationHandler(@Value("${mxshift.validation.resolver}") String resolver,
                                        @Value("${mxshift.validation.trust-anchor-file}") String trustAnchor,
                                        @Value("${mxshift.validation.smtp-port}") int smtpPort,
                                        @Value("${mxshift.validation.authoritative-ports}") List<String> ports,
                                        @Value("${mxshift.validation.allow-insecure-zone:false}") boolean allowInsecure,
                                        UnsignedZoneProperties unsignedZone, SigningProperties signing,
                                        @Value("${mxshift.validation.plan-updates-mta-sts}") boolean planUpdatesMtaSts,
                                        @Value("${mxshift.validation.verify-attempts}") int attempts,
                                        @Value("${mxshift.validation.verify-interval}") Duration interval,
                                        @Value("${mxshift.validation.dane-verify-attempts}") int daneAttempts,
                                        @Value("${mxshift.validation.dane-verify-interval}") Duration daneInterval,
                                        @Value("${mxshift.validation.parent-verify-attempts:168}") int parentAttempts,
                                        @Value("${mxshift.validation.parent-verify-interval:1h}") Duration parentInterval,
                                        EventAppender appender, MeterRegistry meters) {
        InetSocketAddress address = address(resolver);
        ValidationSettings settings = new ValidationSettings(address, Path.of(trustAnchor), smtpPort, ValidationSettings.ports(ports),
                new PreflightPolicy(unsignedZone.defaultFor(allowInsecure), unsignedZone.waves(), unsignedZone.tenants(), planUpdatesMtaSts,
                        signing.policy()));
        Reverification reverification;
        try {
            reverification = new Reverification(attempts, interval, daneAttempts, daneInterval, parentAttempts, parentInterval);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mxshift.validation.verify-* / dane-verify-* / parent-verify-*: " + e.getMessage(), e);
        }
        return new ValidationHandler(settings.build(Clock.systemUTC()), reverification, appender, Clock.systemUTC(), meters);
    }

    static InetSocketAddress address(String text) {
        int colon = text.lastIndexOf(':');
        if (text.isBlank() || colon < 1) {
            throw new IllegalArgumentException("mxshift.validation.resolver must be IP:PORT of a recursive resolver, got '" + text + "'");
        }
        return new InetSocketAddress(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
    }
}
