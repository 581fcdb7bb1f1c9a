package dev.mxshift.validation.dnssec;

import java.util.concurrent.ForkJoinPool;

/**
 * dnsjava's {@link org.xbill.DNS.dnssec.ValidatingResolver} runs some of its steps (finding a zone's keys, checking
 * a DS answer) with {@code thenComposeAsync} and no executor, so on {@code CompletableFuture}'s default one,
 * whatever executor it is handed. The JDK uses the common ForkJoinPool for that only when the pool has at least two
 * threads; on a two-core machine it has one, and the JDK then starts a new thread for every such step (in a
 * validation profile, a third of the samples were on these short-lived threads, and the kernel's thread start-up
 * showed as system time). Every main that validates calls {@link #atLeastTwoThreads()} first, before anything has
 * touched the pool.
 */
public final class CommonPool {

    static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private CommonPool() {
    }

    /** Sizes the common pool to the cores, at least two, unless the operator set it ({@code -D}). */
    public static void atLeastTwoThreads() {
        if (System.getProperty(PARALLELISM) == null) {
            System.setProperty(PARALLELISM, String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors())));
        }
    }

    /** Whether dnsjava's steps get a new thread each (the pool was used before {@link #atLeastTwoThreads()}). */
    public static boolean startsAThreadPerStep() {
        return ForkJoinPool.getCommonPoolParallelism() < 2;
    }
}
