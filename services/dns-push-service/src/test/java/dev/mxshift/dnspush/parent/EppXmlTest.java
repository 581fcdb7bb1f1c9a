package dev.mxshift.dnspush.parent;

import dev.mxshift.connector.ConnectorConfig;
import dev.mxshift.connector.ConnectorException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What mxshift writes to a registry and how it reads the answers (RFC 5730, RFC 5731, RFC 5910), without a network. */
class EppXmlTest {

    private static final String DS = "12345 13 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE6A1A0A3B9BD5C5A5F2F1E3D4";

    private static Document parse(String xml) throws Exception {
        return EppXml.parse(xml.getBytes(StandardCharsets.UTF_8));
    }

    private static Element first(Document doc, String namespace, String name) {
        return (Element) doc.getElementsByTagNameNS(namespace, name).item(0);
    }

    @Test
    void loginNamesTheClientTheDomainServiceAndSecDnsAndEscapesThePassword() throws Exception {
        Document login = parse(EppXml.login("registrar-1", "p<w&\"d'", "mxshift-1"));
        assertThat(first(login, EppXml.EPP, "clID").getTextContent()).isEqualTo("registrar-1");
        assertThat(first(login, EppXml.EPP, "pw").getTextContent()).isEqualTo("p<w&\"d'");
        assertThat(first(login, EppXml.EPP, "version").getTextContent()).isEqualTo("1.0");
        assertThat(first(login, EppXml.EPP, "objURI").getTextContent()).isEqualTo("urn:ietf:params:xml:ns:domain-1.0");
        assertThat(first(login, EppXml.EPP, "extURI").getTextContent()).isEqualTo("urn:ietf:params:xml:ns:secDNS-1.1");
        assertThat(first(login, EppXml.EPP, "clTRID").getTextContent()).isEqualTo("mxshift-1");
    }

    @Test
    void anUpdateCarriesOnlyTheNameAndTheSecDnsExtensionRemovalsBeforeAdditions() throws Exception {
        EppXml.DsData old = EppXml.DsData.parse("1 8 2 " + "AB".repeat(32));
        Document update = parse(EppXml.update("example.com", false, List.of(old), List.of(), List.of(EppXml.DsData.parse(DS)), List.of(), "id-2"));
        Element domainUpdate = first(update, EppXml.DOMAIN, "update");
        assertThat(EppXml.children(domainUpdate, EppXml.DOMAIN, "name")).hasSize(1);
        assertThat(domainUpdate.getChildNodes().getLength()).as("no domain:add, rem or chg").isEqualTo(1);
        Element secDns = first(update, EppXml.SEC_DNS, "update");
        assertThat(secDns.getParentNode().getLocalName()).isEqualTo("extension");
        assertThat(secDns.getAttribute("urgent")).isEmpty();
        assertThat(((Element) secDns.getFirstChild()).getLocalName()).isEqualTo("rem");
        assertThat(((Element) secDns.getLastChild()).getLocalName()).isEqualTo("add");
        Element added = EppXml.child(EppXml.child(secDns, EppXml.SEC_DNS, "add").orElseThrow(), EppXml.SEC_DNS, "dsData").orElseThrow();
        assertThat(EppXml.child(added, EppXml.SEC_DNS, "keyTag").orElseThrow().getTextContent()).isEqualTo("12345");
        assertThat(EppXml.child(added, EppXml.SEC_DNS, "alg").orElseThrow().getTextContent()).isEqualTo("13");
        assertThat(EppXml.child(added, EppXml.SEC_DNS, "digestType").orElseThrow().getTextContent()).isEqualTo("2");
        assertThat(EppXml.child(added, EppXml.SEC_DNS, "digest").orElseThrow().getTextContent()).isEqualTo(DS.split(" ")[3]);
        assertThat(EppXml.children(EppXml.child(secDns, EppXml.SEC_DNS, "rem").orElseThrow(), EppXml.SEC_DNS, "dsData")).hasSize(1);
    }

    @Test
    void withdrawingIsRemAllTrueAndNothingElse() throws Exception {
        Document update = parse(EppXml.update("example.com", true, List.of(), List.of(), List.of(), List.of(), "id-3"));
        Element secDns = first(update, EppXml.SEC_DNS, "update");
        assertThat(secDns.getChildNodes().getLength()).isEqualTo(1);
        Element rem = EppXml.child(secDns, EppXml.SEC_DNS, "rem").orElseThrow();
        assertThat(EppXml.child(rem, EppXml.SEC_DNS, "all").orElseThrow().getTextContent()).isEqualTo("true");
    }

