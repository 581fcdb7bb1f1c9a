package dev.mxshift.operator.templates;

import org.xbill.DNS.Address;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The addresses (or networks) of Exchange Online's legacy inbound hosts that the operator names. A template scan has
 * no DNS to ask what the legacy hosts resolve to today, so the operator gives them: resolve a few legacy hosts first,
 * or take Microsoft's published ranges. Parsing never asks DNS: only address
 * literals are accepted.
 */
public record LegacyAddresses(List<Network> networks) {

    public static final LegacyAddresses NONE = new LegacyAddresses(List.of());

    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+(?:/\\d{1,3})?");

    public LegacyAddresses {
        networks = List.copyOf(networks);
    }

    /**
     * Parses each entry ({@code 40.93.0.1}, {@code 2a01:111:f400::/48}); {@code where} names each entry's origin for the
     * message ("--legacy-address", "FILE:LINE").
     */
    public static LegacyAddresses parse(List<String> entries, List<String> where) {
        List<Network> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i).trim();
            Network network = Network.parseOrNull(entry);
            if (network == null) {
                throw new IllegalArgumentException(where.get(i) + ": '" + entry
                        + "' is not an IPv4 or IPv6 address or network (e.g. 40.93.0.1, 40.93.0.0/24, 2a01:111:f400::/48)");
            }
            out.add(network);
        }
        return new LegacyAddresses(out);
    }

    /** An address with a prefix length (32 or 128 for a single address). */
    public record Network(byte[] address, int prefix, String text) {

        /** The network, or null when the text is not an address literal with an optional valid prefix length. */
        public static Network parseOrNull(String text) {
            if (!LITERAL.matcher(text).matches() || text.indexOf(':') < 0 && !text.matches("[\\d.]+(?:/\\d+)?")) {
                return null;
            }
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            // dnsjava's parser reads literals only (never a DNS query), and only the dotted-quad IPv4 form.
            byte[] bytes = address.indexOf(':') < 0 ? Address.toByteArray(address, Address.IPv4) : Address.toByteArray(address, Address.IPv6);
            if (bytes == null) {
                return null;
            }
            int prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
            if (prefix > bytes.length * 8) {
                return null;
            }
            return new Network(bytes, prefix, text);
        }

        /** Whether the two share an address: the shorter prefix's bits agree. */
        public boolean overlaps(Network other) {
            if (address.length != other.address.length) {
                return false;
            }
            int bits = Math.min(prefix, other.prefix);
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((address[i / 8] & mask) != (other.address[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Network n && java.util.Arrays.equals(address, n.address) && prefix == n.prefix;
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(address) * 31 + prefix;
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
