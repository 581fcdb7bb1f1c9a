package dev.mxshift.operator;

import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * An edit by hand through one of the lab's PowerDNS HTTP APIs (the hoster's {@code powerdnsApi}, or the registries'
 * {@code registryApi}), as a customer in a control panel or a person at a registry would make it.
 */
final class PowerDnsEdit {

    private PowerDnsEdit() {
    }

    /** Replaces {@code owner}'s {@code type} records in {@code zone} with {@code contents} at {@code ttl}; PowerDNS's answer (204 when done). */
    static HttpResponse<String> replace(JsonNode api, String zone, String owner, String type, long ttl, List<String> contents) throws Exception {
        StringBuilder records = new StringBuilder();
        for (String content : contents) {
            records.append(records.isEmpty() ? "" : ",").append("{\"content\":\"").append(content).append("\",\"disabled\":false}");
        }
        String body = "{\"rrsets\":[{\"name\":\"" + owner + ".\",\"type\":\"" + type + "\",\"ttl\":" + ttl
                + ",\"changetype\":\"REPLACE\",\"records\":[" + records + "]}]}";
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.path("url").asString() + "/servers/localhost/zones/" + zone + "."))
                .header("X-API-Key", api.path("apiKey").asString()).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
