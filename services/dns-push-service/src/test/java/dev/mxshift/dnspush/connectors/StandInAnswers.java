package dev.mxshift.dnspush.connectors;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** How the tests' HTTP stand-ins (a provider's API, a webhook, a registrar, a proxy) write an answer. */
public final class StandInAnswers {

    private StandInAnswers() {
    }

    /** The status, the content type and the body in UTF-8, with its length. */
    public static void answer(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** A JSON body. */
    public static void answerJson(HttpExchange exchange, int status, String json) throws IOException {
        answer(exchange, status, "application/json", json);
    }
}
