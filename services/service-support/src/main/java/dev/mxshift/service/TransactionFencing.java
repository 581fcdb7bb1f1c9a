package dev.mxshift.service;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Closes what a killed predecessor left open. A process killed with a transaction open leaves it open until the
 * broker's transaction timeout (ten minutes here), and until then no read_committed consumer, of any service, reads
 * past it: its partitions stall. A restarted instance fences only the transactional ids it happens to use again, and
 * the binder numbers its producers ({@code prefix + n}, {@code prefix + "own-" + n} for timer appends). So at start,
 * before it consumes, each instance asks the broker for the transactions still open under its own ids (its binder's
 * prefix, unique per instance, which its timer appends' ids share) and fences them, which aborts them at once (KIP-664's
 * ListTransactions, KIP-618's fenceProducers). The state projector needs none of this: its one transactional id is
 * stable across restarts, so its own {@code initTransactions()} fences its predecessor.
 * <p>
 * While the instance runs, {@link #fenceIfOpen} does the same for one id whose producer failed and was discarded with
 * its transaction open ({@link OrphanedTransactionFencing}).
 */
public final class TransactionFencing {

    /**
     * How many transactional ids the binder's producer factory hands out per prefix (the consumer threads and timer
     * appends, each producer reused): a seventeenth producer at once is refused (NoProducerAvailableException), so
     * keep consumer threads plus concurrent timer appends below it.
     */
    public static final int SUFFIXES = 16;

    private static final Logger LOG = LoggerFactory.getLogger(TransactionFencing.class);
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private TransactionFencing() {
    }

    /** The ids of the transactions open now that start with one of {@code prefixes}. */
    public static List<String> open(Admin admin, List<String> prefixes) {
        try {
            return admin.listTransactions(new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING)))
                    .all().get(PATIENCE.toSeconds(), TimeUnit.SECONDS).stream().map(TransactionListing::transactionalId)
                    .filter(id -> prefixes.stream().anyMatch(id::startsWith)).sorted().toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing open transactions", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not list the open transactions (the service's Kafka principal needs DESCRIBE on"
                    + " its transactional ids, docs/kafka-security.md): " + e.getMessage(), e);
        }
    }

    /**
     * Fences {@code transactionalId} if the broker has a transaction open under it, which aborts that transaction at
     * once (KIP-618); logs a WARN naming the id and {@code why}. Returns whether it was open. Blocks up to two minutes
     * (never call it on a consumer thread); throws {@link IllegalStateException} when the broker could not be asked or
     * did not fence.
     */
    public static boolean fenceIfOpen(Admin admin, String transactionalId, String why) {
        long started = System.nanoTime();
        try {
            if (!open(admin, List.of(transactionalId)).contains(transactionalId)) {
                LOG.debug("no transaction open under {} ({})", transactionalId, why);
                return false;
            }
            admin.fenceProducers(List.of(transactionalId)).all().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            LOG.warn("transactional id {} had a transaction open that nothing would end before the broker's transaction timeout"
                            + " ({}), stalling its partitions for every read_committed reader: fenced and aborted it in {} ms",
                    transactionalId, why, Duration.ofNanos(System.nanoTime() - started).toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fencing " + transactionalId, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not check or fence the transaction of " + transactionalId + " (" + why + "): " + e.getMessage(), e);
        }
    }

    /** Fences every transaction open under this instance's prefixes; returns their ids. */
    public static List<String> fence(KafkaClients clients, List<String> prefixes) {
        long started = System.nanoTime();
        try (Admin admin = clients.admin()) {
            List<String> open = open(admin, prefixes);
            if (!open.isEmpty()) {
                admin.fenceProducers(open).all().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                LOG.warn("a predecessor of this instance left {} transaction(s) open, which stalled their partitions for every"
                        + " reader: fenced and aborted {} in {} ms", open.size(), open, Duration.ofNanos(System.nanoTime() - started).toMillis());
            } else {
                LOG.info("no transaction of a predecessor is open under {}", prefixes);
            }
            return open;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fencing the transactions of " + prefixes, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not fence the open transactions of " + prefixes + " (they would stall their"
                    + " partitions until the broker's transaction timeout): " + e.getMessage(), e);
        }
    }
}
