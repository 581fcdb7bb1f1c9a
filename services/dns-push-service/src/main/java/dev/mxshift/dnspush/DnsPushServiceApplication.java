package dev.mxshift.dnspush;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The dns-push service: Connector SPI and connectors; applies one plan step at a time as a compare-and-set.
 * Today it is a shell: it consumes the event log in its own consumer group and counts the events it owns;
 * its decisions arrive as {@code OwnedEventHandler}s with the issue that defines them.
 */
@SpringBootApplication
public class DnsPushServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(DnsPushServiceApplication.class, args);
    }
}
