package dev.mxshift.operator;

import dev.mxshift.operator.system.Service;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
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

    /** Each attempt may wait this long: eight service JVMs and a broker share two cores while a run is busy. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    private static final int ATTEMPTS = 3;

    /**
     * The instance's Prometheus text. A request that timed out is asked again (up to {@value #ATTEMPTS} times): a
     * service that is busy starting or catching up answers late, and a late answer is not evidence of anything. A
     * refused connection or another status is reported at once.
     */
    private static String scrape(Service service, int instance) {
        URI uri = URI.create("http://127.0.0.1:" + service.port(instance) + "/actuator/prometheus");
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(uri + " answered " + r.statusCode());
                }
                return r.body();
            } catch (HttpTimeoutException e) {
                if (attempt == ATTEMPTS) {
                    throw new IllegalStateException(uri + ": no answer in " + ATTEMPTS + " attempts of " + REQUEST_TIMEOUT.toSeconds() + " s", e);
                }
            } catch (IOException e) {
                throw new IllegalStateException(uri + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
