package dev.mxshift.dnspush.connectors;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** AWS's Signature Version 4 test suite (get-vanilla, post-vanilla, get-vanilla-query-order-key-case). */
class AwsSignatureV4Test {

    private static final AwsSignatureV4 SUITE = new AwsSignatureV4("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "service");
    private static final Instant AT = Instant.parse("2015-08-30T12:36:00Z");

    @Test
    void getVanilla() {
        Map<String, String> headers = SUITE.sign("GET", URI.create("https://example.amazonaws.com/"), Map.of(), new byte[0], AT);
        assertThat(headers.get("X-Amz-Date")).isEqualTo("20150830T123600Z");
        assertThat(headers.get("Authorization")).isEqualTo("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    }

    @Test
    void postVanilla() {
        assertThat(SUITE.sign("POST", URI.create("https://example.amazonaws.com/"), Map.of(), new byte[0], AT).get("Authorization"))
                .endsWith("Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
    }

    @Test
    void queryParametersAreSortedByName() {
        assertThat(SUITE.sign("GET", URI.create("https://example.amazonaws.com/?Param2=value2&Param1=value1"), Map.of(), new byte[0], AT)
                .get("Authorization")).endsWith("Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
    }
}
