package dev.mxshift.recordgeneration;

import dev.mxshift.model.dns.TenantId;
import dev.mxshift.service.SecretReference;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * How the record-generation service reads Microsoft's target hosts from Microsoft Graph ({@code
 * mxshift.record-generation.graph.*}, decision 0034). Off while {@code base-url} is empty. A Graph token is good for one
 * Microsoft tenant, so each mxshift tenant may name its own ({@code tenant-tokens}); {@code token} serves the tenants not
 * listed (one Microsoft tenant for all, or none: then only the listed tenants are looked up). Tokens are references
 * (env:NAME, file:/path), resolved at every request, so a file rewritten by whatever renews the token counts at once.
 *
 * @param requestsPerSecond at most this many lookups a second, whatever the number of waiting domains
 * @param lookAgain         how long a domain Microsoft has not assigned yet waits before it is asked about again
 * @param afterProblem      the same after a refusal, an unknown domain or a failure (reported once)
 * @param attempts          how many times one throttled or unavailable request is sent at most (Resilience4j)
 * @param maxWait           the longest wait between those attempts, whatever Retry-After says
 */
public record GraphSettings(URI baseUrl, SecretReference defaultToken, Map<TenantId, SecretReference> tenantTokens,
                            int requestsPerSecond, Duration lookAgain, Duration afterProblem, int attempts, Duration maxWait) {

    public static final String PREFIX = "mxshift.record-generation.graph.";

    public GraphSettings {
        tenantTokens = Map.copyOf(tenantTokens);
    }

    /** The token for the tenant's domains, if Graph may be asked about them. */
    public Optional<SecretReference> tokenFor(TenantId tenant) {
        SecretReference own = tenantTokens.get(tenant);
        return Optional.ofNullable(own != null ? own : defaultToken);
    }

    /** For people and the console: which tenants Graph serves ({@code *} for every tenant). */
    public String tenantsServed() {
        if (defaultToken != null) {
            return "*";
        }
        return String.join(",", tenantTokens.keySet().stream().map(TenantId::value).sorted().toList());
    }

    /**
     * The settings from their configuration values, or empty when {@code baseUrl} is blank (Graph not configured).
     * Every token is resolved once through {@code environment}, so a reference to nothing stops the service at start.
     *
     * @throws IllegalArgumentException naming the key and what is wrong with its value
     */
    public static Optional<GraphSettings> of(String baseUrl, String token, String tenantTokens, int requestsPerSecond,
                                             Duration lookAgain, Duration afterProblem, int attempts, Duration maxWait,
                                             Function<String, String> environment) {
        if (baseUrl == null || baseUrl.isBlank()) {
            return Optional.empty();
        }
        URI url;
        try {
            url = URI.create(baseUrl.strip().replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            throw bad("base-url", "is not a URL: " + e.getMessage());
        }
        if (!("https".equals(url.getScheme()) || "http".equals(url.getScheme())) || url.getHost() == null) {
            throw bad("base-url", "must be an http(s) URL such as https://graph.microsoft.com/v1.0, not " + baseUrl);
        }
        SecretReference defaultToken = token == null || token.isBlank() ? null : reference("token", token.strip(), environment);
        Map<TenantId, SecretReference> tokens = new LinkedHashMap<>();
        if (tenantTokens != null) {
            for (String entry : tenantTokens.split(",")) {
                if (entry.isBlank()) {
                    continue;
                }
                int eq = entry.indexOf('=');
                if (eq <= 0) {
                    throw bad("tenant-tokens", "lists TENANT=env:NAME or TENANT=file:/path, comma-separated; an entry has no '=' or no tenant");
                }
                TenantId tenant;
                try {
                    tenant = TenantId.of(entry.substring(0, eq).strip());
                } catch (RuntimeException e) {
                    throw bad("tenant-tokens", "names a tenant that is not a tenant id: " + e.getMessage());
                }
                if (tokens.put(tenant, reference("tenant-tokens", entry.substring(eq + 1).strip(), environment)) != null) {
                    throw bad("tenant-tokens", "names tenant " + tenant + " twice");
                }
            }
        }
        if (defaultToken == null && tokens.isEmpty()) {
            throw bad("token", "is needed with base-url (or tenant-tokens): the reference of a Graph token with Domain.Read.All,"
                    + " env:NAME or file:/path");
        }
        if (requestsPerSecond < 1) {
            throw bad("requests-per-second", "must be at least 1, not " + requestsPerSecond);
        }
        if (attempts < 1) {
            throw bad("attempts", "must be at least 1, not " + attempts);
        }
        for (var d : Map.of("look-again", lookAgain, "look-again-after-problem", afterProblem, "max-wait", maxWait).entrySet()) {
            if (d.getValue() == null || d.getValue().isNegative() || d.getValue().isZero()) {
                throw bad(d.getKey(), "must be a positive duration (30s, 10m), not " + d.getValue());
            }
        }
        return Optional.of(new GraphSettings(url, defaultToken, tokens, requestsPerSecond, lookAgain, afterProblem, attempts, maxWait));
    }

    private static SecretReference reference(String key, String value, Function<String, String> environment) {
        SecretReference ref;
        try {
            ref = new SecretReference(value);
        } catch (IllegalArgumentException e) {
            throw bad(key, e.getMessage());
        }
        try {
            ref.resolve(environment);
        } catch (IllegalStateException e) {
            throw bad(key, e.getMessage());
        }
        return ref;
    }

    private static IllegalArgumentException bad(String key, String why) {
        return new IllegalArgumentException(PREFIX + key + " " + why);
    }
}
