package dev.mxshift.model.event;

import java.util.List;

/**
 * A fact of discovery, from the zone sweep (decision 0028, addendum): the records of the domain's zone, at or under the
 * domain, other than the MX the plan moves, that still depend on Exchange Online's legacy hosts, as of one sweep. It
 * replaces what an earlier one found: an empty list says the earlier references are gone. The sweep appends it only
 * where the references differ from those the domain's state carries, so a repeat appends nothing. The workflow records it
 * and changes nothing else: no status, no step, no plan (fixing the references is for people, or a later plan).
 *
 * @param references what was found, in {@link LegacyReference#ORDER}
 * @param source     what found it, for people: {@code sweep} and the connector the zone was read through
 */
public record LegacyReferencesFound(List<LegacyReference> references, String source) implements MigrationEvent {
    public LegacyReferencesFound {
        references = Checks.list(references).stream().sorted(LegacyReference.ORDER).toList();
        Checks.text(source, "LegacyReferencesFound", "source");
    }
}
