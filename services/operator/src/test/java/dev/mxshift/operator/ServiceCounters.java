package dev.mxshift.operator;

import dev.mxshift.operator.system.Service;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What a running service process has read of the event log, from its Prometheus endpoint: the evidence a test waits
 * for when it must show that nothing happened (the service read past the point, and did not act), instead of a pause.
 */
final class ServiceCounters {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServiceCounters() {
    }

    /**
     * The events of {@code type} (any type when null) the instance has read, those it acted on ({@code owned} "true"),
     * did not own ("false") or both (null); stale events are not counted (EventLogConsumer.CONSUMED).
     */
    static double consumed(Service service, int instance, String type, String owned) {
        String text = scrape(service, instance);
        double sum = 0;
        for (String line : text.lines().toList()) {
            if (!line.startsWith("mxshift_events_consumed_total{")) {
                continue;
            }
            String labels = line.substring(line.indexOf('{'), line.lastIndexOf('}') + 1);
            if ((type == null || labels.contains("type=\"" + type + "\"")) && (owned == null || labels.contains("owned=\"" + owned + "\""))) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static String scrape(Service service, int instance) {
        URI uri = URI.create("http://127.0.0.1:" + service.port(instance) + "/actuator/prometheus");
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + r.statusCode());
            }
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException(uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