    @Test
    void keyDataCarriesFlagsProtocolAlgorithmAndTheKey() throws Exception {
        EppXml.KeyData key = EppXml.KeyData.parse("257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==");
        Document update = parse(EppXml.update("example.de", false, List.of(), List.of(), List.of(), List.of(key), "id-4"));
        Element data = first(update, EppXml.SEC_DNS, "keyData");
        assertThat(EppXml.child(data, EppXml.SEC_DNS, "flags").orElseThrow().getTextContent()).isEqualTo("257");
        assertThat(EppXml.child(data, EppXml.SEC_DNS, "protocol").orElseThrow().getTextContent()).isEqualTo("3");
        assertThat(EppXml.child(data, EppXml.SEC_DNS, "pubKey").orElseThrow().getTextContent()).isEqualTo(key.pubKey());
    }

    @Test
    void infoAnswersSecDnsDataAsTheRfcShowsItAndNoneWhenAbsent() throws Exception {
        // RFC 5910 section 5.1.2's example, with the secDNS-1.1 namespace
        Document answer = parse("""
                <?xml version="1.0" encoding="UTF-8" standalone="no"?>
                <epp xmlns="urn:ietf:params:xml:ns:epp-1.0"><response>
                  <result code="1000"><msg>Command completed successfully</msg></result>
                  <resData><domain:infData xmlns:domain="urn:ietf:params:xml:ns:domain-1.0"><domain:name>example.com</domain:name>
                    <domain:roid>EXAMPLE1-REP</domain:roid></domain:infData></resData>
                  <extension><secDNS:infData xmlns:secDNS="urn:ietf:params:xml:ns:secDNS-1.1">
                    <secDNS:dsData><secDNS:keyTag>12345</secDNS:keyTag><secDNS:alg>3</secDNS:alg><secDNS:digestType>1</secDNS:digestType>
                      <secDNS:digest>49fd46e6c4b45c55d4ac</secDNS:digest></secDNS:dsData>
                  </secDNS:infData></extension>
                  <trID><clTRID>ABC-12345</clTRID><svTRID>54322-XYZ</svTRID></trID>
                </response></epp>""".strip());
        EppXml.Response response = EppXml.response(answer);
        assertThat(response.code()).isEqualTo(1000);
        assertThat(response.success()).isTrue();
        assertThat(response.clTRID()).isEqualTo("ABC-12345");
        assertThat(response.svTRID()).isEqualTo("54322-XYZ");
        assertThat(EppXml.secDnsInfo(answer).ds()).containsExactly(new EppXml.DsData(12345, 3, 1, "49FD46E6C4B45C55D4AC"));
        Document none = parse("<epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\"><response><result code=\"1000\"><msg>ok</msg></result>"
                + "<trID><svTRID>1</svTRID></trID></response></epp>");
        assertThat(EppXml.secDnsInfo(none).ds()).isEmpty();
        assertThat(EppXml.secDnsInfo(none).keys()).isEmpty();
    }

    @Test
    void anErrorsReasonIsKeptBesideItsMessage() throws Exception {
        EppXml.Response response = EppXml.response(parse("<epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\"><response><result code=\"2306\">"
                + "<msg>Parameter value policy error</msg><extValue><value><x/></value><reason>digest type 1 is not accepted</reason></extValue>"
                + "</result><trID><svTRID>9</svTRID></trID></response></epp>"));
        assertThat(response.success()).isFalse();
        assertThat(response.message()).isEqualTo("Parameter value policy error: digest type 1 is not accepted");
    }

    @Test
    void aDocumentWithADtdIsRefusedSoNoEntityIsEverResolved(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "do-not-read");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE epp [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + "<epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\"><response><result code=\"1000\"><msg>&x;</msg></result></response></epp>";
        assertThatThrownBy(() -> parse(xxe)).isInstanceOf(EppXml.EppSyntaxException.class).hasMessageContaining("DOCTYPE")
                .hasMessageNotContaining("do-not-read");
    }

    @Test
    void aDocumentOutsideTheEppNamespaceIsNoAnswer() {
        assertThatThrownBy(() -> parse("<epp><response/></epp>")).isInstanceOf(EppXml.EppSyntaxException.class)
                .hasMessageContaining("not an EPP one");
        assertThatThrownBy(() -> parse("<epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\"><response>")).isInstanceOf(EppXml.EppSyntaxException.class)
                .hasMessageContaining("not well-formed");
    }

