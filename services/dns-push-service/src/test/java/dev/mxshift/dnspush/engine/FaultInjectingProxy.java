package dev.mxshift.dnspush.engine;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.mxshift.dnspush.connectors.StandInAnswers.answerJson;

/**
 * An HTTP proxy in front of a real provider API that misbehaves on a fixed schedule: the n-th request gets a 503
 * when n is a multiple of {@code every5xx}, a 429 when of {@code every429}, and no answer in time when of {@code
 * everyTimeout} (the request is left unanswered until the client has given up on it, see {@link #leaveUnanswered});
 * {@link #lockedWrites} answers the next PATCHes 500 ("database is locked"); every other request is forwarded.
 * {@code outage} answers 503
 * to everything. With {@code loseFirstWriteAnswers}, the first PATCH of each path is forwarded (the write lands)
 * but its answer is lost: the client waits in vain and gets a 504, as from a gateway that gave up; {@code
 * afterLostAnswer} runs in between (a third party's edit made after the write landed and before the retry). It also counts
 * the requests in flight at the provider by method, and the most seen at once, and can hold each PATCH for
 * {@code writePauseMillis} before forwarding it (a slow writer), and run something once between a read and its
 * answer ({@link #afterNextRead}). 127.0.0.1 only.
 */
final class FaultInjectingProxy implements AutoCloseable {

    private final HttpServer server;
    private final String target;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger forwarded = new AtomicInteger();
    private final AtomicInteger faults = new AtomicInteger();
    volatile int every5xx;
    volatile int every429;
    volatile int everyTimeout;
    /**
     * Requests the proxy leaves without an answer, so that their client times out (no fixed pause that has to be longer
     * than the client waits): each gets a 504, which nobody hears, when the next request arrives (the client's retry
     * comes only after it gave up) or when the proxy closes.
     */
    private final java.util.Queue<HttpExchange> unanswered = new java.util.concurrent.ConcurrentLinkedQueue<>();
    volatile boolean outage;
    /** The next this many PATCHes get the 500 that PowerDNS on SQLite answers while another writer holds the lock. */
    final AtomicInteger lockedWrites = new AtomicInteger();
    private volatile boolean loseFirstWriteAnswers;
    /** Runs once, after the next GET was answered by the provider and before its client hears the answer. */
    private final java.util.concurrent.atomic.AtomicReference<Runnable> afterNextRead = new java.util.concurrent.atomic.AtomicReference<>();
    /** Runs once a lost write has landed, before its client hears anything (so before any retry). */
    volatile Runnable afterLostAnswer = () -> {
    };
    private final Map<String, AtomicInteger> forwardedWrites = new ConcurrentHashMap<>();
    volatile long writePauseMillis;
    /** The method whose first request per path loses its answer (PATCH: a record write; POST: a key's creation). */
    volatile String lostAnswerMethod = "PATCH";
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> mostInFlight = new ConcurrentHashMap<>();
    private final AtomicInteger readsDuringWrites = new AtomicInteger();

