package dev.mxshift.connector;

import java.util.List;

/**
 * An optional ability beside the five methods of {@link DnsConnector}: read a whole zone, every record set of it, as
 * the provider holds it. The zone sweep (issue 29, decision 0028) needs it to find records other than the MX that still
 * depend on Exchange Online's legacy hosts. A connector that can read whole zones implements this interface as well;
 * one that cannot is simply not swept, and the sweep says so. Reads only; nothing here writes.
 *
 * <p>Record sets come in the same presentation form as {@link DnsConnector#read}: owners without the final dot, names
 * in the data absolute with it. DNSSEC material the provider adds by itself (RRSIG, NSEC, NSEC3) may be left out.
 */
public interface ZoneReader {

    /**
     * Every record set of {@code zone}. An unknown zone is {@link ConnectorException.Kind#PERMANENT}; a refusal of the
     * transfer or of the credentials is {@link ConnectorException.Kind#AUTHENTICATION}.
     */
    List<RrSet> readZone(String zone) throws ConnectorException;
}
