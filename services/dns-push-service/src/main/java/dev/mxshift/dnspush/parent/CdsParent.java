package dev.mxshift.dnspush.parent;

import dev.mxshift.connector.CdsMode;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.ZoneSigning;
import dev.mxshift.connector.parent.DsSubmission;
import dev.mxshift.connector.parent.ParentChannel;

import java.util.TreeSet;

/**
 * The {@code cds} path: the child publishes CDS and CDNSKEY through its own DNS connector (RFC 7344; the RFC 8078
 * section 4 delete form to withdraw), and the registry's scanner takes them. The provider's CDS must be exactly the DS
 * that was verified: a provider that changed its keys since would otherwise put another DS before the registry. Where
 * the DNS operator has signalling zones, the same CDS and CDNSKEY go to the RFC 9615 signalling names first
 * ({@link DsbootSignals}), so that a registry that scans finds the operator's signals as soon as it sees the CDS.
 */
public final class CdsParent implements ParentChannel {

    private final DnsConnector child;
    private final DsbootSignals signals;

    public CdsParent(DnsConnector child) {
        this(child, new DsbootSignals(java.util.List.of()));
    }

    public CdsParent(DnsConnector child, DsbootSignals signals) {
        this.child = child;
        this.signals = signals;
    }

    @Override
    public String id() {
        return "cds via " + child.id();
    }

    @Override
    public String submit(DsSubmission submission) throws ConnectorException {
        String signalled = "";
        if (signals.configured()) {
            // The signals first: a scanner that sees the child's CDS before them would be slowed by its cached denial.
            signalled = signals.publish(submission.zone(), child, verified(child.signing(submission.zone()), submission));
        }
        verified(child.publishCds(submission.zone(), CdsMode.PUBLISH), submission);
        return "CDS and CDNSKEY published at " + child.id() + " for " + submission.ds() + "; the registry of " + submission.parent()
                + " takes them when its scanner has seen them consistently" + signalled;
    }

    private ZoneSigning verified(ZoneSigning signing, DsSubmission submission) throws ConnectorException {
        if (!normalised(signing.ds()).equals(normalised(submission.ds()))) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, child.id() + " publishes CDS for " + signing.ds()
                    + " but the keys verified on every server give " + submission.ds() + ": the zone's keys changed since they were"
                    + " verified; check the zone at the provider, then retry the step");
        }
        return signing;
    }

    @Override
    public String withdraw(String zone, String parent) throws ConnectorException {
        // Signals left from the bootstrap (their removal after it may have failed) go before the delete form does.
        String removed = signals.configured() ? signals.remove(zone, child, child.signing(zone)) : "";
        child.publishCds(zone, CdsMode.DELETE);
        return "CDS delete form (RFC 8078 section 4) published at " + child.id() + "; the registry of " + parent + " removes the DS" + removed;
    }

    /** RFC 9615 section 5.1: once the parent has published the DS, the operator removes the signals it acted upon. */
    public String signalsActedUpon(String zone) throws ConnectorException {
        return signals.configured() ? signals.remove(zone, child, child.signing(zone)) : "";
    }

    private static TreeSet<String> normalised(java.util.List<String> ds) {
        TreeSet<String> set = new TreeSet<>();
        ds.forEach(d -> set.add(dev.mxshift.model.dnssec.ZoneKeys.normalised(d)));
        return set;
    }
}
