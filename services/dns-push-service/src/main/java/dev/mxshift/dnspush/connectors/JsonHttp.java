package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ConnectorException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The HTTP the JSON-speaking connectors share: one request with the API's credentials and a body, the answer's status and JSON
 * (an empty object when the body is empty or not JSON), a failure to get any answer as a retryable connector
 * failure, and the usual mapping of an HTTP status to what the caller should do. HTTP/1.1 only: no h2c upgrade
 * attempt on plain-HTTP APIs.
 */
final class JsonHttp {

    static final JsonMapper JSON = JsonMapper.builder().build();

    record Response(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final String connectorId;
    private final Duration timeout;
    private final Map<String, String> headers;
    private final HttpClient http;

    /** @param headers sent with every request: the API's credentials */
    JsonHttp(String connectorId, Duration timeout, Map<String, String> headers) {
        this.connectorId = connectorId;
        this.timeout = timeout;
        this.headers = Map.copyOf(headers);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /** For an API that takes a bearer token ({@code Authorization: Bearer <token>}). */
    static JsonHttp withBearerToken(String connectorId, Duration timeout, String token) {
        return new JsonHttp(connectorId, timeout, Map.of("Authorization", "Bearer " + token));
    }

    Response send(String method, String url, String body, String what) throws ConnectorException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // A timeout or a dropped connection: the request may have been carried out.
            throw ConnectorException.outcomeUnknown(connectorId + ": " + what + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(ConnectorException.Kind.RETRYABLE, connectorId + ": " + what + ": interrupted", e);
        }
        JsonNode json;
        try {
            json = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (JacksonException e) {
            json = JSON.createObjectNode();
        }
        return new Response(response.statusCode(), json);
    }

    /**
     * An HTTP failure as a connector's exception: {@link #kindOf} says what to do; a 5xx other than 503 may come after
     * the request took effect (a gateway that gave up waiting, a server that failed while answering), so its outcome is
     * unknown; a 429 or a 503 is a refusal before any work.
     */
    static ConnectorException failure(int status, String message) {
        return new ConnectorException(kindOf(status), message, null, status >= 500 && status != 503);
    }

    /** 401 and 403: the credentials; 429 and 5xx: try later; any other failure: the request can never succeed. */
    static ConnectorException.Kind kindOf(int status) {
        return status == 401 || status == 403 ? ConnectorException.Kind.AUTHENTICATION
                : status == 429 || status >= 500 ? ConnectorException.Kind.RETRYABLE : ConnectorException.Kind.PERMANENT;
    }
}
