package dev.mxshift.operator.api;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the operator API serves: where, with which certificate, and its limits.
 *
 * @param address              where to listen
 * @param tlsCertificate       PEM certificate chain for HTTPS (null: plain HTTP)
 * @param tlsPrivateKey        PEM private key of the certificate
 * @param plainHttpOnNetwork   serve plain HTTP on an address other than loopback, as asked explicitly
 * @param maxBodyBytes         a larger request body is 413
 * @param requestTimeout       a call that takes longer is answered 503 (TIMEOUT)
 * @param requestsPerSecond    per token; more are 429 with Retry-After
 * @param confirmWait          how long an action waits to see its event recorded before it answers "pending"
 */
public record ApiSettings(InetSocketAddress address, Path tlsCertificate, Path tlsPrivateKey, boolean plainHttpOnNetwork,
                          long maxBodyBytes, Duration requestTimeout, int requestsPerSecond, Duration confirmWait) {

    public static final long DEFAULT_MAX_BODY_BYTES = 32L * 1024 * 1024;

    public ApiSettings {
        if ((tlsCertificate == null) != (tlsPrivateKey == null)) {
            throw new IllegalArgumentException("HTTPS needs both the certificate (--tls-certificate) and its key (--tls-key)");
        }
        if (maxBodyBytes < 1 || requestsPerSecond < 1 || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("the body limit, the request time limit and the rate limit must be positive");
        }
        if (tlsCertificate == null && !plainHttpOnNetwork && !loopback(address)) {
            throw new IllegalArgumentException("the API would serve tokens in plain HTTP on " + address.getHostString()
                    + ", which is not a loopback address: give --tls-certificate and --tls-key, or --plain-http-on-network"
                    + " if a TLS proxy in front of it is the only way in");
        }
    }

    /** Plain HTTP with the default limits, for loopback (tests and a local operator). */
    public static ApiSettings plain(InetSocketAddress address) {
        return new ApiSettings(address, null, null, false, DEFAULT_MAX_BODY_BYTES, Duration.ofSeconds(120), 20, Duration.ofSeconds(60));
    }

    public boolean https() {
        return tlsCertificate != null;
    }

    public ApiSettings withTls(Path certificate, Path key) {
        return new ApiSettings(address, certificate, key, plainHttpOnNetwork, maxBodyBytes, requestTimeout, requestsPerSecond, confirmWait);
    }

    public ApiSettings withLimits(long maxBodyBytes, Duration requestTimeout, int requestsPerSecond) {
        return new ApiSettings(address, tlsCertificate, tlsPrivateKey, plainHttpOnNetwork, maxBodyBytes, requestTimeout, requestsPerSecond, confirmWait);
    }

    public ApiSettings withConfirmWait(Duration wait) {
        return new ApiSettings(address, tlsCertificate, tlsPrivateKey, plainHttpOnNetwork, maxBodyBytes, requestTimeout, requestsPerSecond, wait);
    }

    private static boolean loopback(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        return ip != null && ip.isLoopbackAddress();
    }
}
