package dev.mxshift.lab;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lab registry's EPP server answers as RFC 5730 and RFC 5910 say, before it ever touches its database: these
 * documents are refused (or answered) by the protocol rules alone, so no PowerDNS is needed; its API URL leads nowhere.
 */
class EppRegistryServerTest {

    private static final String HEAD = "<epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\">";
    private static final String LOGIN = HEAD + "<command><login><clID>registrar-1</clID><pw>secret-pw-1</pw><options><version>1.0</version>"
            + "<lang>en</lang></options><svcs><objURI>urn:ietf:params:xml:ns:domain-1.0</objURI><svcExtension>"
            + "<extURI>urn:ietf:params:xml:ns:secDNS-1.1</extURI></svcExtension></svcs></login><clTRID>t-login</clTRID></command></epp>";

    @TempDir
    Path dir;
    private EppRegistryServer server;
    private EppRegistryServer.State session;

    @BeforeEach
    void start() throws Exception {
        LabPki pki = LabPki.create();
        LabPki.writeEndpoint(dir, "epp", LabPki.issue(pki.ca(), "CN=epp.test", "epp.test", "127.0.0.1"));
        server = new EppRegistryServer(new EppRegistryServer.Config("127.0.0.1", 0, dir.resolve("epp.key"), dir.resolve("epp.chain.pem"),
                "http://127.0.0.1:9/api/v1", "unused", "registrar-1", "secret-pw-1", List.of("com"), List.of("de"), 2, null));
        session = new EppRegistryServer.State();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String send(String document) {
        return server.answer(document.getBytes(StandardCharsets.UTF_8), session);
    }

    private static String update(String secDns) {
        return HEAD + "<command><update><domain:update xmlns:domain=\"urn:ietf:params:xml:ns:domain-1.0\"><domain:name>example.com</domain:name>"
                + "</domain:update></update><extension>" + secDns + "</extension><clTRID>t-update</clTRID></command></epp>";
    }

    private static final String SEC_DNS = "xmlns:secDNS=\"urn:ietf:params:xml:ns:secDNS-1.1\"";

    @Test
    void aCommandBeforeLoginIs2002AndHelloIsAnsweredWithTheGreeting() {
        assertThat(send(HEAD + "<command><logout/><clTRID>t-1</clTRID></command></epp>"))
                .contains("<result code=\"2002\">", "log in first", "<clTRID>t-1</clTRID>", "<svTRID>");
        assertThat(send(HEAD + "<hello/></epp>")).contains("<greeting>", "<objURI>urn:ietf:params:xml:ns:domain-1.0</objURI>",
                "<extURI>urn:ietf:params:xml:ns:secDNS-1.1</extURI>");
    }

    @Test
    void aDtdIsRefusedAsASyntaxErrorAndItsEntityNeverRead() throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "never-read-this");
        String answer = send("<?xml version=\"1.0\"?><!DOCTYPE epp [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>" + HEAD
                + "<command><login><clID>&x;</clID></login></command></epp>");
        assertThat(answer).contains("<result code=\"2001\">").doesNotContain("never-read-this");
        assertThat(send("<epp><command><logout/></command></epp>")).contains("<result code=\"2001\">", "not {urn:ietf:params:xml:ns:epp-1.0}epp");
        assertThat(send(HEAD + "<command><logout/>")).contains("<result code=\"2001\">");
    }

    @Test
    void loginChecksEveryPartAndTheThirdWrongPasswordClosesTheSession() {
        assertThat(send(LOGIN.replace("<clID>registrar-1</clID>", ""))).contains("<result code=\"2003\">", "needs &lt;clID&gt;");
        assertThat(send(LOGIN.replace("domain-1.0</objURI>", "domain-1.0</objURI><objURI>urn:ietf:params:xml:ns:host-1.0</objURI>")))
                .contains("<result code=\"2307\">");
        assertThat(send(LOGIN.replace("<version>1.0</version>", "<version>2.0</version>"))).contains("<result code=\"2100\">");
        String wrong = LOGIN.replace("secret-pw-1", "guess-pw-1");
        assertThat(send(wrong)).contains("<result code=\"2200\">").doesNotContain("secret-pw-1");
        assertThat(send(wrong)).contains("<result code=\"2200\">");
        assertThat(send(wrong)).contains("<result code=\"2501\">");
        assertThat(session.closing).isTrue();
    }

    @Test
    void afterLoginUnsupportedSecDnsPartsAndMalformedUpdatesAreRefusedAsTheRfcSays() {
        assertThat(send(LOGIN)).contains("<result code=\"1000\">", "<clTRID>t-login</clTRID>");
        assertThat(send(LOGIN)).contains("<result code=\"2002\">", "logged in already");
        assertThat(send(update("<secDNS:update " + SEC_DNS + "><secDNS:chg><secDNS:maxSigLife>604800</secDNS:maxSigLife></secDNS:chg></secDNS:update>")))
                .contains("<result code=\"2102\">", "maxSigLife is not supported");
        assertThat(send(update("<secDNS:update urgent=\"true\" " + SEC_DNS + "><secDNS:rem><secDNS:all>true</secDNS:all></secDNS:rem></secDNS:update>")))
                .contains("<result code=\"2102\">", "urgent");
        assertThat(send(update("<secDNS:update " + SEC_DNS + "><secDNS:add/><secDNS:rem/></secDNS:update>")))
                .contains("<result code=\"2001\">", "in that order");
        assertThat(send(update("<other:update xmlns:other=\"urn:example:other-1.0\"/>"))).contains("<result code=\"2103\">");
        assertThat(send(HEAD + "<command><check><domain:check xmlns:domain=\"urn:ietf:params:xml:ns:domain-1.0\"><domain:name>a.com</domain:name>"
                + "</domain:check></check><clTRID>t-check</clTRID></command></epp>")).contains("<result code=\"2101\">");
        assertThat(send(HEAD + "<command><frobnicate/><clTRID>t-x1</clTRID></command></epp>")).contains("<result code=\"2000\">");
        assertThat(send(HEAD + "<command><info><domain:info xmlns:domain=\"urn:ietf:params:xml:ns:domain-1.0\"><domain:name>example.org</domain:name>"
                + "</domain:info></info><clTRID>t-info</clTRID></command></epp>")).contains("<result code=\"2303\">", "not in a zone of this registry");
        assertThat(send(HEAD + "<command><logout/><clTRID>t-bye</clTRID></command></epp>")).contains("<result code=\"1500\">");
        assertThat(session.closing).isTrue();
    }
}
