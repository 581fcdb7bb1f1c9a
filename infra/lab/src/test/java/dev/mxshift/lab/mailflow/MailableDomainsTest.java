package dev.mxshift.lab.mailflow;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which domains a validating sender can deliver to, from its resolver's answers. */
class MailableDomainsTest {

    @Test
    void aDomainWithAnMxHostThatHasAnAddressIsMailable() {
        assertThat(MailableDomains.decide(Rcode.NOERROR, false, Map.of("a.example", Rcode.NOERROR, "b.example", -1))).isNull();
    }

    @Test
    void nullMxNxdomainServfailNoMxAndHostsWithoutAddressAreNotMailableEachWithItsReason() {
        assertThat(MailableDomains.decide(Rcode.SERVFAIL, false, Map.of())).startsWith("SERVFAIL");
        assertThat(MailableDomains.decide(Rcode.NXDOMAIN, false, Map.of())).startsWith("NXDOMAIN");
        assertThat(MailableDomains.decide(Rcode.NOERROR, true, Map.of())).startsWith("null MX");
        assertThat(MailableDomains.decide(Rcode.NOERROR, false, Map.of())).startsWith("no MX");
        assertThat(MailableDomains.decide(Rcode.NOERROR, false, Map.of("a.example", Rcode.SERVFAIL))).startsWith("no MX host has an address");
    }
}
