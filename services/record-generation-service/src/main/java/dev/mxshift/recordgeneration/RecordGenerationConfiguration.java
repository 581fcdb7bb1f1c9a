package dev.mxshift.recordgeneration;

import dev.mxshift.service.EventAppender;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;
import java.time.Clock;

/** The record-generation service's adapters, from {@code mxshift.record-generation.*} in application.yml. */
@Configuration
class RecordGenerationConfiguration {

    /** Off only where a test exercises the bare shell (ServiceShellContract). */
    @Bean
    @ConditionalOnProperty(name = "mxshift.record-generation.handler.enabled", havingValue = "true", matchIfMissing = true)
    RecordGenerationHandler recordGenerationHandler(@Value("${mxshift.record-generation.lowered-ttl}") long loweredTtl,
                                                    @Value("${mxshift.record-generation.restored-ttl}") String restoredTtl,
                                                    @Value("${mxshift.record-generation.approved-checksums-file}") String approved,
                                                    EventAppender appender, MeterRegistry meters) {
        Long restored = restoredTtl.isBlank() ? null : Long.valueOf(restoredTtl.trim());
        PlanOptions base = new PlanOptions(loweredTtl, restored);
        return new RecordGenerationHandler(() -> approved.isBlank() ? base : base.reviewed(ReviewedChecksums.read(Path.of(approved))),
                appender, Clock.systemUTC(), meters);
    }
}
