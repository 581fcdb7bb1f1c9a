package dev.mxshift.operator;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands between the push service and PowerDNS's API and counts per zone what the provider received, whatever
 * mxshift's own events say: the record writes (PATCH requests other than the SOA serial raise that makes secondaries
 * transfer a newly signed zone) and the signing keys created (POST .../cryptokeys). Forwards everything unchanged.
 * Listens on 127.0.0.1.
 */
final class CountingProxy implements AutoCloseable {

    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final Map<String, AtomicInteger> patches = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> keyCreations = new ConcurrentHashMap<>();
    private final Map<String, List<String>> writeLog = new ConcurrentHashMap<>();

    CountingProxy(URI upstream) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                String path = exchange.getRequestURI().toString();
                HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(upstream.toString().replaceAll("/api/v1$", "") + path))
                        .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
                exchange.getRequestHeaders().forEach((k, v) -> {
                    if (!k.equalsIgnoreCase("host") && !k.equalsIgnoreCase("content-length") && !k.equalsIgnoreCase("connection")) {
                        v.forEach(value -> forward.header(k, value));
                    }
                });
                HttpResponse<byte[]> response = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                String method = exchange.getRequestMethod();
                int zones = path.indexOf("/zones/");
                if (!method.equals("GET") && zones >= 0) {
                    String rest = path.substring(zones + "/zones/".length());
                    String zone = (rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest).replaceAll("\\.$", "");
                    String text = new String(body, StandardCharsets.UTF_8);
                    boolean ok = response.statusCode() / 100 == 2;
                    if (method.equals("PATCH") && ok && !(text.contains("\"SOA\"") && !text.contains("\"MX\"") && !text.contains("\"TLSA\"")
                            && !text.contains("\"TXT\"") && !text.contains("\"CNAME\""))) {
                        patches.computeIfAbsent(zone, z -> new AtomicInteger()).incrementAndGet();
                    }
                    if (method.equals("POST") && rest.endsWith("/cryptokeys") && ok) {
                        keyCreations.computeIfAbsent(zone, z -> new AtomicInteger()).incrementAndGet();
                    }
                    writeLog.computeIfAbsent(zone, z -> new CopyOnWriteArrayList<>())
                            .add(Instant.now() + " " + method + " " + rest + " " + response.statusCode() + " " + text);
                }
                response.headers().map().forEach((k, v) -> {
                    if (!k.equalsIgnoreCase("content-length") && !k.equalsIgnoreCase("transfer-encoding") && !k.startsWith(":")) {
                        v.forEach(value -> exchange.getResponseHeaders().add(k, value));
                    }
                });
                byte[] out = response.body();
                exchange.sendResponseHeaders(response.statusCode(), out.length == 0 ? -1 : out.length);
                if (out.length > 0) {
                    exchange.getResponseBody().write(out);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1";
    }

    /** Successful record writes per zone so far (not counting SOA serial raises). */
    Map<String, Integer> writes() {
        return copy(patches);
    }

    /** Signing keys created per zone so far. */
    Map<String, Integer> keyCreations() {
        return copy(keyCreations);
    }

    private static Map<String, Integer> copy(Map<String, AtomicInteger> counts) {
        Map<String, Integer> copy = new TreeMap<>();
        counts.forEach((z, n) -> copy.put(z, n.get()));
        return copy;
    }

    /** Every request but a read sent for a zone: when, PowerDNS's answer and the body, for evidence when a test fails. */
    List<String> writeLog(String zone) {
        return writeLog.getOrDefault(zone, List.of());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
