package dev.mxshift.lab;

import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

import java.util.ArrayList;
import java.util.List;

/** One zone of the lab: its origin, which server serves it, how it is signed, and its records. */
public final class LabZone {

    /** {@code REGISTRY}: the root and the TLDs, on the registries' own PowerDNS instance. */
    public enum Server { POWERDNS, BIND, REGISTRY }

    /** How the zone itself is signed; whether its parent publishes a DS is the parent's business. */
    public enum Signing { SIGNED, UNSIGNED, EXPIRED_SIGNATURES, MISSING_MX_SIGNATURE }

    private final Name origin;
    private final Server server;
    private final Signing signing;
    private final List<Record> records = new ArrayList<>();
    private boolean secondaryOnBind;
    private boolean foreignNameServer;
    private String account;

    public LabZone(Name origin, Server server, Signing signing) {
        this.origin = origin;
        this.server = server;
        this.signing = signing;
    }

    public Name origin() {
        return origin;
    }

    public Server server() {
        return server;
    }

    public Signing signing() {
        return signing;
    }

    /** PowerDNS is primary and BIND a secondary: two authoritative servers to check propagation against. */
    public boolean secondaryOnBind() {
        return secondaryOnBind;
    }

    public LabZone withSecondaryOnBind() {
        if (server != Server.POWERDNS) {
            throw new IllegalStateException("only a PowerDNS zone has a BIND secondary: " + origin);
        }
        secondaryOnBind = true;
        return this;
    }

    /**
     * The delegation (and the apex) also names {@link LabInternet#NS_FOREIGN}, a server of another provider that
     * mxshift has no connector for and that does not serve the zone: a zone mxshift cannot sign safely on its own.
     */
    public boolean foreignNameServer() {
        return foreignNameServer;
    }

    public LabZone withForeignNameServer() {
        foreignNameServer = true;
        return this;
    }

    /**
     * The owner PowerDNS keeps for the zone ({@code domains.account}): the tenant, as a hoster's panel records it, for
     * {@code inventory-from} to map the zone by; null for the lab's own zones.
     */
    public String account() {
        return account;
    }

    public LabZone withAccount(String account) {
        this.account = account;
        return this;
    }

    public List<Record> records() {
        return records;
    }

    public LabZone add(Record record) {
        if (!record.getName().subdomain(origin)) {
            throw new IllegalArgumentException(record.getName() + " is outside zone " + origin);
        }
        records.add(record);
        return this;
    }

    @Override
    public String toString() {
        return origin + " (" + server + ", " + signing + ", " + records.size() + " records)";
    }
}
