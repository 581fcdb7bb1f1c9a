package dev.mxshift.model.serde;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Not a test: a rough timing of what a service spends reading one record of the event log, whole or only its envelope
 * (decision 0038). Run from shared-model after {@code test-compile}:
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) dev.mxshift.model.serde.EventReadCost}.
 * Reads the current golden files (one event of every type) round and round; prints microseconds per record.
 */
public final class EventReadCost {

    public static void main(String[] args) throws IOException {
        EventCodec codec = new EventCodec();
        List<byte[]> records;
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/golden/events/v" + EventCodec.CURRENT_SCHEMA_VERSION))) {
            // as the log carries them: compact JSON, as the codec writes it
            records = files.sorted().map(f -> {
                try {
                    return codec.encode(codec.decode(Files.readAllBytes(f)));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        long bytes = records.stream().mapToLong(r -> r.length).sum();
        System.out.printf("%d records of %d types, %d bytes on average%n", rounds * records.size(), records.size(), bytes / records.size());
        List<dev.mxshift.model.event.EventEnvelope> events = records.stream().map(codec::decode).toList();
        for (int pass = 0; pass < 3; pass++) {
            time("encode", rounds, events, e -> codec.encode(e).length);
            time("whole decode", rounds, records, r -> codec.decode(r).sequence());
            time("envelope only", rounds, records, r -> codec.readHeader(r).sequence());
            time("envelope + carried state", rounds, records, r -> codec.decodeCarriedState(r, codec.readHeader(r)).sequence());
            time("envelope, state, the rest", rounds, records, r -> {
                EventHeader h = codec.readHeader(r);
                return codec.decode(r, h, codec.decodeCarriedState(r, h)).sequence();
            });
            // the state projector's work per record, before and after issue 32 item 7's change
            time("project: decode, encode", rounds, records, r -> codec.encodeState(codec.decode(r).state()).length);
            time("project: stateTopicValue", rounds, records, r -> codec.stateTopicValue(r, codec.readHeader(r)).length);
        }
    }

    private static <T> void time(String what, int rounds, List<T> records, java.util.function.ToLongFunction<T> read) {
        long sink = 0;
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            for (T r : records) {
                sink += read.applyAsLong(r);
            }
        }
        long nanos = System.nanoTime() - start;
        System.out.printf("%-26s %6.2f us per record (%d)%n", what, nanos / 1000.0 / rounds / records.size(), sink % 7);
    }
}
