package dev.mxshift.operator;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * For bench/cluster-failures: every 10 s, the transactions open on the cluster (ListTransactions, ONGOING) and, for
 * those open longer than a limit, their description (DescribeTransactions: start, partitions, coordinator). A
 * transaction open that long holds the last stable offset of its partitions, and so every read_committed reader; the
 * results name it, its partitions and the failure before it, so that a stall in the run has a named cause (issue 33:
 * the four left open by producers that failed after a paused broker came back as a stale coordinator).
 */
final class OpenTransactionProbe implements AutoCloseable {

    private static final Duration EVERY = Duration.ofSeconds(10);
    private static final Duration PATIENCE = Duration.ofSeconds(8);

    private final Admin admin;
    private final Duration limit;
    private final List<ClusterFailures.Failure> failures;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cluster-failures-open-transactions");
        t.setDaemon(true);
        return t;
    });
    /** By transactional id and producer id: one transaction, its latest sighting. */
    private final Map<String, ClusterFailures.LongOpenTransaction> seen = new LinkedHashMap<>();

    /** Starts probing at once; {@code failures} is read at each sighting, for the failure before it. */
    OpenTransactionProbe(String bootstrapServers, Duration limit, List<ClusterFailures.Failure> failures) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) PATIENCE.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) PATIENCE.toMillis()));
        this.limit = limit;
        this.failures = failures;
        timer.scheduleWithFixedDelay(this::probe, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Every transaction seen open longer than the limit, earliest start first. */
    synchronized List<ClusterFailures.LongOpenTransaction> seen() {
        List<ClusterFailures.LongOpenTransaction> all = new ArrayList<>(seen.values());
        all.sort(Comparator.comparing(ClusterFailures.LongOpenTransaction::started));
        return all;
    }

    private void probe() {
        try {
            List<String> ids = admin.listTransactions(new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING)))
                    .all().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).stream().map(TransactionListing::transactionalId).toList();
            if (ids.isEmpty()) {
                return;
            }
            Map<String, TransactionDescription> described = admin.describeTransactions(ids).all().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            Instant now = Instant.now();
            described.forEach((id, d) -> {
                if (d.state() != TransactionState.ONGOING || d.transactionStartTimeMs().isEmpty()) {
                    return;
                }
                Instant started = Instant.ofEpochMilli(d.transactionStartTimeMs().getAsLong());
                Duration open = Duration.between(started, now);
                if (open.compareTo(limit) > 0) {
                    record(new ClusterFailures.LongOpenTransaction(id, d.producerId(), d.coordinatorId(), started, open,
                            new TreeSet<>(d.topicPartitions().stream().map(Object::toString).toList()), failureBefore(started)));
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // a paused or stopped broker may not answer: the next round asks again
            // a TimeoutException often has no message: name the class, and the cause's where an ExecutionException wraps it
            Throwable why = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            System.out.println("cluster-failures: could not list the open transactions this round: " + why.getClass().getSimpleName()
                    + (why.getMessage() == null ? "" : ": " + why.getMessage()));
        }
    }

    private synchronized void record(ClusterFailures.LongOpenTransaction transaction) {
        String key = transaction.transactionalId() + "/" + transaction.producerId() + "/" + transaction.started();
        if (!seen.containsKey(key)) {
            System.out.println("cluster-failures: transaction " + transaction.transactionalId() + " open since " + transaction.started()
                    + " on " + transaction.partitions() + " (after: " + transaction.after() + ")");
        }
        seen.put(key, transaction);
    }

    private String failureBefore(Instant started) {
        String before = "no failure (before the first)";
        for (ClusterFailures.Failure f : failures) {
            if (!f.at().isAfter(started)) {
                before = f.what() + ", node " + f.node() + " at " + f.at();
            }
        }
        return before;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(PATIENCE.toSeconds() + 2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(5));
    }
}
