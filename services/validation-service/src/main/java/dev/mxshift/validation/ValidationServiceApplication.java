package dev.mxshift.validation;

import dev.mxshift.cryptotuning.CryptoTuning;
import dev.mxshift.validation.dnssec.CommonPool;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The validation service: DNSSEC, SMTP DANE, MTA-STS and propagation checks; preflight gates and post-step verification.
 * It consumes the event log in its own consumer group; {@link ValidationHandler} acts on the events it owns.
 */
@SpringBootApplication
public class ValidationServiceApplication {

    public static void main(String[] args) {
        CommonPool.atLeastTwoThreads();
        CryptoTuning.installDnssecSignatureVerification();
        SpringApplication.run(ValidationServiceApplication.class, args);
    }
}
