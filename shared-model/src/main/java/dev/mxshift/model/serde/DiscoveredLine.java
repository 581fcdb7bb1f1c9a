package dev.mxshift.model.serde;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.ProviderRef;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.event.Discovered;
import dev.mxshift.model.event.DiscoverySnapshot;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.Workflow;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One line of what {@code ./mxshift discover} prints, read back by the commands that continue from it (validate,
 * dry-run): the domain, its tenant, and the workflow state it would have after "requested" and "discovered", or
 * why discovery did not get that far. The line's fields: domain, tenant, connector, zone, target, outcome, reason,
 * facts (a {@link DiscoverySnapshot} as the event log writes it).
 */
public record DiscoveredLine(DomainName domain, TenantId tenant, MigrationState state, String notDiscovered) {

    public static DiscoveredLine parse(JsonNode line, EventCodec codec) {
        DomainName name = DomainName.of(text(line, "domain"));
        TenantId tenant = TenantId.of(text(line, "tenant"));
        if (!"discovered".equals(line.path("outcome").asString())) {
            return new DiscoveredLine(name, tenant, null, "discovery failed: " + line.path("reason").asString(""));
        }
        DiscoverySnapshot snapshot = codec.fromTree(line.path("facts"), DiscoverySnapshot.class);
        String target = line.path("target").asString("");
        MigrationRequested requested = new MigrationRequested(ProviderRef.of(text(line, "connector"), text(line, "zone")),
                target.isEmpty() ? null : DomainName.of(target), null, List.of(), "discover output");
        Instant now = Instant.now();
        MigrationState state = Workflow.emit(MigrationState.initial(name), tenant, requested, UUID.randomUUID(), null, now,
                EventCodec.CURRENT_SCHEMA_VERSION).state();
        state = Workflow.emit(state, tenant, new Discovered(snapshot), UUID.randomUUID(), null, now,
                EventCodec.CURRENT_SCHEMA_VERSION).state();
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
