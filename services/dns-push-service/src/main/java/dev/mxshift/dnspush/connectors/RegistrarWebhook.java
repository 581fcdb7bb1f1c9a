package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ConnectorConfig;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.parent.DsSubmission;
import dev.mxshift.connector.parent.ParentChannel;
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
    private final JsonHttp http;

    public RegistrarWebhook(ConnectorConfig config) throws ConnectorException {
        this.id = config.id();
        this.url = config.required("url").replaceAll("/+$", "");
        // The token is resolved here, where it is used, and kept out of every message (invariant 5).
        this.token = config.settings().containsKey("token") ? config.secret("token") : null;
        this.http = new JsonHttp(id, Duration.parse("PT" + config.optional("timeout-seconds", "20") + "S"));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String submit(DsSubmission submission) throws ConnectorException {
        ObjectNode body = JsonHttp.JSON.createObjectNode();
        body.put("zone", submission.zone()).put("parent", submission.parent());
        ArrayNode ds = body.putArray("ds");
        submission.ds().forEach(ds::add);
        ArrayNode keys = body.putArray("dnskeys");
        submission.dnskeys().forEach(keys::add);
        JsonHttp.Response response = send("PUT", submission.zone(), body.toString(), "submit the DS of " + submission.zone());
        return "registrar system " + id + " took the DS of " + submission.zone() + " for " + submission.parent()
                + reference(response);
    }

    @Override
    public String withdraw(String zone, String parent) throws ConnectorException {
        JsonHttp.Response response = send("DELETE", zone, null, "withdraw the DS of " + zone);
        return "registrar system " + id + " withdrew the DS of " + zone + " at " + parent + reference(response);
    }

    private JsonHttp.Response send(String method, String zone, String body, String what) throws ConnectorException {
        String target = url + "/zones/" + URLEncoder.encode(zone, StandardCharsets.UTF_8) + "/ds";
        JsonHttp.Response response = http.send(method, target, token == null ? Map.of() : Map.of("Authorization", "Bearer " + token), body, what);
        if (response.ok()) {
            return response;
        }
        String error = response.body().path("error").asString("");
        throw JsonHttp.failure(response.status(), id + ": " + what + ": HTTP " + response.status() + (error.isEmpty() ? "" : " " + error));
    }

    private static String reference(JsonHttp.Response response) {
        String reference = response.body().path("reference").asString("");
        return reference.isEmpty() ? "" : " (reference " + reference + ")";
    }
}
