package dev.mxshift.lab;

import org.xbill.DNS.CDNSKEYRecord;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What a parent may conclude from one round of asking every name server of a child for its CDS, CDNSKEY and DNSKEY
 * records: pure, so the registry's rules read in one place and can be tested without servers.
 * <ul>
 *   <li>every server must answer, authoritatively, with the same CDS, CDNSKEY and DNSKEY sets (the .ch/.se rule:
 *       identical on every name server and address, over TCP);</li>
 *   <li>each server's DNSKEY set must be signed by a key the CDS/CDNSKEY points at, and its CDS/CDNSKEY sets
 *       signed by a key of that set (RFC 7344 section 4.1, RFC 8078 section 3);</li>
 *   <li>with a DS already at the parent, the chain from that DS must validate the DNSKEY set, which validates the
 *       CDS (RFC 7344 section 4.1): a rollover or a delete needs no waiting;</li>
 *   <li>{@code CDS 0 0 0 00} / {@code CDNSKEY 0 3 0 AA==} alone ask for the DS to go (RFC 8078 section 4).</li>
 * </ul>
 */
public final class CdsEvidence {

    /** One name server's answers; {@code problem} is set when it did not answer as an authoritative server must. */
    public record ServerAnswer(String server, String problem, RRset dnskey, RRset cds, RRset cdnskey) {

        static ServerAnswer failed(String server, String problem) {
            return new ServerAnswer(server, problem, null, null, null);
        }

        /** One log-friendly line: what the server served. */
        public String summary() {
            if (problem != null) {
                return server + " " + problem;
            }
            return server + " cds=" + rdata(cds) + " cdnskey=" + rdata(cdnskey) + " dnskey=" + keyTags(dnskey);
        }
    }

    /** What the parent concludes. */
    public sealed interface Verdict {
        /** No CDS or CDNSKEY: the child asks for nothing. */
        record NoSignal() implements Verdict {
        }

        /** The servers disagree, one failed, or the records do not validate: nothing is taken. */
        record Refused(String reason) implements Verdict {
        }

        /** The child asks for this DS set (empty: for the DS to be removed); {@code chained} when the existing DS authenticated it. */
        record Wanted(List<DSRecord> ds, boolean chained) implements Verdict {
        }
    }

    private CdsEvidence() {
    }

    public static Verdict evaluate(Name child, List<ServerAnswer> answers, List<DSRecord> existingDs, long dsTtl, Instant now) {
        if (answers.isEmpty()) {
            return new Verdict.Refused("the delegation names no server the registry can reach");
        }
        for (ServerAnswer a : answers) {
            if (a.problem() != null) {
                return new Verdict.Refused(a.server() + ": " + a.problem());
            }
        }
        ServerAnswer first = answers.get(0);
        for (ServerAnswer a : answers.subList(1, answers.size())) {
            for (String what : List.of("CDS", "CDNSKEY", "DNSKEY")) {
                RRset mine = pick(a, what);
                RRset theirs = pick(first, what);
                if (!rdata(mine).equals(rdata(theirs))) {
                    return new Verdict.Refused("the servers disagree on " + what + ": " + first.server() + " serves " + rdata(theirs)
                            + ", " + a.server() + " serves " + rdata(mine));
                }
            }
        }
        if (empty(first.cds()) && empty(first.cdnskey())) {
            return new Verdict.NoSignal();
        }
        // The wanted DS set, from the CDS (preferred, as dnssec-cds does) or the CDNSKEY.
        List<DSRecord> wanted = new ArrayList<>();
        boolean delete = false;
        List<DNSKEYRecord> keys = keys(first.dnskey());
        List<DNSKEYRecord> pointedAt = new ArrayList<>();
        if (!empty(first.cds())) {
            List<CDSRecord> cds = first.cds().rrs().stream().map(CDSRecord.class::cast).toList();
            if (cds.stream().anyMatch(CdsEvidence::isDelete)) {
                if (cds.size() > 1) {
                    return new Verdict.Refused("CDS 0 0 0 00 next to other CDS records (RFC 8078 section 4 wants it alone)");
                }
                delete = true;
            } else {
                for (CDSRecord c : cds) {
                    Optional<DNSKEYRecord> key = keys.stream().filter(k -> matches(child, c, k)).findFirst();
                    if (key.isEmpty()) {
                        return new Verdict.Refused("CDS " + c.rdataToString() + " matches no DNSKEY the child serves");
                    }
                    pointedAt.add(key.get());
                    wanted.add(new DSRecord(child, DClass.IN, dsTtl, c.getFootprint(), c.getAlgorithm(), c.getDigestID(), c.getDigest()));
                }
            }
        }
        if (!empty(first.cdnskey())) {
            List<CDNSKEYRecord> cdnskey = first.cdnskey().rrs().stream().map(CDNSKEYRecord.class::cast).toList();
            boolean cdnskeyDelete = cdnskey.stream().anyMatch(k -> k.getAlgorithm() == 0);
            if (cdnskeyDelete && cdnskey.size() > 1) {
                return new Verdict.Refused("CDNSKEY 0 3 0 AA== next to other CDNSKEY records (RFC 8078 section 4 wants it alone)");
            }
            if (!empty(first.cds()) && cdnskeyDelete != delete) {
                return new Verdict.Refused("CDS and CDNSKEY disagree: one asks for deletion, the other does not");
            }
            if (empty(first.cds())) {
                delete = cdnskeyDelete;
            }
            if (!cdnskeyDelete) {
                for (CDNSKEYRecord c : cdnskey) {
                    Optional<DNSKEYRecord> key = keys.stream().filter(k -> Arrays.equals(k.rdataToWireCanonical(), c.rdataToWireCanonical())).findFirst();
                    if (key.isEmpty()) {
                        return new Verdict.Refused("CDNSKEY " + c.rdataToString() + " is not in the DNSKEY set the child serves");
                    }
                    if (!empty(first.cds()) && pointedAt.stream().noneMatch(k -> k.getFootprint() == key.get().getFootprint())) {
                        return new Verdict.Refused("CDS and CDNSKEY point at different keys");
                    }
                    if (empty(first.cds())) {
                        pointedAt.add(key.get());
                        wanted.add(new DSRecord(child, DClass.IN, dsTtl, DNSSEC.Digest.SHA256, key.get()));
                    }
                }
            }
        }
        if (delete && existingDs.isEmpty()) {
            return new Verdict.NoSignal();
        }
        for (ServerAnswer a : answers) {
            Optional<String> invalid = delete ? Optional.empty() : signedBy(a.dnskey(), pointedAt, now, "DNSKEY set", "a key the CDS/CDNSKEY points at");
            if (invalid.isPresent()) {
                return new Verdict.Refused(a.server() + ": " + invalid.get());
            }
            if (!existingDs.isEmpty()) {
                List<DNSKEYRecord> trusted = keys(a.dnskey()).stream()
                        .filter(k -> existingDs.stream().anyMatch(ds -> matches(child, ds, k))).toList();
                invalid = signedBy(a.dnskey(), trusted, now, "DNSKEY set", "a key the parent's DS points at");
                if (invalid.isPresent()) {
                    return new Verdict.Refused(a.server() + ": not validated by the existing DS chain: " + invalid.get());
                }
            }
            for (RRset signal : new RRset[]{a.cds(), a.cdnskey()}) {
                if (!empty(signal)) {
                    invalid = signedBy(signal, keys(a.dnskey()), now, Type.string(signal.getType()) + " set", "a key of the DNSKEY set");
                    if (invalid.isPresent()) {
                        return new Verdict.Refused(a.server() + ": " + invalid.get());
                    }
                }
            }
        }
        return new Verdict.Wanted(delete ? List.of() : List.copyOf(wanted), !existingDs.isEmpty());
    }

