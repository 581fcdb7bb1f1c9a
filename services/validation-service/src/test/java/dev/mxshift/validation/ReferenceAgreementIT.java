package dev.mxshift.validation;

import dev.mxshift.cryptotuning.CryptoTuning;
import dev.mxshift.cryptotuning.SignatureVerifications;
import dev.mxshift.validation.dane.DaneCheck;
import dev.mxshift.validation.dnssec.DnssecReason;
import dev.mxshift.validation.dnssec.DnssecValidator;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;

import dev.mxshift.lab.LabRun;
import dev.mxshift.lab.ReferenceTools;
import dev.mxshift.model.dns.DomainName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.xbill.DNS.Type;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * mxshift agrees with the reference tools on every scenario of the lab catalogue, both sides computed in this run:
 * its DNSSEC status ({@link DnssecValidator}, dnsjava's validator over the lab resolver with CD set) with Unbound's,
 * for each domain's MX and each target host; its DANE verdict (TLSA only for a secure host, RFC 7672 section 2.2;
 * the STARTTLS probe; DaneMatcher) with posttls-finger's, taking the host's DNSSEC status from its own validation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReferenceAgreementIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private LabRun lab;
    private JsonNode endpoints;
    private final List<JsonNode> tenants = new ArrayList<>();

    @BeforeAll
    void up() {
        // As the validating programs do first in main (decision 0037).
        CryptoTuning.installDnssecSignatureVerification();
        lab = LabRun.up(LabRun.repositoryRoot().resolve("services/validation-service/target/lab-dane"));
        endpoints = lab.endpoints();
        tenants.addAll(lab.tenants());
    }

    @AfterAll
    void down() {
        lab.close();
    }

    @TestFactory
    Stream<DynamicTest> mxshiftAndPosttlsFingerGiveTheSameDaneVerdict() {
        return tenants.stream().filter(t -> !t.path("targetHost").isNull()).map(t -> DynamicTest.dynamicTest(
                t.path("scenario").asString() + " " + t.path("targetHost").asString(), () -> {
                    String host = t.path("targetHost").asString();
                    int port = endpoints.path("smtp").get(0).path("port").asInt();
                    String reference = ReferenceTools.posttlsFinger(Path.of(endpoints.path("resolvConf").asString()), host, port);
                    String ours = mxshiftVerdict(host, port);
                    assertThat(ours).as("mxshift's verdict for %s (posttls-finger: %s)", host, reference).isEqualTo(reference);
                    assertThat(ours).isEqualTo(t.path("expect").path("dane").asString("verified"));
                }));
    }

    @TestFactory
    Stream<DynamicTest> mxshiftAndUnboundGiveTheSameDnssecStatus() throws Exception {
        String resolver = endpoints.path("resolver").path("address").asString();
        int resolverPort = endpoints.path("resolver").path("port").asInt();
        DnssecValidator validator = validator();
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode t : tenants) {
            List<String[]> questions = new ArrayList<>();
            questions.add(new String[]{t.path("domain").asString(), "MX"});
            if (!t.path("targetHost").isNull()) {
                questions.add(new String[]{t.path("targetHost").asString(), "A"});
            }
            for (String[] q : questions) {
                tests.add(DynamicTest.dynamicTest(t.path("scenario").asString() + " " + q[0] + " " + q[1], () -> {
                    int type = Type.value(q[1]);
                    String reference = ReferenceTools.unbound(resolver, resolverPort, q[0], type).verdict();
                    DnssecValidator.Result ours = validator.check(Name.fromString(q[0] + "."), type);
                    assertThat(inUnboundsWords(ours)).as("mxshift's status for %s %s (%s; Unbound: %s)", q[0], q[1], ours, reference)
                            .isEqualTo(reference);
                    if (q[1].equals("MX") && t.path("scenario").asString().startsWith("bogus")) {
                        assertThat(ours.status()).isEqualTo(DnssecValidator.Status.BOGUS);
                        // The reason a DNS operator acts on, found by checking each link of the chain.
                        assertThat(ours.code()).as(ours.reason()).isEqualTo(switch (t.path("scenario").asString()) {
                            case "bogus-ds-mismatch" -> DnssecReason.DS_MATCHES_NO_KEY;
                            case "bogus-expired" -> DnssecReason.SIGNATURE_EXPIRED;
                            case "bogus-missing-rrsig" -> DnssecReason.MISSING_SIGNATURE;
                            default -> throw new AssertionError("a bogus scenario without an expected reason: " + t.path("scenario"));
                        });
                    }
                    if (q[1].equals("MX") && ours.status() == DnssecValidator.Status.INSECURE) {
                        assertThat(ours.code()).isEqualTo(DnssecReason.NO_DS);
                    }
                    if (q[1].equals("MX") && t.path("scenario").asString().equals("lame-delegation")) {
                        assertThat(ours.status()).as("an upstream failure is not bogus").isEqualTo(DnssecValidator.Status.UPSTREAM_FAILURE);
                    }
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void theLabsDnssecSignaturesAreVerifiedByBouncyCastleCountedAndTheRepeatsRemembered() throws Exception {
        DnssecValidator validator = validator();
        JsonNode signed = tenants.stream().filter(t -> t.path("expect").path("unbound-mx").asString("").equals("secure")).findFirst()
                .orElseThrow(() -> new AssertionError("the lab catalogue has no signed domain"));
        Name domain = Name.fromString(signed.path("domain").asString() + ".");
        long computed = SignatureVerifications.computed();
        long remembered = SignatureVerifications.remembered();
        assertThat(validator.check(domain, Type.MX).status()).isEqualTo(DnssecValidator.Status.SECURE);
        assertThat(SignatureVerifications.providerOfAlgorithm13()).startsWith("MXSHIFT-BC (delegating to BC");
        assertThat(SignatureVerifications.computed() + SignatureVerifications.remembered() - computed - remembered)
                .as("the signatures of %s were verified through the counted provider", domain).isPositive();
        long rememberedBefore = SignatureVerifications.remembered();
        long computedBefore = SignatureVerifications.computed();
        assertThat(validator().check(domain, Type.MX).status()).as("a new validator, so dnsjava verifies the chain again")
                .isEqualTo(DnssecValidator.Status.SECURE);
        assertThat(SignatureVerifications.remembered()).as("the same verifications answered from memory").isGreaterThan(rememberedBefore);
        assertThat(SignatureVerifications.computed()).as("none of them computed again").isEqualTo(computedBefore);
    }

    private static String inUnboundsWords(DnssecValidator.Result result) {
        return switch (result.status()) {
            case BOGUS, UPSTREAM_FAILURE, INDETERMINATE -> "servfail";
            case SECURE -> result.rcode() == Rcode.NXDOMAIN ? "secure-nxdomain" : result.answers().isEmpty() ? "secure-nodata" : "secure";
            case INSECURE -> result.rcode() == Rcode.NXDOMAIN ? "nxdomain" : result.answers().isEmpty() ? "nodata" : "insecure";
        };
    }

    private String mxshiftVerdict(String host, int port) throws Exception {
        DaneCheck.Report report = new DaneCheck(validator(), port, Duration.ofSeconds(20), java.time.Clock.systemUTC())
                .check(DomainName.of(host));
        return report.inPosttlsFingersWords();
    }

    private DnssecValidator validator() throws Exception {
        SimpleResolver upstream = new SimpleResolver(new InetSocketAddress(endpoints.path("resolver").path("address").asString(),
                endpoints.path("resolver").path("port").asInt()));
        upstream.setTimeout(Duration.ofSeconds(20));
        return new DnssecValidator(upstream, Files.readString(Path.of(endpoints.path("trustAnchorFile").asString())));
    }
}