    FaultInjectingProxy(URI target) throws IOException {
        this.target = target.toString().replaceAll("/+$", "");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + URI.create(target).getPath());
    }

    int requests() {
        return requests.get();
    }

    int forwarded() {
        return forwarded.get();
    }

    int faults() {
        return faults.get();
    }

    /** The most requests of {@code method} seen in flight at once since {@link #countAnew}. */
    int mostInFlight(String method) {
        return mostInFlight.computeIfAbsent(method, m -> new AtomicInteger()).get();
    }

    /** GET requests that reached the provider while a PATCH was in flight, since {@link #countAnew}. */
    int readsDuringWrites() {
        return readsDuringWrites.get();
    }

    void countAnew() {
        mostInFlight.clear();
        readsDuringWrites.set(0);
    }

    /** From now on (or no longer), the first PATCH of each path lands but its answer is lost; writes are counted anew. */
    void loseFirstWriteAnswers(boolean lose) {
        forwardedWrites.clear();
        loseFirstWriteAnswers = lose;
    }

    /** {@code action} runs after the next GET is answered by the provider, before the answer is passed on. */
    void afterNextRead(Runnable action) {
        afterNextRead.set(action);
    }

    /** PATCH requests forwarded for a path ending in {@code zone} since {@link #loseFirstWriteAnswers} was last set. */
    int forwardedWrites(String zone) {
        return forwardedWrites.entrySet().stream().filter(e -> e.getKey().replaceAll("\\.$", "").endsWith("/" + zone))
                .mapToInt(e -> e.getValue().get()).sum();
    }

    /** Writes (of {@link #lostAnswerMethod}) forwarded for a path ending in {@code suffix} since {@link #loseFirstWriteAnswers}. */
    int forwardedWritesTo(String suffix) {
        return forwardedWrites.entrySet().stream().filter(e -> e.getKey().endsWith(suffix)).mapToInt(e -> e.getValue().get()).sum();
    }

    private void handle(HttpExchange exchange) throws IOException {
        answerTheAbandoned();
        boolean leftUnanswered = false;
        try {
            // One request per connection: a connection the client gave up on (an injected timeout) is never reused.
            exchange.getResponseHeaders().set("Connection", "close");
            int n = requests.incrementAndGet();
            if (outage || every5xx > 0 && n % every5xx == 0) {
                faults.incrementAndGet();
                answerJson(exchange, 503, "{\"error\":\"injected: service unavailable\"}");
                return;
            }
            if (exchange.getRequestMethod().equals("PATCH") && lockedWrites.getAndUpdate(k -> Math.max(0, k - 1)) > 0) {
                faults.incrementAndGet();
                answerJson(exchange, 500, "{\"error\":\"GSQLBackend unable to delete RRSet: Error while retrieving SQLite query results:"
                        + " database is locked (5)\"}");
                return;
            }
            if (every429 > 0 && n % every429 == 0) {
                faults.incrementAndGet();
                answerJson(exchange, 429, "{\"error\":\"injected: too many requests\"}");
                return;
            }
            if (everyTimeout > 0 && n % everyTimeout == 0) {
                faults.incrementAndGet();
                leftUnanswered = leaveUnanswered(exchange);
                return;
            }
            forwarded.incrementAndGet();
            String path = exchange.getRequestURI().getRawPath().substring(URI.create(target).getPath().length());
            String query = exchange.getRequestURI().getRawQuery();
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + path + (query == null ? "" : "?" + query)))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!java.util.Set.of("host", "content-length", "connection", "upgrade", "http2-settings", "expect").contains(name.toLowerCase())) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            // In flight from here (a held PATCH counts: the provider is a slow writer) until the provider answered.
            String method = exchange.getRequestMethod();
            int now = inFlight.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
            mostInFlight.computeIfAbsent(method, m -> new AtomicInteger()).accumulateAndGet(now, Math::max);
            if (method.equals("GET") && inFlight.computeIfAbsent("PATCH", m -> new AtomicInteger()).get() > 0) {
                readsDuringWrites.incrementAndGet();
            }
            HttpResponse<byte[]> response;
            try {
                HttpRequest forward = request.build();
                // a slow writer: the PATCH reaches the provider only after the pause, and its client waits meanwhile
                java.util.concurrent.CompletableFuture<HttpResponse<byte[]>> answer = method.equals("PATCH") && writePauseMillis > 0
                        ? java.util.concurrent.CompletableFuture.runAsync(() -> { },
                                        java.util.concurrent.CompletableFuture.delayedExecutor(writePauseMillis, java.util.concurrent.TimeUnit.MILLISECONDS))
                                .thenCompose(paused -> http.sendAsync(forward, HttpResponse.BodyHandlers.ofByteArray()))
                        : http.sendAsync(forward, HttpResponse.BodyHandlers.ofByteArray());
                try {
                    response = answer.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                }
            } finally {
                inFlight.get(method).decrementAndGet();
            }
            if (exchange.getRequestMethod().equals(lostAnswerMethod)
                    && forwardedWrites.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet() == 1 && loseFirstWriteAnswers) {
                faults.incrementAndGet();
                afterLostAnswer.run();
                leftUnanswered = leaveUnanswered(exchange); // the write landed, its answer is lost
                return;
            }
            Runnable afterRead = method.equals("GET") ? afterNextRead.getAndSet(null) : null;
            if (afterRead != null) {
                afterRead.run();
            }
            response.headers().firstValue("Content-Type").ifPresent(t -> exchange.getResponseHeaders().set("Content-Type", t));
            exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
            if (response.body().length > 0) {
                exchange.getResponseBody().write(response.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!leftUnanswered) {
                exchange.close();
            }
        }
    }

    private boolean leaveUnanswered(HttpExchange exchange) {
        unanswered.add(exchange);
        return true;
    }

    /** The requests left unanswered get their 504 (a gateway that gave up), to a client that is no longer listening. */
    private void answerTheAbandoned() {
        for (HttpExchange abandoned = unanswered.poll(); abandoned != null; abandoned = unanswered.poll()) {
            try {
                answerJson(abandoned, 504, "{\"error\":\"injected: no answer in time\"}");
            } catch (IOException | RuntimeException gone) {
                // the client closed the connection when it gave up: nothing to answer
            } finally {
                abandoned.close();
            }
        }
    }

    @Override
    public void close() {
        answerTheAbandoned();
        server.stop(0);
    }
}
