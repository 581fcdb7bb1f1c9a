package dev.mxshift.operator.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The API's tokens: a file of lines {@code NAME SCOPE SHA256-HEX [expires=INSTANT]} (scope: a tenant id, or {@code *}
 * for all tenants; {@code #} starts a comment). Only hashes are stored; a token is compared by its hash in constant
 * time, and the token itself appears nowhere but in the caller's hands.
 *
 * <p>The file is read again when it changes (its modification time or size) and at least every five seconds (an edit
 * that keeps both, such as one hash replaced by another within the file system's time resolution, is still seen), so a
 * token is revoked by deleting its line, without a restart. A file that no longer reads (a half-written edit, a bad line) admits nobody until it is
 * fixed: a revocation must never be undone by a typo. A token past its expiry is refused like an unknown one.
 */
public final class ApiTokens {

    /** Who a token is: its name and the tenant it may see and touch (null: every tenant). */
    public record Caller(String name, String tenant) {
        public boolean allTenants() {
            return tenant == null;
        }
    }

    private record Entry(String name, String scope, byte[] hash, Instant expires) {
    }

    /** What the file held when it was last read: its entries, or why it could not be read. */
    private record Loaded(List<Entry> entries, String problem, FileTime modified, long size, Instant at) {
    }

    private static final java.time.Duration READ_AT_LEAST_EVERY = java.time.Duration.ofSeconds(5);

    private final Path file;
    private final Clock clock;
    private final Consumer<String> warnings;
    private volatile Loaded loaded;

    private ApiTokens(Path file, Clock clock, Consumer<String> warnings, Loaded loaded) {
        this.file = file;
        this.clock = clock;
        this.warnings = warnings;
        this.loaded = loaded;
    }

    /** Reads the file; a file that does not read at start is an error (the API does not start). */
    public static ApiTokens read(Path file) {
        return read(file, Clock.systemUTC(), System.err::println);
    }

    public static ApiTokens read(Path file, Clock clock, Consumer<String> warnings) {
        Loaded first = load(file, clock.instant());
        if (first.problem() != null) {
            throw new IllegalArgumentException(first.problem());
        }
        return new ApiTokens(file, clock, warnings, first);
    }

    private static Loaded load(Path file, Instant now) {
        FileTime modified;
        long size;
        List<String> lines;
        try {
            modified = Files.getLastModifiedTime(file);
            size = Files.size(file);
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new Loaded(List.of(), "cannot read the token file " + file + ": " + e.getMessage(), null, -1, now);
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            Instant expires = null;
            if (f.length == 4 && f[3].startsWith("expires=")) {
                try {
                    expires = Instant.parse(f[3].substring("expires=".length()));
                } catch (DateTimeParseException e) {
                    return new Loaded(List.of(), file + ":" + (i + 1) + ": expires: '" + f[3].substring("expires=".length())
                            + "' is not an instant such as 2027-01-31T00:00:00Z", modified, size, now);
                }
            }
            if (f.length < 3 || f.length > 4 || (f.length == 4 && expires == null) || !f[2].matches("[0-9a-f]{64}")) {
                return new Loaded(List.of(), file + ":" + (i + 1) + ": expected NAME SCOPE SHA256-HEX [expires=INSTANT] (scope: a tenant or *); "
                        + "make a line with ./mxshift api-token --name NAME --tenant TENANT", modified, size, now);
            }
            entries.add(new Entry(f[0], f[1], HexFormat.of().parseHex(f[2]), expires));
        }
        if (entries.isEmpty()) {
            return new Loaded(List.of(), "the token file " + file + " holds no token; make one with ./mxshift api-token", modified, size, now);
        }
        return new Loaded(List.copyOf(entries), null, modified, size, now);
    }

    /** The file as it is now: read again if it changed since the last read. */
    private Loaded current() {
        Loaded last = loaded;
        Instant now = clock.instant();
        try {
            if (Files.getLastModifiedTime(file).equals(last.modified()) && Files.size(file) == last.size()
                    && now.isBefore(last.at().plus(READ_AT_LEAST_EVERY))) {
                return last;
            }
        } catch (IOException e) {
            // gone or unreadable: load() says so below
        }
        synchronized (this) {
            Loaded read = load(file, now);
            if (read.problem() != null && !read.problem().equals(last.problem())) {
                warnings.accept("api: the token file no longer reads, so no token is accepted until it is fixed: " + read.problem());
            } else if (read.problem() == null && last.problem() != null) {
                warnings.accept("api: the token file reads again: " + read.entries().size() + " token(s)");
            }
            loaded = read;
            return read;
        }
    }

    public Optional<Caller> authenticate(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        byte[] hash = sha256(token);
        Entry match = null;
        for (Entry e : current().entries()) {
            if (MessageDigest.isEqual(e.hash(), hash)) {
                match = e;
            }
        }
        if (match == null || (match.expires() != null && !clock.instant().isBefore(match.expires()))) {
            return Optional.empty();
        }
        return Optional.of(new Caller(match.name(), match.scope().equals("*") ? null : match.scope()));
    }

    /** A new random token and the line that admits it. */
    public record NewToken(String token, String line) {
        /** The line only: the token is shown once, where it is made, and never logged. */
        @Override
        public String toString() {
            return "NewToken[token=(hidden), line=" + line + "]";
        }
    }

    public static NewToken generate(String name, String scope) {
        return generate(name, scope, null);
    }

    /** As above, refused from {@code expires} on (null: it does not expire). */
    public static NewToken generate(String name, String scope, Instant expires) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = "mxs_" + HexFormat.of().formatHex(random);
        return new NewToken(token, name + " " + scope + " " + HexFormat.of().formatHex(sha256(token))
                + (expires == null ? "" : " expires=" + expires));
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
