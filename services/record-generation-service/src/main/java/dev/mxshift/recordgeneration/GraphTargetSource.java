package dev.mxshift.recordgeneration;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.MxHostKind;
import dev.mxshift.service.SecretReference;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads the mx.microsoft host Microsoft assigned a domain from Microsoft Graph:
 * {@code GET /domains/{id}/serviceConfigurationRecords}, the {@code mailExchange} of the record whose
 * {@code recordType} is {@code Mx}. Until Enable-DnssecForVerifiedDomain has run, that is still the legacy host,
 * which is reported as not yet assigned. Throttling (429) and unavailability (503, 504) are retried with
 * Resilience4j, waiting as {@code Retry-After} says, within a bound. The token is referenced by name and never
 * appears in a result or an exception.
 */
public final class GraphTargetSource {

    /** What Graph said about one domain. */
    public sealed interface Lookup {
        record Assigned(DomainName targetHost) implements Lookup {
        }

        record NotYetAssigned(String mailExchange) implements Lookup {
        }

        record UnknownDomain(String message) implements Lookup {
        }

        record Unauthorized(String message) implements Lookup {
        }

        record Throttled(Duration retryAfter) implements Lookup {
        }

        record Failed(String message) implements Lookup {
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI baseUrl;
    private final SecretReference token;
    private final HttpClient http;
    private final Retry retry;
    private final Duration maxWait;

    /**
     * @param baseUrl  e.g. https://graph.microsoft.com/v1.0 (a national cloud's, or a local test server's)
     * @param attempts how many times a throttled or unavailable request is sent at most
     * @param maxWait  the longest wait between attempts, whatever Retry-After says
     */
    public GraphTargetSource(URI baseUrl, SecretReference token, HttpClient http, int attempts, Duration maxWait) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.http = http;
        this.maxWait = maxWait;
        IntervalBiFunction<HttpResponse<String>> wait = (attempt, outcome) -> outcome.isRight()
                ? retryAfter(outcome.get()).orElse(Duration.ofSeconds(attempt)).toMillis()
                : Math.min(maxWait.toMillis(), 500L * attempt);
        this.retry = Retry.of("microsoft-graph", RetryConfig.<HttpResponse<String>>custom()
                .maxAttempts(attempts)
                .retryOnResult(r -> r.statusCode() == 429 || r.statusCode() == 503 || r.statusCode() == 504)
                .retryExceptions(IOException.class)
                .intervalBiFunction(wait)
                .failAfterMaxAttempts(false)
                .build());
    }

    public Lookup lookup(DomainName domain) {
        URI uri = URI.create(baseUrl + "/domains/" + URLEncoder.encode(domain.value(), StandardCharsets.UTF_8)
                + "/serviceConfigurationRecords");
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token.resolve())
                .header("Accept", "application/json").GET().build();
        HttpResponse<String> response;
        try {
            response = retry.executeCallable(() -> http.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return new Lookup.Failed("Microsoft Graph did not answer for " + domain + ": " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Lookup.Failed("interrupted while asking Microsoft Graph about " + domain);
        } catch (Exception e) {
            return new Lookup.Failed("Microsoft Graph request for " + domain + " failed: " + e.getClass().getSimpleName());
        }
        int status = response.statusCode();
        if (status == 200) {
            return fromRecords(domain, response.body());
        }
        String error = graphError(response.body());
        return switch (status) {
            case 401, 403 -> new Lookup.Unauthorized("Microsoft Graph refused the token " + token + " (" + status + "): " + error
                    + "; it needs Domain.Read.All");
            case 404 -> new Lookup.UnknownDomain(domain + " is not a domain of this tenant in Microsoft Graph: " + error);
            case 429, 503, 504 -> new Lookup.Throttled(retryAfter(response).orElse(Duration.ofSeconds(60)));
            default -> new Lookup.Failed("Microsoft Graph answered " + status + " for " + domain + ": " + error);
        };
    }

    private static Lookup fromRecords(DomainName domain, String body) {
        try {
            for (JsonNode record : JSON.readTree(body).path("value")) {
                if ("Mx".equalsIgnoreCase(record.path("recordType").asString(""))) {
                    String exchange = record.path("mailExchange").asString("");
                    DomainName host;
                    try {
                        host = DomainName.of(exchange);
                    } catch (IllegalArgumentException e) {
                        return new Lookup.Failed("Microsoft Graph gave " + domain + " an MX host that is not a host name: " + e.getMessage());
                    }
                    return MxHostKind.of(host) == MxHostKind.DANE_EXCHANGE_ONLINE ? new Lookup.Assigned(host)
                            : new Lookup.NotYetAssigned(host.value());
                }
            }
            return new Lookup.Failed("Microsoft Graph lists no MX record for " + domain);
        } catch (JacksonException e) {
            return new Lookup.Failed("Microsoft Graph's answer for " + domain + " is not the documented JSON: " + e.getOriginalMessage());
        }
    }

    private Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v.trim())));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }).map(d -> d.compareTo(maxWait) > 0 ? maxWait : d);
    }

    private static String graphError(String body) {
        try {
            JsonNode error = JSON.readTree(body).path("error");
            return error.path("code").asString("?") + ": " + error.path("message").asString("");
        } catch (JacksonException e) {
            return "(no Graph error body)";
        }
    }
}
