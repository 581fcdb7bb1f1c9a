package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.ConnectorFactory;
import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.SigningRequest;
import dev.mxshift.connector.ZoneSigning;
import org.assertj.core.api.ThrowingConsumer;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The conformance kit for a connector in front of the Route 53 stand-in: the kit writes in contoso.com and signs
 * northwind.com, unsigned there; "elsewhere" is an edit at the stand-in; and no CDS is expected, as Route 53 publishes
 * none. The subclass's {@code @BeforeAll} starts {@link #route53} (with {@link #closedAfterAll}).
 */
abstract class Route53StandInKit extends ConnectorKitFixture {

    static final String UNSIGNED = "northwind.com";

    protected Route53ApiServer route53;

    protected Route53StandInKit(ConnectorFactory factory) {
        super(factory, "contoso.com");
    }

    @Override
    protected void editElsewhere(RrSet set) {
        route53.edit(zone(), set);
    }

    @Override
    protected String unsignedZone() {
        return UNSIGNED;
    }

    /**
     * Signs {@link #UNSIGNED} and has its parent serve the DS: an unsign is then refused as PERMANENT, the message naming
     * {@code refusal} and the DS, and the zone is {@code stillSigned} (given what the sign answered); the DS is withdrawn
     * and the zone unsigned after.
     */
    protected final void anUnsignIsRefusedWhileTheParentServesTheDs(String refusal, ThrowingConsumer<ZoneSigning> stillSigned) throws Exception {
        ZoneSigning signed = connector.sign(UNSIGNED, SigningRequest.defaults());
        route53.parentDs(UNSIGNED, signed.ds());
        try {
            assertThatThrownBy(() -> connector.unsign(UNSIGNED))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ConnectorException.Kind.PERMANENT);
                        assertThat(e.getMessage()).contains(refusal).contains("DS");
                    });
            stillSigned.accept(signed);
        } finally {
            route53.parentDs(UNSIGNED, List.of());
            connector.unsign(UNSIGNED);
        }
    }

    /**
     * {@code plain} declares no {@code dnssecManagement}, and a sign through it is refused as UNSUPPORTED, the message
     * naming {@code why}; Route 53 holds no key-signing key for {@link #UNSIGNED}.
     */
    protected final void aConnectorThatManagesNoDnssecRefusesToSign(DnsConnector plain, String why) {
        assertThat(plain.capabilities().dnssecManagement()).isFalse();
        assertThatThrownBy(() -> plain.sign(UNSIGNED, SigningRequest.defaults()))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ConnectorException.Kind.UNSUPPORTED);
                    assertThat(e.getMessage()).contains(why);
                });
        assertThat(route53.keySigningKeys(UNSIGNED)).isEmpty();
    }

    /** Route 53 publishes no CDS or CDNSKEY. */
    @Override
    protected boolean publishesCds() {
        return false;
    }
}
