package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.SigningKey;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A zone's DNSKEY rdata as the SPI's {@link SigningKey}, and the DS a parent publishes for them, computed with dnsjava
 * from the key itself (never taken on a provider's word), so that every connector answers the same DS for the same key.
 */
final class ZoneKeys {

    private ZoneKeys() {
    }

    /** The key in {@code dnskey} presentation rdata ({@code "257 3 13 <base64>"}) of {@code zone}. */
    static SigningKey key(String zone, String dnskey) throws ConnectorException {
        DNSKEYRecord record = dnskey(zone, dnskey);
        return new SigningKey(record.getFootprint(), record.getAlgorithm(), record.getFlags(), record.rdataToString());
    }

    static DNSKEYRecord dnskey(String zone, String rdata) throws ConnectorException {
        try {
            Name origin = Name.fromString(zone, Name.root);
            return (DNSKEYRecord) Record.fromString(origin, Type.DNSKEY, DClass.IN, 3600, rdata, Name.root);
        } catch (IOException | ClassCastException e) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, "the provider's DNSKEY of " + zone + " is not a DNSKEY: " + rdata, e);
        }
    }

    /**
     * The SHA-256 DS (digest type 2, RFC 4509) of every key with the SEP flag, or of every key when none has it: what
     * the parent publishes for the zone, in presentation rdata {@code "tag alg 2 HEX"}.
     */
    static List<String> ds(String zone, List<SigningKey> keys) throws ConnectorException {
        boolean anySep = keys.stream().anyMatch(SigningKey::sep);
        List<String> ds = new ArrayList<>();
        for (SigningKey key : keys) {
            if (!anySep || key.sep()) {
                DSRecord record = new DSRecord(dnskey(zone, key.dnskey()).getName(), DClass.IN, 3600, DNSSEC.Digest.SHA256, dnskey(zone, key.dnskey()));
                ds.add(record.rdataToString());
            }
        }
        return ds;
    }

    static Name name(String zone) throws ConnectorException {
        try {
            return Name.fromString(zone, Name.root);
        } catch (TextParseException e) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, "'" + zone + "' is not a zone name", e);
        }
    }
}
