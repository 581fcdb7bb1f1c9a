package dev.mxshift.dnspush.connectors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.mxshift.dnspush.connectors.StandInAnswers.answerJson;

/**
 * The reference implementation of the registrar webhook (docs/registrar-webhook.md): a registrar system that publishes
 * the DS it is given in the parent zone itself, here the lab's TLD zones on PowerDNS (as a registry's own systems do), so
 * the webhook path ends in a real parent zone that real resolvers validate against. About a hundred lines: what a
 * hoster writes in front of its EPP client or its registrar's API.
 */
public final class ReferenceRegistrarServer implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final String powerDnsApi;
    private final String apiKey;
    private final String token;
    private final List<String> requests = new ArrayList<>();

    public ReferenceRegistrarServer(String powerDnsApi, String apiKey, String token) throws IOException {
        this.powerDnsApi = powerDnsApi;
        this.apiKey = apiKey;
        this.token = token;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/registrar/v1/zones/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/registrar/v1";
    }

    /** What was asked, one line each ("PUT zone", "DELETE zone"), for tests. */
    public synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answerJson(exchange, 401, "{\"error\":\"unknown token\"}");
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            String[] parts = path.substring("/registrar/v1/zones/".length()).split("/");
            if (parts.length != 2 || !parts[1].equals("ds")) {
                answerJson(exchange, 404, "{\"error\":\"no such resource\"}");
                return;
            }
            String zone = URLDecoder.decode(parts[0], StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT);
            String parent = zone.substring(zone.indexOf('.') + 1);
            synchronized (this) {
                requests.add(exchange.getRequestMethod() + " " + zone);
            }
            String rrset;
            if (exchange.getRequestMethod().equals("PUT")) {
                JsonNode body = JSON.readTree(exchange.getRequestBody());
                StringBuilder records = new StringBuilder();
                for (JsonNode ds : body.path("ds")) {
                    records.append(records.isEmpty() ? "" : ",").append("{\"content\":\"").append(ds.asString()).append("\",\"disabled\":false}");
                }
                if (records.isEmpty()) {
                    answerJson(exchange, 422, "{\"error\":\"no DS given\"}");
                    return;
                }
                rrset = "{\"name\":\"" + zone + ".\",\"type\":\"DS\",\"ttl\":2,\"changetype\":\"REPLACE\",\"records\":[" + records + "]}";
            } else if (exchange.getRequestMethod().equals("DELETE")) {
                rrset = "{\"name\":\"" + zone + ".\",\"type\":\"DS\",\"changetype\":\"DELETE\"}";
            } else {
                answerJson(exchange, 405, "{\"error\":\"PUT or DELETE\"}");
                return;
            }
            HttpResponse<String> patched = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(powerDnsApi + "/servers/localhost/zones/" + parent + "."))
                    .header("X-API-Key", apiKey).header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"rrsets\":[" + rrset + "]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (patched.statusCode() / 100 != 2) {
                answerJson(exchange, 502, "{\"error\":\"the registry answered " + patched.statusCode() + "\"}");
                return;
            }
            answerJson(exchange, 200, "{\"reference\":\"" + parent + "-" + requests().size() + "\"}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
