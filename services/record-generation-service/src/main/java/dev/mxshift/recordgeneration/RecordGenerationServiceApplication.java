package dev.mxshift.recordgeneration;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The record-generation service: Target MX, staged plan, rollback plan and dry-run report.
 * It consumes the event log in its own consumer group; {@link RecordGenerationHandler} acts on the events it owns.
 */
@SpringBootApplication
public class RecordGenerationServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(RecordGenerationServiceApplication.class, args);
    }
}
