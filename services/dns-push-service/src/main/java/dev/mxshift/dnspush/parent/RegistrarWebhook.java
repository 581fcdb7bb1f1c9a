package dev.mxshift.dnspush.parent;

import dev.mxshift.connector.ConnectorConfig;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.parent.DsSubmission;
import dev.mxshift.connector.parent.ParentChannel;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The DNSSEC stage's {@code webhook} parent path: a hoster's own registrar system (its EPP client, its registrar's API)
 * behind mxshift's JSON contract (docs/registrar-webhook.md). {@code PUT {url}/zones/{zone}/ds} with the DS (and the
 * DNSKEYs, for registries that take keys) asks for exactly that DS set at the parent; {@code DELETE} removes it. Both are
 * idempotent. The answer is the registrar's word only: the validation service then checks every parent server.
 */
public final class RegistrarWebhook implements ParentChannel {

    private final String id;
    private final String url;
    private final String token;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final java.net.http.HttpClient http;
    private final Duration timeout;

    public RegistrarWebhook(ConnectorConfig config) throws ConnectorException {
        this.id = config.id();
        this.url = config.required("url").replaceAll("/+$", "");
        // The token is resolved here, where it is used, and kept out of every message (invariant 5).
        this.token = config.settings().containsKey("token") ? config.secret("token") : null;
        this.timeout = Duration.ofSeconds(Long.parseLong(config.optional("timeout-seconds", "20")));
        this.http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String submit(DsSubmission submission) throws ConnectorException {
        ObjectNode body = JSON.createObjectNode();
        body.put("zone", submission.zone()).put("parent", submission.parent());
        ArrayNode ds = body.putArray("ds");
        submission.ds().forEach(ds::add);
        ArrayNode keys = body.putArray("dnskeys");
        submission.dnskeys().forEach(keys::add);
        JsonNode response = send("PUT", submission.zone(), body.toString(), "submit the DS of " + submission.zone());
        return "registrar system " + id + " took the DS of " + submission.zone() + " for " + submission.parent()
                + reference(response);
    }

    @Override
    public String withdraw(String zone, String parent) throws ConnectorException {
        JsonNode response = send("DELETE", zone, null, "withdraw the DS of " + zone);
        return "registrar system " + id + " withdrew the DS of " + zone + " at " + parent + reference(response);
    }

    private JsonNode send(String method, String zone, String body, String what) throws ConnectorException {
        String target = url + "/zones/" + URLEncoder.encode(zone, StandardCharsets.UTF_8) + "/ds";
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(target)).timeout(timeout)
                .header("Accept", "application/json")
                .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody() : java.net.http.HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        java.net.http.HttpResponse<String> response;
        try {
            response = http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            // the registrar system may have taken it: the request is repeated, and it is idempotent
            throw ConnectorException.outcomeUnknown(id + ": " + what + ": " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(ConnectorException.Kind.RETRYABLE, id + ": " + what + ": interrupted", e);
        }
        JsonNode json;
        try {
            json = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (RuntimeException e) {
            json = JSON.createObjectNode();
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return json;
        }
        String error = json.path("error").asString("");
        ConnectorException.Kind kind = status == 401 || status == 403 ? ConnectorException.Kind.AUTHENTICATION
                : status == 429 || status >= 500 ? ConnectorException.Kind.RETRYABLE : ConnectorException.Kind.PERMANENT;
        throw new ConnectorException(kind, id + ": " + what + ": HTTP " + status + (error.isEmpty() ? "" : " " + error), null,
                status >= 500 && status != 503);
    }

    private static String reference(JsonNode response) {
        String reference = response.path("reference").asString("");
        return reference.isEmpty() ? "" : " (reference " + reference + ")";
    }
}
