package dev.mxshift.operator.templates;

import dev.mxshift.operator.templates.LegacyReferenceMatcher.Finding;
import dev.mxshift.operator.templates.LegacyReferenceMatcher.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LegacyReferenceMatcherTest {

    private final LegacyReferenceMatcher matcher = new LegacyReferenceMatcher(LegacyAddresses.parse(
            List.of("40.93.0.1", "2a01:111:f400::/48", "52.101.0.0/16"), List.of("a", "b", "c")));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "@ IN MX 0 {domain}.mail.protection.outlook.com.                 | LEGACY_KEY_PATTERN | {domain}.mail.protection.outlook.com",
            "\"mx\": \"${DOMAIN}.mail.protection.outlook.com\"                | LEGACY_KEY_PATTERN | ${DOMAIN}.mail.protection.outlook.com",
            "pdnsutil add-record $ZONE @ MX \"0 $DOMAIN-com.mail.protection.outlook.com\" | LEGACY_KEY_PATTERN | $DOMAIN-com.mail.protection.outlook.com",
            "set MX=%DOMAIN%.mail.protection.outlook.com                     | LEGACY_KEY_PATTERN | %DOMAIN%.mail.protection.outlook.com",
            "  exchange: \"{{ domain_key }}.mail.protection.outlook.com\"     | LEGACY_KEY_PATTERN | {{ domain_key }}.mail.protection.outlook.com",
            "MX 10 <domain>.mail.protection.outlook.com                      | LEGACY_KEY_PATTERN | <domain>.mail.protection.outlook.com",
            "$mx = \"$($Domain.Replace('.', '-')).mail.protection.outlook.com\" | LEGACY_KEY_PATTERN | $($Domain.Replace('.', '-')).mail.protection.outlook.com",
            "$mx = \"$env:TENANT_KEY.mail.eo.outlook.com\"                    | LEGACY_KEY_PATTERN | $env:TENANT_KEY.mail.eo.outlook.com",
            "contoso.com,MX,contoso-com.mail.protection.outlook.com,3600     | LEGACY_HOST        | contoso-com.mail.protection.outlook.com",
            "<value>Fabrikam-COM.mail.protection.outlook.de</value>          | LEGACY_HOST        | Fabrikam-COM.mail.protection.outlook.de",
            "v=spf1 a:contoso-com.mail.protection.outlook.com -all           | LEGACY_HOST        | contoso-com.mail.protection.outlook.com",
            "legacy_suffix = \"mail.protection.outlook.com\"                  | LEGACY_SUFFIX      | mail.protection.outlook.com",
            "relay IN CNAME MAIL.EO.OUTLOOK.COM.                             | LEGACY_SUFFIX      | mail.eo.outlook.com",
            "mail IN A 40.93.0.1                                             | LEGACY_ADDRESS     | 40.93.0.1",
            "v=spf1 ip4:52.101.4.0/24 include:spf.protection.outlook.com -all | LEGACY_ADDRESS     | 52.101.4.0/24",
            "v=spf1 ip6:2a01:111:f400:7e00::/54 -all                         | LEGACY_ADDRESS     | 2a01:111:f400:7e00::/54",
            "mail IN AAAA 2a01:111:f400::1.                                  | LEGACY_ADDRESS     | 2a01:111:f400::1",
            "relayhost = [40.93.0.1]:25                                      | LEGACY_ADDRESS     | 40.93.0.1",
            "curl http://40.93.0.1/health                                    | LEGACY_ADDRESS     | 40.93.0.1",
            "smarthost [2a01:111:f400:1::5]:25                               | LEGACY_ADDRESS     | 2a01:111:f400:1::5",
    })
    void findsEachKindOfReference(String line, Kind kind, String text) {
        List<Finding> found = matcher.scan(line);
        assertThat(found).extracting(Finding::kind).containsExactly(kind);
        assertThat(found.get(0).text()).isEqualToIgnoringCase(text);
        assertThat(line.substring(found.get(0).column() - 1).toLowerCase()).startsWith(text.toLowerCase());
        assertThat(found.get(0).fix()).contains("mx.microsoft");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "@ IN TXT \"v=spf1 include:spf.protection.outlook.com -all\"",
            "autodiscover IN CNAME autodiscover.outlook.com.",
            "@ IN TXT \"MS=ms12345678\"",
            "selector1._domainkey IN CNAME selector1-contoso-com._domainkey.contoso.onmicrosoft.com.",
            "selector2._domainkey IN CNAME selector2-{domain}._domainkey.{tenant}.onmicrosoft.com.",
            "@ IN MX 0 contoso-com.o-v1.mx.microsoft.",
            "@ IN MX 0 {domain}.{letter}-v1.mx.microsoft.",
            "_mta-sts IN TXT \"v=STSv1; id=20261201\"",
            "mx: *.mx.microsoft",
            "sip IN CNAME sipdir.online.lync.com.",
            "enterpriseregistration IN CNAME enterpriseregistration.windows.net.",
            "mail IN A 40.93.0.2",
            "started at 10:30:00 by build 1.2.3.4.5",
            "see https://learn.microsoft.com/exchange/mail-flow-best-practices/",
            "xmail.protection.outlook.com.example is another name",
            "mail.protection.outlook.community",
            "contoso-com.mail.protection.outlook.com.example.net is someone else's name",
    })
    void staysQuietOnWhatRemainsValid(String line) {
        assertThat(matcher.scan(line)).isEmpty();
    }

    @Test
    void reportsEveryReferenceOnALineInOrder() {
        List<Finding> found = matcher.scan("@ MX 0 {domain}.mail.protection.outlook.com. ; was contoso-com.mail.protection.outlook.com, 40.93.0.1");
        assertThat(found).extracting(Finding::kind).containsExactly(Kind.LEGACY_KEY_PATTERN, Kind.LEGACY_HOST, Kind.LEGACY_ADDRESS);
        assertThat(found).extracting(Finding::column).isSorted();
    }

    @Test
    void withoutAddressesNoAddressIsReported() {
        assertThat(new LegacyReferenceMatcher(LegacyAddresses.NONE).scan("mail IN A 40.93.0.1")).isEmpty();
    }

    @Test
    void aBadLegacyAddressIsNamedWithWhereItCameFrom() {
        assertThatThrownBy(() -> LegacyAddresses.parse(List.of("40.93.0.1", "mail.example.com"), List.of("f:1", "legacy.txt:7")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("legacy.txt:7: 'mail.example.com' is not an IPv4 or IPv6 address");
        assertThatThrownBy(() -> LegacyAddresses.parse(List.of("10.1"), List.of("--legacy-address")))
                .hasMessageContaining("'10.1'");
        assertThatThrownBy(() -> LegacyAddresses.parse(List.of("40.93.0.0/33"), List.of("--legacy-address")))
                .hasMessageContaining("'40.93.0.0/33'");
    }

    @Test
    void networksOverlapWhenTheShorterPrefixAgrees() {
        LegacyAddresses.Network range = LegacyAddresses.Network.parseOrNull("52.100.0.0/14");
        assertThat(range.overlaps(LegacyAddresses.Network.parseOrNull("52.103.255.255"))).isTrue();
        assertThat(range.overlaps(LegacyAddresses.Network.parseOrNull("52.104.0.0"))).isFalse();
        assertThat(range.overlaps(LegacyAddresses.Network.parseOrNull("52.0.0.0/8"))).isTrue();
        assertThat(range.overlaps(LegacyAddresses.Network.parseOrNull("2a01::1"))).isFalse();
    }
}
