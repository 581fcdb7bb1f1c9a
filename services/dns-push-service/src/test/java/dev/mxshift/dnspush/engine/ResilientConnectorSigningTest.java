package dev.mxshift.dnspush.engine;

import dev.mxshift.connector.CdsMode;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.SigningKey;
import dev.mxshift.connector.SigningRequest;
import dev.mxshift.connector.ZoneSigning;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine's wrapper passes the DNSSEC calls through its retries like any other call: a retryable failure is tried
 * again, a refusal is not, and a connector that does not manage DNSSEC stays UNSUPPORTED. The connector here is a
 * scripted SPI implementation: what is under test is the wrapper, not a provider.
 */
class ResilientConnectorSigningTest {

    private static final ZoneSigning SIGNED = new ZoneSigning("example.net", true,
            List.of(new SigningKey(1234, 13, 257, "257 3 13 AAAA")), List.of("1234 13 2 AB"), CdsMode.NONE);

    /** Fails its first {@code failures} calls of each DNSSEC method with {@code kind}, then answers SIGNED. */
    private static final class Scripted extends InertConnector {
        final AtomicInteger calls = new AtomicInteger();
        final int failures;
        final ConnectorException.Kind kind;

        Scripted(int failures, ConnectorException.Kind kind) {
            super("scripted", true);
            this.failures = failures;
            this.kind = kind;
        }

        private ZoneSigning answer() throws ConnectorException {
            if (calls.incrementAndGet() <= failures) {
                throw kind == ConnectorException.Kind.RETRYABLE ? ConnectorException.outcomeUnknown("answer lost", null)
                        : new ConnectorException(kind, "refused");
            }
            return SIGNED;
        }

        @Override
        public ZoneSigning signing(String zone) throws ConnectorException {
            return answer();
        }

        @Override
        public ZoneSigning sign(String zone, SigningRequest request) throws ConnectorException {
            return answer();
        }

        @Override
        public ZoneSigning publishCds(String zone, CdsMode mode) throws ConnectorException {
            return answer();
        }

        @Override
        public ZoneSigning unsign(String zone) throws ConnectorException {
            return answer();
        }
    }

    private static ResilientConnector wrapped(DnsConnector delegate) {
        return new ResilientConnector(delegate, new ResilientConnector.Limits(100, Duration.ofSeconds(1), 3, Duration.ofMillis(10), 4, 50,
                Duration.ofSeconds(1)));
    }

    @Test
    void aRetryableFailureOfEachDnssecCallIsTriedAgain() throws ConnectorException {
        Scripted sign = new Scripted(2, ConnectorException.Kind.RETRYABLE);
        assertThat(wrapped(sign).sign("example.net", SigningRequest.defaults())).isEqualTo(SIGNED);
        assertThat(sign.calls).hasValue(3);
        Scripted read = new Scripted(1, ConnectorException.Kind.RETRYABLE);
        assertThat(wrapped(read).signing("example.net")).isEqualTo(SIGNED);
        assertThat(read.calls).hasValue(2);
        Scripted cds = new Scripted(1, ConnectorException.Kind.RETRYABLE);
        assertThat(wrapped(cds).publishCds("example.net", CdsMode.PUBLISH)).isEqualTo(SIGNED);
        assertThat(cds.calls).hasValue(2);
        Scripted unsign = new Scripted(1, ConnectorException.Kind.RETRYABLE);
        assertThat(wrapped(unsign).unsign("example.net")).isEqualTo(SIGNED);
        assertThat(unsign.calls).hasValue(2);
    }

    @Test
    void aRefusedUnsignIsNotRetried() {
        Scripted refusing = new Scripted(5, ConnectorException.Kind.PERMANENT);
        assertThatThrownBy(() -> wrapped(refusing).unsign("example.net"))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.kind()).isEqualTo(ConnectorException.Kind.PERMANENT));
        assertThat(refusing.calls).hasValue(1);
    }

    @Test
    void aConnectorThatDoesNotManageDnssecStaysUnsupportedThroughTheWrapper() {
        DnsConnector plain = new InertConnector("plain", false);
        assertThatThrownBy(() -> wrapped(plain).sign("example.net", SigningRequest.defaults()))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ConnectorException.Kind.UNSUPPORTED);
                    assertThat(e.getMessage()).contains("plain").contains("dnssecManagement");
                });
    }
}
