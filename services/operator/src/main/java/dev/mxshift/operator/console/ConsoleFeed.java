package dev.mxshift.operator.console;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.workflow.MigrationState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The console's live updates: one reader follows the state topic (through the API's own view of it) while anybody
 * listens, and sends each listener, as server-sent events, the lines of the domains whose state changed since the last
 * look, only those its token may see. A browser thus hears of a change within {@code every} of its projection, without
 * asking again and again; each line carries its sequence, so a page that loaded the list after a change was sent keeps
 * the newer one. The reader sends while it holds the feed's lock: a page that reads slowly slows the others' updates
 * (a send fails, and the page is dropped, when its connection breaks).
 */
public final class ConsoleFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleFeed.class);
    /** Lines per event: a wave of changes goes out in pieces a browser parses quickly. */
    static final int LINES_PER_EVENT = 500;

    /** One listening page: what its token may see, how a state becomes a line for it, and its stream. */
    private record Listener(String token, Predicate<MigrationState> visible, Function<MigrationState, Object> line, SseEmitter stream) {
    }

    private final Supplier<Map<DomainName, MigrationState>> states;
    private final int streamsPerToken;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> perToken = new ConcurrentHashMap<>();
    private final ScheduledExecutorService reader;
    private final Duration heartbeat;
    private Map<DomainName, Long> seen;
    private long lastBeat = System.nanoTime();

    public ConsoleFeed(Supplier<Map<DomainName, MigrationState>> states, Duration every, Duration heartbeat, int streamsPerToken) {
        this.states = states;
        this.heartbeat = heartbeat;
        this.streamsPerToken = streamsPerToken;
        this.reader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "console-feed");
            t.setDaemon(true);
            return t;
        });
        reader.scheduleWithFixedDelay(this::look, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Adds a listener; its first event, {@code hello}, carries {@code hello} (who the token is), so the page knows the
     * stream is open before it loads the list. Null when the token holds as many streams as it may (a page that reloads
     * in a loop must not pile up readers).
     */
    public synchronized SseEmitter listen(String token, Predicate<MigrationState> visible, Function<MigrationState, Object> line,
                                          Object hello, Duration lifetime) throws IOException {
        if (perToken.getOrDefault(token, 0) >= streamsPerToken) {
            return null;
        }
        if (seen == null) {
            // from here on every change is sent: the page loads its list after hello, so it misses none
            seen = sequences(states.get());
        }
        SseEmitter stream = new SseEmitter(lifetime.toMillis());
        Listener listener = new Listener(token, visible, line, stream);
        perToken.merge(token, 1, Integer::sum);
        Runnable gone = () -> remove(listener);
        stream.onCompletion(gone);
        stream.onTimeout(() -> {
            gone.run();
            stream.complete();
        });
        stream.onError(e -> gone.run());
        listeners.add(listener);
        stream.send(SseEmitter.event().name("hello").data(hello, MediaType.APPLICATION_JSON));
        return stream;
    }

    private synchronized void remove(Listener listener) {
        if (listeners.remove(listener)) {
            perToken.computeIfPresent(listener.token(), (t, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** How many pages listen now. */
    public int listening() {
        return listeners.size();
    }

    private static Map<DomainName, Long> sequences(Map<DomainName, MigrationState> states) {
        Map<DomainName, Long> sequences = new HashMap<>(states.size() * 2);
        states.values().forEach(s -> sequences.put(s.domain(), s.sequence()));
        return sequences;
    }

    private synchronized void look() {
        try {
            if (listeners.isEmpty()) {
                seen = null;
                return;
            }
            Map<DomainName, MigrationState> now = states.get();
            List<MigrationState> changed = new ArrayList<>();
            for (MigrationState s : now.values()) {
                Long before = seen == null ? null : seen.get(s.domain());
                if (seen != null && (before == null || before != s.sequence())) {
                    changed.add(s);
                }
            }
            seen = sequences(now);
            for (Listener l : listeners) {
                List<Object> lines = changed.stream().filter(l.visible()).map(l.line()).toList();
                for (int i = 0; i < lines.size(); i += LINES_PER_EVENT) {
                    send(l, SseEmitter.event().name("changes").data(lines.subList(i, Math.min(lines.size(), i + LINES_PER_EVENT)),
                            MediaType.APPLICATION_JSON));
                }
            }
            if (System.nanoTime() - lastBeat > heartbeat.toNanos()) {
                lastBeat = System.nanoTime();
                // a comment line: a page that went away is noticed, and proxies keep the stream open
                listeners.forEach(l -> send(l, SseEmitter.event().comment("alive")));
            }
        } catch (RuntimeException e) {
            // the broker away for a moment: the next look tries again, and a page sees nothing change meanwhile
            LOG.warn("console feed: could not read the state topic: {}", e.getMessage());
        }
    }

    private void send(Listener l, SseEmitter.SseEventBuilder event) {
        try {
            l.stream().send(event);
        } catch (IOException | IllegalStateException e) {
            remove(l);
            l.stream().completeWithError(e);
        }
    }

    @Override
    public void close() {
        reader.shutdownNow();
        listeners.forEach(l -> l.stream().complete());
        listeners.clear();
    }
}
