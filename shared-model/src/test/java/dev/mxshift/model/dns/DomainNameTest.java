package dev.mxshift.model.dns;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DomainNameTest {

    @ParameterizedTest
    @CsvSource({
            "Contoso.COM, contoso.com",
            "contoso.com., contoso.com",
            "bücher.de, xn--bcher-kva.de",
            "XN--BCHER-KVA.DE, xn--bcher-kva.de",
            "例え.jp, xn--r8jz45g.jp",
            "ama-inc.com, ama-inc.com",
            "faß.de, xn--fa-hia.de"
    })
    void everySpellingOfANameHasOneCanonicalForm(String input, String canonical) {
        assertThat(DomainName.of(input).value()).isEqualTo(canonical);
    }

    @Test
    void theUnicodeFormIsForPeople() {
        assertThat(DomainName.of("xn--bcher-kva.de").unicode()).isEqualTo("bücher.de");
    }

    @Test
    void aThreeHundredCharacterNameIsRejectedWithItsLength() {
        String longName = ("a".repeat(60) + ".").repeat(5) + "com"; // 5*61 + 3 = 308
        assertThatThrownBy(() -> DomainName.of(longName))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("is 308 characters long")
                .hasMessageContaining("the limit is 253");
    }

    @Test
    void aLabelOverSixtyThreeCharactersIsNamed() {
        assertThatThrownBy(() -> DomainName.of("a".repeat(64) + ".com"))
                .hasMessageContaining("is 64 characters long; the limit is 63");
    }

    @Test
    void anEmptyLabelIsNamedByPosition() {
        assertThatThrownBy(() -> DomainName.of("mail..example.com"))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> {
                    assertThat(e.field()).isEqualTo("domain name");
                    assertThat(e.reason()).contains("label 2 is empty");
                });
        assertThatThrownBy(() -> DomainName.of(".example.com")).hasMessageContaining("label 1 is empty");
    }

    @Test
    void aWildcardIsNotADomain() {
        assertThatThrownBy(() -> DomainName.of("*.example.com"))
                .hasMessageContaining("'*.example.com'")
                .hasMessageContaining("wildcard");
    }

    @Test
    void nonAsciiThatIsNotValidIdnaSaysWhy() {
        // A label may not start with a combining mark (RFC 5891 section 5.4).
        assertThatThrownBy(() -> DomainName.of("\u0301abc.example"))
                .hasMessageContaining("not a valid internationalised domain name")
                .hasMessageContaining("starts with a combining mark");
        // A zero-width joiner outside its allowed context (RFC 5892 appendix A.2).
        assertThatThrownBy(() -> DomainName.of("ab\u200Dc.example"))
                .hasMessageContaining("allowed context");
        // An xn-- label that is not valid Punycode.
        assertThatThrownBy(() -> DomainName.of("xn--a.example"))
                .hasMessageContaining("not a valid internationalised domain name");
    }

    @Test
    void otherBadInputIsNamed() {
        assertThatThrownBy(() -> DomainName.of("")).hasMessageContaining("is empty");
        assertThatThrownBy(() -> DomainName.of(null)).hasMessageContaining("(missing)");
        assertThatThrownBy(() -> DomainName.of(".")).hasMessageContaining("DNS root");
        assertThatThrownBy(() -> DomainName.of("exa mple.com")).hasMessageContaining("whitespace");
        assertThatThrownBy(() -> DomainName.of("-example.com")).hasMessageContaining("starts with '-'");
        assertThatThrownBy(() -> DomainName.of("_dmarc.example.com")).hasMessageContaining("'_'");
        assertThatThrownBy(() -> DomainName.of("192.168.0.1")).hasMessageContaining("IP address");
        assertThatThrownBy(() -> DomainName.of("exa$mple.com")).hasMessageContaining("not allowed in host names");
    }

    @Test
    void aWildcardPatternCoversExactlyOneLabel() {
        DomainName host = DomainName.of("contoso-com.o-v1.mx.microsoft");
        assertThat(host.matchesPattern("*.o-v1.mx.microsoft")).isTrue();
        assertThat(host.matchesPattern("*.mx.microsoft")).isFalse();
        assertThat(host.matchesPattern("Contoso-com.O-v1.mx.microsoft.")).isTrue();
        assertThat(DomainName.of("o-v1.mx.microsoft").matchesPattern("*.o-v1.mx.microsoft")).isFalse();
        assertThat(host.matchesPattern("*.microsoft")).isFalse();
    }

    @Test
    void theRecordConstructorAcceptsOnlyCanonicalValues() {
        assertThatThrownBy(() -> new DomainName("Contoso.com")).hasMessageContaining("not in canonical form");
        assertThat(new DomainName("contoso.com")).isEqualTo(DomainName.of("CONTOSO.com."));
    }

    @Test
    void aNameOnceFoundCanonicalDoesNotLetAnotherSpellingOrAnInvalidNameThrough() {
        for (int i = 0; i < 3; i++) {
            assertThat(new DomainName("xn--bcher-kva.example").unicode()).isEqualTo("bücher.example");
            assertThatThrownBy(() -> new DomainName("Xn--bcher-kva.example")).hasMessageContaining("not in canonical form");
            // an A-label whose Punycode decodes to a disallowed name: refused every time, not only the first
            assertThatThrownBy(() -> DomainName.of("xn--a.example")).isInstanceOf(InvalidValueException.class);
            assertThatThrownBy(() -> DomainName.of("-leading-hyphen.example")).isInstanceOf(InvalidValueException.class);
            assertThatThrownBy(() -> new DomainName("contoso com.example")).isInstanceOf(InvalidValueException.class);
        }
    }

    @Test
    void namesReadFromDnsAreCheckedAsHostNamesNotAsIdna() {
        // What IDNA 2008 refuses and DNS carries: operator input stays strict, a name from an answer does not.
        for (String name : List.of("ab--cd.mail.protection.outlook.com", "-x.example", "x-.example", "_25._tcp.mx.example")) {
            assertThatThrownBy(() -> DomainName.of(name)).isInstanceOf(InvalidValueException.class);
            assertThat(DomainName.fromDns(name + ".").value()).isEqualTo(name);
            assertThat(DomainName.decode(name)).as("an event holding it decodes").isEqualTo(DomainName.fromDns(name));
        }
        assertThat(DomainName.fromDns("AB--CD.Example.").value()).isEqualTo("ab--cd.example");
        assertThat(DomainName.decode("Bücher.DE").value()).as("any other spelling goes through of()").isEqualTo("xn--bcher-kva.de");
    }

    @Test
    void aNameFromDnsThatIsNoHostNameIsRefusedNamingTheLabel() {
        assertThatThrownBy(() -> DomainName.fromDns("bad\\032host.example.")).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("label 'bad\\032host' holds an escaped octet (\\032)");
        assertThatThrownBy(() -> DomainName.fromDns("host\\255.example.")).hasMessageContaining("escaped octet (\\255)");
        assertThatThrownBy(() -> DomainName.fromDns("a..example.")).hasMessageContaining("label 2 is empty");
        assertThatThrownBy(() -> DomainName.fromDns("x".repeat(64) + ".example.")).hasMessageContaining("64 characters long; the limit is 63");
        assertThatThrownBy(() -> DomainName.fromDns("192.0.2.25.")).hasMessageContaining("all-numeric");
        assertThatThrownBy(() -> DomainName.fromDns(".")).hasMessageContaining("root");
        assertThatThrownBy(() -> DomainName.fromDns("bücher.de")).hasMessageContaining("'ü'");
    }
}
