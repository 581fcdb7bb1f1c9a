package dev.mxshift.service;

import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.DefaultTransactionIdSuffixStrategy;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.core.TransactionIdSuffixStrategy;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Fences a transactional id as soon as the producer factory discards the producer that held it, if a transaction is
 * still open under it (issue 33, decision 0042 addendum). A producer that failed fatally (InvalidTxnStateException from
 * a stale coordinator, after a broker was paused) cannot abort, and Spring Kafka closes it without aborting; its
 * transaction then stays open until the broker's transaction.timeout.ms (ten minutes) and pins the last stable offset
 * of every partition it wrote to: no read_committed reader (the services, the state projector, the operator) sees
 * past it. The factory returns the suffix to the pool, but it reuses idle producers first, so the id may never be
 * initialised again; and {@link TransactionFencing#fence} runs only at start.
 * <p>
 * The hook is the suffix strategy's {@link #releaseSuffix}, which {@link DefaultKafkaProducerFactory} calls with the
 * prefix and suffix exactly when it removes a transactional producer (in 4.0, right before
 * {@code Listener#producerRemoved}) or when a new one's {@code initTransactions()} failed. The listener would not do:
 * its id is the factory's bean name and the producer's client.id, which carries the transactional id only when no
 * client.id is configured. The pooling itself is {@link DefaultTransactionIdSuffixStrategy}'s, unchanged.
 * <p>
 * The release comes on the thread that closed the producer, a consumer thread; the check (ListTransactions, then
 * fenceProducers) blocks, so it runs on a thread of its own, each try bounded, a few tries apart (the coordinator may be
 * moving at that moment), all well inside the transaction timeout.
 * <p>
 * Fencing is safe even when it hits a live producer: if the suffix was taken again meanwhile and a new producer has a
 * transaction open under the id, fencing aborts that batch, which rolls back (events and offsets together) and comes
 * again on another producer; exactly-once holds. It happens only when a producer was discarded, which is rare.
 */
public final class OrphanedTransactionFencing implements TransactionIdSuffixStrategy, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanedTransactionFencing.class);
    static final int TRIES = 4;
    static final Duration BETWEEN_TRIES = Duration.ofSeconds(10);
    private static final String WHY = "its producer was discarded by the producer factory without ending it, as after a fatal"
            + " producer error such as InvalidTxnStateException";

    private final TransactionIdSuffixStrategy pool;
    private final String prefix;
    private final Supplier<Admin> admins;
    private final ScheduledExecutorService worker;
    private Admin admin;
    private boolean closed;

    OrphanedTransactionFencing(TransactionIdSuffixStrategy pool, String prefix, Supplier<Admin> admins) {
        this.pool = pool;
        this.prefix = prefix;
        this.admins = admins;
        ScheduledThreadPoolExecutor worker = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "mxshift-orphaned-transactions");
            t.setDaemon(true);
            return t;
        });
        worker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.worker = worker;
    }

    /**
     * Pools the factory's transactional ids ({@link TransactionFencing#SUFFIXES} per prefix) and fences each one whose
     * producer it discards with a transaction open, among this instance's ids (those starting with {@code prefix}).
     * Close the result when the service stops.
     */
    public static OrphanedTransactionFencing install(ProducerFactory<?, ?> producers, KafkaClients clients, String prefix) {
        OrphanedTransactionFencing fencing = new OrphanedTransactionFencing(
                new DefaultTransactionIdSuffixStrategy(TransactionFencing.SUFFIXES), prefix, clients::admin);
        if (producers instanceof DefaultKafkaProducerFactory<?, ?> pooled) {
            pooled.setTransactionIdSuffixStrategy(fencing);
        } else {
            LOG.warn("the transactional producer factory is a {}, not a DefaultKafkaProducerFactory: its transactional ids are"
                    + " not pooled, and a transaction its failed producer leaves open stalls its partitions until the broker's"
                    + " transaction timeout", producers == null ? "null" : producers.getClass().getName());
        }
        return fencing;
    }

    @Override
    public String acquireSuffix(String txIdPrefix) {
        return pool.acquireSuffix(txIdPrefix);
    }

    @Override
    public void releaseSuffix(String txIdPrefix, String suffix) {
        pool.releaseSuffix(txIdPrefix, suffix);
        if (txIdPrefix == null || suffix == null || !(txIdPrefix + suffix).startsWith(prefix)) {
            return;
        }
        String id = txIdPrefix + suffix;
        try {
            worker.execute(() -> check(id, 1));
        } catch (RejectedExecutionException e) {
            LOG.debug("not checking {}: the service is stopping", id);
        }
    }

    private void check(String id, int attempt) {
        try {
            TransactionFencing.fenceIfOpen(admin(), id, WHY);
        } catch (RuntimeException e) {
            if (worker.isShutdown()) {
                return;
            }
            if (attempt < TRIES) {
                LOG.warn("could not check or fence {} (try {} of {}), trying again in {} s: {}", id, attempt, TRIES,
                        BETWEEN_TRIES.toSeconds(), e.getMessage());
                try {
                    worker.schedule(() -> check(id, attempt + 1), BETWEEN_TRIES.toMillis(), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException stopping) {
                    LOG.debug("not checking {} again: the service is stopping", id);
                }
            } else {
                LOG.error("gave up fencing {} after {} tries: if a transaction is open under it, its partitions stall for every"
                        + " read_committed reader until the broker's transaction timeout ends it", id, TRIES, e);
            }
        }
    }

    /** The admin client, made on the worker thread at the first check: most instances never need one. */
    private synchronized Admin admin() {
        if (closed) {
            throw new IllegalStateException("the service is stopping");
        }
        Admin current = admin;
        if (current == null) {
            current = admins.get();
            admin = current;
        }
        return current;
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeAdmin();
    }

    /** Closes the admin client if one was made; after this the worker makes none. */
    private synchronized void closeAdmin() {
        closed = true;
        Admin current = admin;
        admin = null;
        if (current != null) {
            current.close(Duration.ofSeconds(5));
        }
    }
}
