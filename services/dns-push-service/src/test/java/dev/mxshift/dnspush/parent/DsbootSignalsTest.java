package dev.mxshift.dnspush.parent;

import dev.mxshift.connector.CdsMode;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.SigningKey;
import dev.mxshift.connector.ZoneSigning;
import dev.mxshift.dnspush.connectors.PowerDnsConnector;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the DNS operator's RFC 9615 signals go (pure); DnssecPushIT writes and removes them at the lab's PowerDNS. */
class DsbootSignalsTest {

    private final PowerDnsConnector operator = new PowerDnsConnector("operator-dns", URI.create("http://127.0.0.1:9/api/v1"), "localhost",
            "unused", Duration.ofSeconds(1));
    private final DsbootSignals.SignallingZone hoster = new DsbootSignals.SignallingZone("Hoster.NET.", operator, 300);
    private final DsbootSignals.SignallingZone nsZone = new DsbootSignals.SignallingZone("ns.hoster.net", operator, 60);

    @Test
    void eachOutOfBailiwickHostInASignallingZoneGetsTheChildsSignallingNameInTheZoneThatHoldsIt() {
        DsbootSignals.Placement placement = DsbootSignals.place("Example.CH.", List.of("ns1.hoster.net.", "a.ns.hoster.net.", "NS1.hoster.net"),
                List.of(hoster, nsZone));
        assertThat(placement.targets()).extracting(DsbootSignals.Target::name)
                .containsExactly("_dsboot.example.ch._signal.ns1.hoster.net", "_dsboot.example.ch._signal.a.ns.hoster.net");
        assertThat(placement.targets()).extracting(t -> t.zone().zone()).containsExactly("hoster.net", "ns.hoster.net");
        assertThat(placement.skipped()).isEmpty();
    }

    @Test
    void aHostInsideTheChildOrOutsideEverySignallingZoneGetsNoSignalAndTheReasonIsSaid() {
        DsbootSignals.Placement placement = DsbootSignals.place("example.ch", List.of("ns.example.ch.", "example.ch.", "ns1.other.org.",
                "ns1.hoster.net.evil.com."), List.of(hoster));
        assertThat(placement.targets()).isEmpty();
        assertThat(placement.skipped()).extracting(Object::toString).containsExactly(
                "ns.example.ch (in bailiwick of example.ch: RFC 9615 does not use its signals)",
                "example.ch (in bailiwick of example.ch: RFC 9615 does not use its signals)",
                "ns1.other.org (in no signalling zone (mxshift.push.signalling-zones))",
                "ns1.hoster.net.evil.com (in no signalling zone (mxshift.push.signalling-zones))");
    }

    @Test
    void aSignallingNameLongerThanTheDnsAllowsIsNotWritten() {
        String child = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + ".ch";
        // a valid child (196 characters) under a valid host (61): together more than a name can hold (RFC 9615 section 4.4)
        DsbootSignals.Placement placement = DsbootSignals.place(child, List.of("x".repeat(50) + ".hoster.net"), List.of(hoster));
        assertThat(placement.targets()).isEmpty();
        assertThat(placement.skipped()).singleElement().asString().contains("longer than 253");
    }

    @Test
    void theSignalsAreTheCdsAndTheCdnskeyOfTheKeysTheDsPointsAt() {
        SigningKey ksk = new SigningKey(12345, 13, 257, "257 3 13 KSKKEY==");
        SigningKey zsk = new SigningKey(23456, 13, 256, "256 3 13 ZSKKEY==");
        ZoneSigning signing = new ZoneSigning("example.ch", true, List.of(ksk, zsk), List.of("12345 13 2 ABCDEF"), CdsMode.PUBLISH);
        DsbootSignals.Target target = DsbootSignals.place("example.ch", List.of("ns1.hoster.net"), List.of(hoster)).targets().get(0);
        assertThat(DsbootSignals.sets(target, signing)).containsExactly(
                new RrSet("_dsboot.example.ch._signal.ns1.hoster.net", "CDS", 300, List.of("12345 13 2 ABCDEF")),
                new RrSet("_dsboot.example.ch._signal.ns1.hoster.net", "CDNSKEY", 300, List.of("257 3 13 KSKKEY==")));
    }
}