    static boolean isDelete(CDSRecord cds) {
        return cds.getAlgorithm() == 0 && cds.getDigestID() == 0 && cds.getFootprint() == 0;
    }

    /** Whether a DS (or CDS) describes this key: same tag, algorithm, and the digest of the key under the child's name. */
    static boolean matches(Name child, DSRecord ds, DNSKEYRecord key) {
        if (ds.getFootprint() != key.getFootprint() || ds.getAlgorithm() != key.getAlgorithm()) {
            return false;
        }
        try {
            DSRecord computed = new DSRecord(child, DClass.IN, 0, ds.getDigestID(), key);
            return Arrays.equals(computed.getDigest(), ds.getDigest());
        } catch (IllegalArgumentException e) {
            return false; // a digest type dnsjava cannot compute
        }
    }

    private static Optional<String> signedBy(RRset set, List<DNSKEYRecord> keys, Instant now, String what, String byWhat) {
        if (keys.isEmpty()) {
            return Optional.of("no " + byWhat.replaceFirst("^a ", "") + " in the DNSKEY set");
        }
        List<String> failures = new ArrayList<>();
        for (RRSIGRecord sig : set.sigs()) {
            for (DNSKEYRecord key : keys) {
                if (key.getFootprint() != sig.getFootprint() || key.getAlgorithm() != sig.getAlgorithm()) {
                    continue;
                }
                try {
                    DNSSEC.verify(set, sig, key, now);
                    return Optional.empty();
                } catch (DNSSEC.DNSSECException e) {
                    failures.add("RRSIG by " + sig.getFootprint() + ": " + e.getMessage());
                }
            }
        }
        return Optional.of("the " + what + " has no valid RRSIG by " + byWhat + (failures.isEmpty() ? "" : " (" + String.join("; ", failures) + ")"));
    }

    private static RRset pick(ServerAnswer a, String what) {
        return switch (what) {
            case "CDS" -> a.cds();
            case "CDNSKEY" -> a.cdnskey();
            default -> a.dnskey();
        };
    }

    private static boolean empty(RRset set) {
        return set == null || set.size() == 0;
    }

    private static List<DNSKEYRecord> keys(RRset set) {
        return empty(set) ? List.of() : set.rrs().stream().filter(DNSKEYRecord.class::isInstance).map(DNSKEYRecord.class::cast).toList();
    }

    /** The set's records as sorted presentation text, for comparison across servers and for the log. */
    static TreeSet<String> rdata(RRset set) {
        TreeSet<String> out = new TreeSet<>();
        if (set != null) {
            for (Record r : set.rrs()) {
                // A digest is hex (any case); a key is base64, where case matters.
                boolean hex = r.getType() == Type.CDS || r.getType() == Type.DS;
                out.add(hex ? r.rdataToString().toUpperCase(java.util.Locale.ROOT) : r.rdataToString());
            }
        }
        return out;
    }

    private static String keyTags(RRset set) {
        TreeSet<String> out = new TreeSet<>();
        keys(set).forEach(k -> out.add(k.getFootprint() + "/" + k.getFlags() + "/" + k.getAlgorithm()));
        return out.toString();
    }
}
