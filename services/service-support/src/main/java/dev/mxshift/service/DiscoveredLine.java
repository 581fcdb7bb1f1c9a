package dev.mxshift.service;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.ProviderRef;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.event.Discovered;
import dev.mxshift.model.event.DiscoverySnapshot;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.workflow.EventFactory;
import dev.mxshift.model.workflow.MigrationState;
import tools.jackson.databind.JsonNode;

import java.time.Clock;
import java.util.List;

/**
 * One line of what {@code ./mxshift discover} prints, read back by the commands that continue from it (validate,
 * dry-run): the domain, its tenant, and the workflow state it would have after "requested" and "discovered", or
 * why discovery did not get that far. The line's fields: domain, tenant, connector, zone, target, outcome, reason,
 * facts (a {@link DiscoverySnapshot} as the event log writes it). It lives here, beside the services, not in the model:
 * it stamps the two events with the time of the clock it is given, and the commands that read it belong to different
 * services.
 */
public record DiscoveredLine(DomainName domain, TenantId tenant, MigrationState state, String notDiscovered) {

    public static DiscoveredLine parse(JsonNode line, EventCodec codec, Clock clock) {
        DomainName name = DomainName.of(text(line, "domain"));
        TenantId tenant = TenantId.of(text(line, "tenant"));
        if (!"discovered".equals(line.path("outcome").asString())) {
            return new DiscoveredLine(name, tenant, null, "discovery failed: " + line.path("reason").asString(""));
        }
        DiscoverySnapshot snapshot = codec.fromTree(line.path("facts"), DiscoverySnapshot.class);
        String target = line.path("target").asString("");
        MigrationRequested requested = new MigrationRequested(ProviderRef.of(text(line, "connector"), text(line, "zone")),
                target.isEmpty() ? null : DomainName.of(target), null, List.of(), "discover output");
        EventFactory events = new EventFactory(clock);
        MigrationState state = events.requested(name, tenant, requested).state();
        state = events.next(state, new Discovered(snapshot), null).state();
        return new DiscoveredLine(name, tenant, state, null);
    }

    private static String text(JsonNode line, String field) {
        JsonNode value = line.get(field);
        if (value == null || value.isNull() || value.asString("").isEmpty()) {
            throw new IllegalArgumentException("the line has no '" + field + "'");
        }
        return value.asString();
    }
}
