package dev.mxshift.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.AbstractExecutorService;

/**
 * A scheduler whose time moves only when the test moves it: {@link #advance} runs, on the test's own thread and in
 * due order, every task that comes due by then, including tasks those tasks schedule. Its {@link #clock} tells the
 * same time, so code that compares the clock with a due time agrees with the scheduler. Only one-shot scheduling is
 * supported; that is all the timers use.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final PriorityQueue<Task> queue = new PriorityQueue<>(Comparator.comparing((Task t) -> t.due).thenComparingLong(t -> t.order));
    private Instant now;
    private long scheduled;
    private boolean shutdown;

    ManualScheduler(Instant start) {
        this.now = start;
    }

    /** The scheduler's time. */
    Clock clock() {
        return new Clock() {
            @Override
            public Instant instant() {
                synchronized (ManualScheduler.this) {
                    return now;
                }
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                throw new UnsupportedOperationException();
            }
        };
    }

    /** Runs the tasks due now; returns how many ran. */
    int runDue() {
        return advance(Duration.ZERO);
    }

    /** Moves time on by {@code by}, running each task when its due time is reached; returns how many ran. */
    int advance(Duration by) {
        Instant until;
        synchronized (this) {
            until = now.plus(by);
        }
        int ran = 0;
        while (true) {
            Task next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due.isAfter(until)) {
                    now = until;
                    return ran;
                }
                queue.poll();
                if (next.due.isAfter(now)) {
                    now = next.due;
                }
            }
            // Outside the lock, like a scheduler thread: the task may schedule more.
            if (next.start()) {
                next.task.run();
                ran++;
            }
        }
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        }
        Task task = new Task(command, now.plusNanos(unit.toNanos(Math.max(0, delay))), scheduled++);
        queue.add(task);
        return task;
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("one-shot Runnables only");
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("one-shot Runnables only");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("one-shot Runnables only");
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> pending = new ArrayList<>(queue.stream().map(t -> t.task).toList());
        queue.clear();
        return pending;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    private final class Task implements ScheduledFuture<Object> {
        private final Runnable task;
        private final Instant due;
        private final long order;
        private boolean cancelled;
        private boolean started;

        Task(Runnable task, Instant due, long order) {
            this.task = task;
            this.due = due;
            this.order = order;
        }

        private boolean start() {
            synchronized (ManualScheduler.this) {
                if (cancelled) {
                    return false;
                }
                started = true;
                return true;
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            synchronized (ManualScheduler.this) {
                return unit.convert(Duration.between(now, due).toNanos(), TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            synchronized (ManualScheduler.this) {
                if (started || cancelled) {
                    return false;
                }
                cancelled = true;
                queue.remove(this);
                return true;
            }
        }

        @Override
        public boolean isCancelled() {
            synchronized (ManualScheduler.this) {
                return cancelled;
            }
        }

        @Override
        public boolean isDone() {
            synchronized (ManualScheduler.this) {
                return started || cancelled;
            }
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException("the timers never wait for a task");
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException("the timers never wait for a task");
        }
    }
}
