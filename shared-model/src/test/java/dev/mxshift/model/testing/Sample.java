package dev.mxshift.model.testing;

import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A value a {@link Gen} drew, with the simpler values {@link Property} tries when the value fails a property,
 * simplest first. The simpler values are computed only when asked for, so a passing try costs nothing more.
 */
public final class Sample<T> {

    private final T value;
    private final Supplier<Stream<Sample<T>>> simpler;

    public Sample(T value, Supplier<Stream<Sample<T>>> simpler) {
        this.value = value;
        this.simpler = simpler;
    }

    /** A value with nothing simpler to try. */
    public static <T> Sample<T> of(T value) {
        return new Sample<>(value, Stream::empty);
    }

    public T value() {
        return value;
    }

    public Stream<Sample<T>> simpler() {
        return simpler.get();
    }

    public <U> Sample<U> map(Function<? super T, ? extends U> f) {
        return new Sample<>(f.apply(value), () -> simpler().map(s -> s.map(f)));
    }

    @Override
    public String toString() {
        return String.valueOf(value);
    }
}
