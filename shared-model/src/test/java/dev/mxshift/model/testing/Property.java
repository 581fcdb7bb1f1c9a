package dev.mxshift.model.testing;

import java.util.Iterator;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A property checked over many values of a seeded {@link Gen}, in a plain JUnit test:
 * {@code Property.forAll(gen).tries(600).check(value -> assertions)}.
 * <p>
 * Every run prints its name, tries and seed ({@code property Class.method: 600 tries, seed N}); the line lands
 * in the test class's output file (target/surefire-reports/Class-output.txt). {@code -Dmxshift.seed=N} replays a
 * run exactly; other randomised tests take their seed the same way ({@link #seedFor}). When a value fails,
 * a greedy search walks the failing value's simpler values (shorter lists first, see {@link Gen}) and keeps any
 * that still fails, until none does or {@value #SEARCH_BUDGET} candidates were tried; the failure then names the
 * seed, the try, the smallest failing value found and its failure. The search is deterministic, so a replay
 * ends at the same smallest value.
 */
public final class Property<T> {

    /** The system property that replays a run. */
    public static final String SEED = "mxshift.seed";

    private static final int SEARCH_BUDGET = 5_000;
    private static final int SHOWN_CHARACTERS = 4_000;

    private final Gen<T> gen;
    private final int tries;

    private Property(Gen<T> gen, int tries) {
        this.gen = gen;
        this.tries = tries;
    }

    /** A property over the generator's values; 1,000 tries unless {@link #tries} says otherwise. */
    public static <T> Property<T> forAll(Gen<T> gen) {
        return new Property<>(gen, 1_000);
    }

    public Property<T> tries(int tries) {
        if (tries < 1) {
            throw new IllegalArgumentException("a property needs at least one try, got " + tries);
        }
        return new Property<>(gen, tries);
    }

    /** What must hold for every value; it fails by throwing (an assertion, or any exception the code under test throws). */
    @FunctionalInterface
    public interface Body<T> {
        void accept(T value) throws Exception;
    }

    /** Runs the tries; returns normally when every value passed, else throws an AssertionError with the smallest failing value. */
    public void check(Body<T> body) {
        String name = caller();
        long seed = seed();
        System.out.printf("property %s: %d tries, seed %d (replay: -D%s=%d)%n", name, tries, seed, SEED, seed);
        SplittableRandom random = new SplittableRandom(seed);
        for (int attempt = 1; attempt <= tries; attempt++) {
            Sample<T> sample = gen.draw(random);
            Throwable failure = failureOf(body, sample.value());
            if (failure != null) {
                throw smallest(name, seed, attempt, body, sample, failure);
            }
        }
    }

    private AssertionError smallest(String name, long seed, int attempt, Body<T> body, Sample<T> first, Throwable firstFailure) {
        Sample<T> smallest = first;
        Throwable failure = firstFailure;
        int tried = 0;
        int steps = 0;
        boolean simplified = true;
        while (simplified && tried < SEARCH_BUDGET) {
            simplified = false;
            Iterator<Sample<T>> candidates = smallest.simpler().iterator();
            while (candidates.hasNext() && tried < SEARCH_BUDGET) {
                Sample<T> candidate = candidates.next();
                tried++;
                Throwable candidateFailure = failureOf(body, candidate.value());
                if (candidateFailure != null) {
                    smallest = candidate;
                    failure = candidateFailure;
                    steps++;
                    simplified = true;
                    break;
                }
            }
        }
        String message = String.format("property %s failed at try %d of %d, seed %d (replay: -D%s=%d)%n"
                        + "smallest failing case found (%d simpler cases tried, %d steps%s):%n  %s%n"
                        + "which fails with:%n  %s%n"
                        + "first failing case:%n  %s",
                name, attempt, tries, seed, SEED, seed, tried, steps, tried >= SEARCH_BUDGET ? ", search budget spent" : "",
                shown(smallest.value()), shown(failure), shown(first.value()));
        return new AssertionError(message, failure);
    }

    private static Throwable failureOf(Body<?> body, Object value) {
        try {
            @SuppressWarnings("unchecked")
            Body<Object> untyped = (Body<Object>) body;
            untyped.accept(value);
            return null;
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable failure) {
            return failure;
        }
    }

    /**
     * The seed of a randomised run that is not a property (which kills, when): {@code -Dmxshift.seed=N} if given,
     * else a fresh one, printed as a property's is ({@code <run>: seed N (replay: -Dmxshift.seed=N)}).
     */
    public static long seedFor(String run) {
        long seed = seed();
        System.out.printf("%s: seed %d (replay: -D%s=%d)%n", run, seed, SEED, seed);
        return seed;
    }

    private static long seed() {
        String given = System.getProperty(SEED);
        if (given == null || given.isBlank()) {
            return ThreadLocalRandom.current().nextLong();
        }
        try {
            return Long.parseLong(given.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + SEED + " must be the whole number a property printed as its seed, got '" + given + "'", e);
        }
    }

    /** The test method that called {@link #check}, as Class.method (a lambda's frame is named after its method). */
    private static String caller() {
        return StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !f.getClassName().equals(Property.class.getName()))
                .findFirst()
                .map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "."
                        + f.getMethodName().replaceFirst("^lambda\\$(.+)\\$\\d+$", "$1"))
                .orElse("property"));
    }

    /** The value as text with every character outside printable ASCII escaped, so control characters and lone surrogates show; long values are cut. */
    private static String shown(Object value) {
        String text = String.valueOf(value);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < SHOWN_CHARACTERS; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else if (c == '\n' && value instanceof Throwable) {
                out.append(System.lineSeparator()).append("  ");
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        if (out.length() >= SHOWN_CHARACTERS) {
            out.append(" ... (").append(text.length()).append(" characters in all)");
        }
        return out.toString();
    }
}
