package dev.mxshift.discovery.mtasts;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 8461 section 3.3: a policy is a 200 text/plain body; redirects and other types are not policies. */
class HttpResponseReaderTest {

    private static final String POLICY = "version: STSv1\r\nmode: enforce\r\nmx: *.mx.microsoft\r\nmax_age: 86400\r\n";

    @Test
    void readsASizedBody() throws IOException {
        assertThat(read("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + POLICY.length() + "\r\n\r\n" + POLICY))
                .isEqualTo(POLICY);
    }

    @Test
    void readsAChunkedBody() throws IOException {
        String half = POLICY.substring(0, 20);
        String rest = POLICY.substring(20);
        assertThat(read("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(half.length()) + "\r\n" + half + "\r\n" + Integer.toHexString(rest.length()) + "\r\n" + rest
                + "\r\n0\r\n\r\n")).isEqualTo(POLICY);
    }

    @Test
    void aRedirectIsNotFollowed() {
        assertThatThrownBy(() -> read("HTTP/1.1 301 Moved\r\nLocation: https://elsewhere/\r\nContent-Length: 0\r\n\r\n"))
                .hasMessageContaining("301").hasMessageContaining("redirects are not followed");
    }

    @Test
    void anotherContentTypeIsRefused() {
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 4\r\n\r\n<p/>"))
                .hasMessageContaining("text/html");
    }

    @Test
    void anOversizedBodyIsRefusedWithoutReadingIt() {
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 10000000\r\n\r\n"))
                .hasMessageContaining("more than");
    }

    @Test
    void aTruncatedBodyIsAnError() {
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nversion: STSv1"))
                .hasMessageContaining("closed before");
    }

    private static String read(String response) throws IOException {
        return MtaStsPolicyFetcher.HttpResponseReader.read(new ByteArrayInputStream(response.getBytes(StandardCharsets.UTF_8)),
                MtaStsPolicyFetcher.MAX_BODY);
    }
}
