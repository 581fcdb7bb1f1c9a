package dev.mxshift.dnspush;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The dns-push service: Connector SPI and connectors; applies one plan step at a time as a compare-and-set.
 * It consumes the event log in its own consumer group; {@link PushHandler} applies the steps and
 * {@link dev.mxshift.dnspush.timers.WaitTimers} ends the waits between them.
 */
@SpringBootApplication
public class DnsPushServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(DnsPushServiceApplication.class, args);
    }
}
