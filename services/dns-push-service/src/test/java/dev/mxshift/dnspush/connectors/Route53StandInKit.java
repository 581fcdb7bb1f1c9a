package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ConnectorFactory;
import dev.mxshift.connector.RrSet;

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

    /** Route 53 publishes no CDS or CDNSKEY. */
    @Override
    protected boolean publishesCds() {
        return false;
    }
}