    @Test
    void theGreetingsOfferIsItsObjectAndExtensionUris() throws Exception {
        Document greeting = parse("<epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\"><greeting><svID>x</svID><svDate>2026-12-06T00:00:00Z</svDate>"
                + "<svcMenu><version>1.0</version><lang>en</lang><objURI>urn:ietf:params:xml:ns:domain-1.0</objURI>"
                + "<objURI>urn:ietf:params:xml:ns:host-1.0</objURI><svcExtension><extURI>urn:ietf:params:xml:ns:secDNS-1.1</extURI>"
                + "</svcExtension></svcMenu></greeting></epp>");
        assertThat(EppXml.greetingServices(greeting)).containsExactly(EppXml.DOMAIN, "urn:ietf:params:xml:ns:host-1.0", EppXml.SEC_DNS);
        assertThatThrownBy(() -> EppXml.greetingServices(parse("<epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\"><response/></epp>")))
                .hasMessageContaining("not a <greeting>");
    }

    @ParameterizedTest(name = "EPP {0} -> {1}")
    @CsvSource({
            "2400, RETRYABLE", "2500, RETRYABLE", "2502, RETRYABLE",
            "2200, AUTHENTICATION", "2501, AUTHENTICATION",
            "2201, PERMANENT", "2303, PERMANENT", "2304, PERMANENT", "2306, PERMANENT", "2001, PERMANENT", "2005, PERMANENT", "2102, PERMANENT"})
    void resultCodesBecomeWhatTheCallerShouldDo(int code, ConnectorException.Kind kind) {
        ConnectorException e = EppRegistrar.failure("reg-1", "update the secDNS data of example.com",
                new EppXml.Response(code, "the server's words", "c-1", "s-1", null));
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.getMessage()).startsWith("registrar reg-1: update the secDNS data of example.com: EPP " + code + " the server's words")
                .contains("svTRID s-1");
        assertThat(e.outcomeUnknown()).isFalse();
    }

    @Test
    void anUnknownDomainSaysSo() {
        assertThat(EppRegistrar.failure("r", "x", new EppXml.Response(2303, "Object does not exist", null, null, null)).getMessage())
                .contains("the registry does not know the domain");
    }

    @Test
    void dsAndDnskeyTextIsCheckedAndNamedWhenBad() {
        assertThat(EppXml.DsData.parse(DS.toLowerCase()).rdata()).isEqualTo(DS);
        assertThatThrownBy(() -> EppXml.DsData.parse("12345 13 2")).hasMessageContaining("'12345 13 2' is not DS rdata");
        assertThatThrownBy(() -> EppXml.DsData.parse("12345 13 2 XYZ")).hasMessageContaining("hex digest");
        assertThatThrownBy(() -> EppXml.KeyData.parse("257 3 13 ***")).hasMessageContaining("base64 key");
    }

    @Test
    void settingsAreCheckedAtStartAndThePasswordIsNeverQuoted(@TempDir Path dir) throws Exception {
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, "not a certificate");
        Path password = dir.resolve("password");
        Files.writeString(password, "zq9");
        Map<String, String> settings = new HashMap<>(Map.of("host", "epp.example", "client-id", "reg-1", "password", "file:" + password,
                "ca-file", ca.toString()));
        assertThatThrownBy(() -> registrar(settings)).isInstanceOf(ConnectorException.class)
                .hasMessageContaining("file:" + password).hasMessageContaining("6 to 16").hasMessageNotContaining("zq9");
        Files.writeString(password, "correct-horse-1");
        assertThatThrownBy(() -> registrar(settings)).hasMessageContaining("cannot build its TLS setup from ca-file " + ca)
                .hasMessageNotContaining("correct-horse-1");
        settings.put("interface", "ds");
        assertThatThrownBy(() -> registrar(settings)).hasMessageContaining("interface 'ds' is not one of ds-data");
        settings.remove("interface");
        settings.put("port", "seven");
        assertThatThrownBy(() -> registrar(settings)).hasMessageContaining("port 'seven' is not a number from 1 to 65535");
        settings.remove("port");
        settings.put("client-certificate", ca.toString());
        assertThatThrownBy(() -> registrar(settings)).hasMessageContaining("client-certificate and client-key go together");
        settings.remove("client-certificate");
        settings.remove("password");
        assertThatThrownBy(() -> registrar(settings)).hasMessageContaining("needs the setting 'password'");
    }

    private static EppRegistrar registrar(Map<String, String> settings) throws ConnectorException {
        return new EppRegistrar(new ConnectorConfig("reg-1", "epp", settings, r -> new dev.mxshift.service.SecretReference(r).resolve()));
    }
}
