package dev.mxshift.discovery;

import dev.mxshift.cryptotuning.CryptoTuning;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The discovery service: Inventory in, each domain's DNS facts out.
 * It consumes the event log in its own consumer group; {@link DiscoveryHandler} acts on the events it owns.
 */
@SpringBootApplication
public class DiscoveryServiceApplication {

    public static void main(String[] args) {
        // The MTA-STS fetches are JSSE handshakes: their signatures and key shares by BouncyCastle (decision 0037).
        CryptoTuning.installJsseHandshakeArithmetic();
        SpringApplication.run(DiscoveryServiceApplication.class, args);
    }
}
