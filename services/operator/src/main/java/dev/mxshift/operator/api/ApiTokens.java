package dev.mxshift.operator.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The API's tokens: a file of lines {@code NAME SCOPE SHA256-HEX} (scope: a tenant id, or {@code *} for all tenants;
 * {@code #} starts a comment). Only hashes are stored; a token is compared by its hash in constant time, and the
 * token itself appears nowhere but in the caller's hands.
 */
public final class ApiTokens {

    /** Who a token is: its name and the tenant it may see and touch (null: every tenant). */
    public record Caller(String name, String tenant) {
        public boolean allTenants() {
            return tenant == null;
        }
    }

    private record Entry(String name, String scope, byte[] hash) {
    }

    private final List<Entry> entries;

    private ApiTokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static ApiTokens read(Path file) {
        List<Entry> entries = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the token file " + file + ": " + e.getMessage());
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length != 3 || !f[2].matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected NAME SCOPE SHA256-HEX (scope: a tenant or *); "
                        + "make a line with ./mxshift api-token --name NAME --tenant TENANT");
            }
            entries.add(new Entry(f[0], f[1], HexFormat.of().parseHex(f[2])));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("the token file " + file + " holds no token; make one with ./mxshift api-token");
        }
        return new ApiTokens(entries);
    }

    public Optional<Caller> authenticate(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        byte[] hash = sha256(token);
        Entry match = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.hash(), hash)) {
                match = e;
            }
        }
        return match == null ? Optional.empty() : Optional.of(new Caller(match.name(), match.scope().equals("*") ? null : match.scope()));
    }

    /** A new random token and the line that admits it. */
    public record NewToken(String token, String line) {
    }

    public static NewToken generate(String name, String scope) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = "mxs_" + HexFormat.of().formatHex(random);
        return new NewToken(token, name + " " + scope + " " + HexFormat.of().formatHex(sha256(token)));
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
