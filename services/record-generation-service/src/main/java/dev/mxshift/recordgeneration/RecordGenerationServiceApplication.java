package dev.mxshift.recordgeneration;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The record-generation service: Target MX, staged plan, rollback plan and dry-run report.
 * Today it is a shell: it consumes the event log in its own consumer group and counts the events it owns;
 * its decisions arrive as {@code OwnedEventHandler}s with the issue that defines them.
 */
@SpringBootApplication
public class RecordGenerationServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(RecordGenerationServiceApplication.class, args);
    }
}
