package dev.mxshift.operator.api;

import jakarta.servlet.http.HttpServletRequest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Request bodies read within the API's limits: a body that declares a larger length is refused before a byte is read,
 * one that grows past the limit while it streams is refused then (413, {@link ApiProblem.Code#PAYLOAD_TOO_LARGE}), and
 * one still arriving after the request's time limit is cut off (503 TIMEOUT), so a slow upload cannot hold a thread
 * for longer than any other call.
 */
public final class RequestBodies {

    private final long maxBytes;
    private final Duration maxTime;
    private final Clock clock;

    public RequestBodies(long maxBytes, Duration maxTime, Clock clock) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("the body limit must be at least 1 byte, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.maxTime = maxTime;
        this.clock = clock;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public byte[] bytes(HttpServletRequest request) {
        try (InputStream in = stream(request)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("the request body could not be read", e);
        }
    }

    /** The body in a new temporary file (the import and the dry run read files); the caller deletes it. */
    public Path toFile(HttpServletRequest request, String prefix, String extension) {
        Path file;
        try {
            file = Files.createTempFile(prefix, extension);
        } catch (IOException e) {
            throw new UncheckedIOException("no temporary file for the request body", e);
        }
        try (InputStream in = stream(request)) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new UncheckedIOException("the request body could not be read", (IOException) e);
        }
    }

    private InputStream stream(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > maxBytes) {
            throw tooLarge();
        }
        Instant deadline = clock.instant().plus(maxTime);
        return new FilterInputStream(request.getInputStream()) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                counted(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                counted(Math.max(n, 0));
                return n;
            }

            private void counted(int n) {
                read += n;
                if (read > maxBytes) {
                    throw tooLarge();
                }
                if (clock.instant().isAfter(deadline)) {
                    throw new ApiProblem(ApiProblem.Code.TIMEOUT, "the body took longer than " + maxTime.toSeconds()
                            + " s to arrive; nothing of it was used");
                }
            }
        };
    }

    private ApiProblem tooLarge() {
        return new ApiProblem(ApiProblem.Code.PAYLOAD_TOO_LARGE, "the body is larger than this API takes (" + maxBytes
                + " bytes); split it, or raise api --max-body");
    }
}
