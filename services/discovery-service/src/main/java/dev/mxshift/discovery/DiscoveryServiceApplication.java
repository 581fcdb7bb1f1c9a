package dev.mxshift.discovery;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The discovery service: Inventory in, each domain's DNS facts out.
 * Today it is a shell: it consumes the event log in its own consumer group and counts the events it owns;
 * its decisions arrive as {@code OwnedEventHandler}s with the issue that defines them.
 */
@SpringBootApplication
public class DiscoveryServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(DiscoveryServiceApplication.class, args);
    }
}
