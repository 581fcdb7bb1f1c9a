package dev.mxshift.lab;

import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Writes the lab's PowerDNS zones straight into a gsqlite3 database, in one transaction, as PowerDNS itself
 * stores them after {@code pdnsutil rectify-zone}: names without the final dot, the MX preference in
 * {@code prio}, NSEC {@code ordername}s (the labels below the apex in reverse), {@code auth=0} for delegation NS
 * and glue, a typeless row for each empty non-terminal, and the zone's key in {@code cryptokeys}. Bulk SQL is what
 * makes 100,000 zones load in minutes; per-zone API calls would not. {@code PowerDnsStoreIT} checks the result
 * against what {@code pdnsutil rectify-zone} computes.
 */
public final class PowerDnsStore {

    private PowerDnsStore() {
    }

    /** Writes the SQL that loads {@code zones} (PowerDNS ones: the hosters' and the registries') into an empty database made from the schema. */
    public static void writeSql(List<LabZone> zones, DnssecKey key, Path sqlFile) {
        writeSql(zones, key, null, sqlFile);
    }

    /**
     * As {@link #writeSql(List, DnssecKey, Path)}; with {@code tsigSecret}, every zone also takes RFC 2136 updates signed
     * with the lab's TSIG key (the key row and each zone's TSIG-ALLOW-DNSUPDATE metadata), as BIND's zones do.
     */
    public static void writeSql(List<LabZone> zones, DnssecKey key, String tsigSecret, Path sqlFile) {
        try (BufferedWriter out = Files.newBufferedWriter(sqlFile, StandardCharsets.UTF_8)) {
            out.write("PRAGMA journal_mode=OFF;\nPRAGMA synchronous=OFF;\nBEGIN;\n");
            String tsigKey = quote(BindServer.TSIG_NAME.replaceAll("\\.$", ""));
            if (tsigSecret != null) {
                out.write("INSERT INTO tsigkeys(name,algorithm,secret) VALUES(" + tsigKey + "," + quote(BindServer.TSIG_ALGORITHM) + ","
                        + quote(tsigSecret) + ");\n");
            }
            int id = 0;
            String privateKey = quote(key.powerDnsPrivateKey());
            for (LabZone zone : zones) {
                if (zone.server() == LabZone.Server.BIND) {
                    continue;
                }
                id++;
                // A zone with a BIND secondary is a primary, so PowerDNS notifies BIND of every change.
                out.write("INSERT INTO domains(id,name,type) VALUES(" + id + "," + quote(text(zone.origin())) + ","
                        + (zone.secondaryOnBind() ? "'MASTER'" : "'NATIVE'") + ");\n");
                // Changes through the API bump the SOA serial, which propagation checks compare.
                out.write("INSERT INTO domainmetadata(domain_id,kind,content) VALUES(" + id + ",'SOA-EDIT-API','DEFAULT');\n");
                if (tsigSecret != null) {
                    // Updates bump the serial as API changes do, and are signed with the lab's key.
                    out.write("INSERT INTO domainmetadata(domain_id,kind,content) VALUES(" + id + ",'TSIG-ALLOW-DNSUPDATE'," + tsigKey + ");\n");
                    out.write("INSERT INTO domainmetadata(domain_id,kind,content) VALUES(" + id + ",'SOA-EDIT-DNSUPDATE','DEFAULT');\n");
                    // A TSIG-signed AXFR (the zone sweep's read of a whole zone through an rfc2136 connector) is answered
                    // only for the keys listed here. Not for the zones BIND transfers unsigned as a secondary: their
                    // transfers stay as they were.
                    if (!zone.secondaryOnBind()) {
                        out.write("INSERT INTO domainmetadata(domain_id,kind,content) VALUES(" + id + ",'TSIG-ALLOW-AXFR'," + tsigKey + ");\n");
                    }
                }
                writeRecords(out, id, zone);
                if (zone.signing() == LabZone.Signing.SIGNED) {
                    out.write("INSERT INTO cryptokeys(domain_id,flags,active,published,content) VALUES(" + id + ","
                            + DnssecKey.CSK_FLAGS + ",1,1," + privateKey + ");\n");
                }
            }
            out.write("COMMIT;\n");
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + sqlFile, e);
        }
    }

    private static void writeRecords(BufferedWriter out, int domainId, LabZone zone) throws IOException {
        Name origin = zone.origin();
        Set<Name> cuts = new HashSet<>();
        for (Record r : zone.records()) {
            if (r.getType() == Type.NS && !r.getName().equals(origin)) {
                cuts.add(r.getName());
            }
        }
        Set<Name> names = new HashSet<>();
        for (Record r : zone.records()) {
            names.add(r.getName());
        }
        Set<Name> emptyNonTerminals = new HashSet<>();
        for (Name n : names) {
            for (int strip = 1; n.labels() - strip > origin.labels(); strip++) {
                Name ancestor = new Name(n, strip);
                if (!names.contains(ancestor)) {
                    emptyNonTerminals.add(ancestor);
                }
            }
        }
        for (Record r : zone.records()) {
            Name cut = cutAtOrAbove(r.getName(), cuts, origin);
            boolean atCut = cut != null && cut.equals(r.getName());
            boolean belowCut = cut != null && !atCut;
            boolean auth = !(belowCut || (atCut && r.getType() == Type.NS));
            // An unsigned zone has no NSEC chain, so PowerDNS keeps no order names for it.
            String ordername = belowCut || zone.signing() != LabZone.Signing.SIGNED ? null : ordername(r.getName(), origin);
            int prio = 0;
            String content;
            if (r instanceof MXRecord mx) {
                prio = mx.getPriority();
                content = text(mx.getTarget());
            } else if (r instanceof NSRecord ns) {
                content = text(ns.getTarget());
            } else if (r instanceof org.xbill.DNS.CNAMERecord cname) {
                content = text(cname.getTarget());
            } else if (r instanceof SOARecord soa) {
                content = text(soa.getHost()) + " " + text(soa.getAdmin()) + " " + soa.getSerial() + " " + soa.getRefresh()
                        + " " + soa.getRetry() + " " + soa.getExpire() + " " + soa.getMinimum();
            } else {
                content = r.rdataToString();
            }
            out.write("INSERT INTO records(domain_id,name,type,content,ttl,prio,disabled,ordername,auth) VALUES("
                    + domainId + "," + quote(text(r.getName())) + "," + quote(Type.string(r.getType())) + "," + quote(content)
                    + "," + r.getTTL() + "," + prio + ",0," + (ordername == null ? "NULL" : quote(ordername)) + "," + (auth ? 1 : 0) + ");\n");
        }
        for (Name ent : emptyNonTerminals) {
            if (cutAtOrAbove(ent, cuts, origin) == null) {
                out.write("INSERT INTO records(domain_id,name,type,content,ttl,prio,disabled,ordername,auth) VALUES("
                        + domainId + "," + quote(text(ent)) + ",NULL,NULL,NULL,NULL,0,NULL,1);\n");
            }
        }
    }

    private static Name cutAtOrAbove(Name name, Set<Name> cuts, Name origin) {
        for (int strip = 0; name.labels() - strip > origin.labels(); strip++) {
            Name candidate = strip == 0 ? name : new Name(name, strip);
            if (cuts.contains(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** NSEC order name: the labels below the apex, lower case, in reverse order, joined by spaces. */
    static String ordername(Name name, Name origin) {
        StringJoiner joiner = new StringJoiner(" ");
        for (int i = name.labels() - origin.labels() - 1; i >= 0; i--) {
            joiner.add(name.getLabelString(i).toLowerCase(java.util.Locale.ROOT));
        }
        return joiner.toString();
    }

    /** A name as PowerDNS stores it: no final dot, and "." for the root. */
    static String text(Name name) {
        return name.equals(Name.root) ? "." : name.toString(true).toLowerCase(java.util.Locale.ROOT);
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
