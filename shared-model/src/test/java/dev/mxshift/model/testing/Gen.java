package dev.mxshift.model.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * A seeded generator of test values for {@link Property}. A draw takes all its randomness from the random it is
 * given, so a run is replayed from its seed alone. Numbers and sizes land on their bounds in one draw of sixteen,
 * more often than a uniform draw would, because that is where bugs live. Each value comes with simpler ones
 * (numbers nearer zero or their lower bound, shorter lists, null) for the search for a smallest failing case.
 */
@FunctionalInterface
public interface Gen<T> {

    Sample<T> draw(SplittableRandom random);

    default <U> Gen<U> map(Function<? super T, ? extends U> f) {
        return random -> draw(random).map(f);
    }

    /** Lists of this generator's values; simpler lists are prefixes (shortest first), then one element fewer, then simpler elements. */
    default Gen<List<T>> list(int minSize, int maxSize) {
        if (minSize < 0 || maxSize < minSize) {
            throw new IllegalArgumentException("list sizes " + minSize + ".." + maxSize);
        }
        return random -> {
            int size = size(random, minSize, maxSize);
            List<Sample<T>> elements = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                elements.add(draw(random));
            }
            return list(elements, minSize);
        };
    }

    /** This generator's values, or null with the given probability; null is the simplest value. */
    default Gen<T> orNull(double probability) {
        return random -> {
            if (random.nextDouble() < probability) {
                return Sample.of(null);
            }
            Sample<T> drawn = draw(random);
            return new Sample<>(drawn.value(), () -> Stream.concat(Stream.of(Sample.<T>of(null)), drawn.simpler()));
        };
    }

    static Gen<Long> longs(long min, long max) {
        if (max < min || max == Long.MAX_VALUE) {
            throw new IllegalArgumentException("range " + min + ".." + max);
        }
        long origin = Math.max(min, Math.min(max, 0));
        return random -> {
            long value = edge(random)
                    ? List.of(min, Math.min(min + 1, max), Math.max(max - 1, min), max).get(random.nextInt(4))
                    : random.nextLong(min, max + 1);
            return towards(origin, value);
        };
    }

    static Gen<Integer> integers(int min, int max) {
        return longs(min, max).map(Long::intValue);
    }

    static Gen<Boolean> booleans() {
        return random -> random.nextBoolean() ? new Sample<>(true, () -> Stream.of(Sample.of(false))) : Sample.of(false);
    }

    /** One of the values; earlier ones are simpler. */
    @SafeVarargs
    static <T> Gen<T> elements(T... values) {
        List<T> list = new ArrayList<>(values.length);
        for (T value : values) {
            list.add(value);
        }
        return integers(0, list.size() - 1).map(list::get);
    }

    /** A value of one of the generators, each chosen as often; a value is simplified within its own generator. */
    @SafeVarargs
    static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
        List<Gen<? extends T>> list = new ArrayList<>(gens.length);
        for (Gen<? extends T> gen : gens) {
            list.add(gen);
        }
        return random -> list.get(random.nextInt(list.size())).draw(random).map(v -> v);
    }

    static Gen<Character> chars(char from, char to) {
        return integers(from, to).map(c -> (char) c.intValue());
    }

    /** One of the characters of the alphabet; earlier ones are simpler. */
    static Gen<Character> chars(String alphabet) {
        return integers(0, alphabet.length() - 1).map(alphabet::charAt);
    }

    /**
     * Every UTF-16 code unit, lone surrogates and noncharacters included. A uniform draw over 65,536 would almost
     * never give a comma, a quote or a line break, so half the draws are ASCII, control characters included.
     */
    static Gen<Character> anyChar() {
        return oneOf(chars('\u0000', '\uffff'), chars('\u0000', '\u007f'));
    }

    static Gen<String> strings(Gen<Character> chars, int minLength, int maxLength) {
        return chars.list(minLength, maxLength).map(cs -> cs.stream().map(String::valueOf).collect(Collectors.joining()));
    }

    /** Values of several generators drawn together; simpler tuples simplify one part at a time, the first part first. */
    static Gen<Tuple> tuple(Gen<?>... parts) {
        List<Gen<?>> list = List.of(parts);
        return random -> {
            List<Sample<?>> drawn = new ArrayList<>(list.size());
            for (Gen<?> part : list) {
                drawn.add(part.draw(random));
            }
            return tuple(drawn);
        };
    }

    /** The values of {@link #tuple}, read back by position into the types the caller expects. */
    record Tuple(List<Object> values) {
        @SuppressWarnings("unchecked")
        public <V> V get(int index) {
            return (V) values.get(index);
        }
    }

    private static boolean edge(SplittableRandom random) {
        return random.nextInt(16) == 0;
    }

    /** Half the lists are short, as most failures show on a few elements; the other half spread over the whole range. */
    private static int size(SplittableRandom random, int min, int max) {
        if (edge(random)) {
            return random.nextBoolean() ? min : max;
        }
        int shortMax = Math.min(max, min + Math.max(10, (max - min) / 10));
        return random.nextInt(min, (random.nextBoolean() ? shortMax : max) + 1);
    }

    /** The value, then candidates from the origin back towards it: origin, halfway, three quarters, ..., one step away. */
    private static Sample<Long> towards(long origin, long value) {
        return new Sample<>(value, () -> LongStream.iterate(value - origin, step -> step != 0, step -> step / 2)
                .mapToObj(step -> towards(origin, value - step)));
    }

    private static <T> Sample<List<T>> list(List<Sample<T>> elements, int minSize) {
        List<T> value = elements.stream().map(Sample::value).toList();
        int size = elements.size();
        return new Sample<>(value, () -> Stream.of(
                IntStream.range(minSize, size).mapToObj(k -> list(List.copyOf(elements.subList(0, k)), minSize)),
                IntStream.range(0, size > minSize ? size : 0).mapToObj(i -> {
                    List<Sample<T>> fewer = new ArrayList<>(elements);
                    fewer.remove(i);
                    return list(fewer, minSize);
                }),
                IntStream.range(0, size).boxed().flatMap(i -> elements.get(i).simpler().map(simpler -> {
                    List<Sample<T>> changed = new ArrayList<>(elements);
                    changed.set(i, simpler);
                    return list(changed, minSize);
                }))).flatMap(s -> s));
    }

    private static Sample<Tuple> tuple(List<Sample<?>> parts) {
        Tuple value = new Tuple(Arrays.asList(parts.stream().map(Sample::value).toArray()));
        return new Sample<>(value, () -> IntStream.range(0, parts.size()).boxed().flatMap(i -> parts.get(i).simpler().map(simpler -> {
            List<Sample<?>> changed = new ArrayList<>(parts);
            changed.set(i, simpler);
            return tuple(changed);
        })));
    }
}
