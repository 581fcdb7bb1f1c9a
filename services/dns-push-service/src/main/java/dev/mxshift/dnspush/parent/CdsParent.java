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
 * that was verified: a provider that changed its keys since would otherwise put another DS before the registry.
 */
public final class CdsParent implements ParentChannel {

    private final DnsConnector child;

    public CdsParent(DnsConnector child) {
        this.child = child;
    }

    @Override
    public String id() {
        return "cds via " + child.id();
    }

    @Override
    public String submit(DsSubmission submission) throws ConnectorException {
        ZoneSigning signing = child.publishCds(submission.zone(), CdsMode.PUBLISH);
        if (!normalised(signing.ds()).equals(normalised(submission.ds()))) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, child.id() + " publishes CDS for " + signing.ds()
                    + " but the keys verified on every server give " + submission.ds() + ": the zone's keys changed since they were"
                    + " verified; check the zone at the provider, then retry the step");
        }
        return "CDS and CDNSKEY published at " + child.id() + " for " + submission.ds() + "; the registry of " + submission.parent()
                + " takes them when its scanner has seen them consistently";
    }

    @Override
    public String withdraw(String zone, String parent) throws ConnectorException {
        child.publishCds(zone, CdsMode.DELETE);
        return "CDS delete form (RFC 8078 section 4) published at " + child.id() + "; the registry of " + parent + " removes the DS";
    }

    private static TreeSet<String> normalised(java.util.List<String> ds) {
        TreeSet<String> set = new TreeSet<>();
        ds.forEach(d -> set.add(dev.mxshift.model.dnssec.ZoneKeys.normalised(d)));
        return set;
    }
}
