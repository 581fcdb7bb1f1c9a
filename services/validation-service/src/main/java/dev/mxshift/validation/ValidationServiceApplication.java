package dev.mxshift.validation;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The validation service: DNSSEC, SMTP DANE, MTA-STS and propagation checks; preflight gates and post-step verification.
 * Today it is a shell: it consumes the event log in its own consumer group and counts the events it owns;
 * its decisions arrive as {@code OwnedEventHandler}s with the issue that defines them.
 */
@SpringBootApplication
public class ValidationServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(ValidationServiceApplication.class, args);
    }
}
