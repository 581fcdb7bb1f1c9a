package dev.mxshift.operator.api;

import jakarta.servlet.http.HttpServletRequest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Request bodies read within the API's limit: a body that declares a larger length is refused before a byte is read, and
 * one that grows past the limit while it streams is refused then (413, {@link ApiProblem.Code#PAYLOAD_TOO_LARGE}).
 */
public final class RequestBodies {

    private final long maxBytes;

    public RequestBodies(long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("the body limit must be at least 1 byte, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
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
            }
        };
    }

    private ApiProblem tooLarge() {
        return new ApiProblem(ApiProblem.Code.PAYLOAD_TOO_LARGE, "the body is larger than this API takes (" + maxBytes
                + " bytes); split it, or raise api --max-body");
    }
}
