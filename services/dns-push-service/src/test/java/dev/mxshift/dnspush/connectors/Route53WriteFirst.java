package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import dev.mxshift.dnspush.engine.ChangeEngine;
import dev.mxshift.dnspush.engine.PushOutcome;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the engine does through a connector whose platform's compare covers the TTL (the Route 53 stand-in, directly
 * or behind the reference webhook): a change is one write and no read, and a TTL edited on the platform is a conflict
 * left as it is. Shared by the tests of both connectors; the platform's own counters tell what was sent.
 */
final class Route53WriteFirst {

    static final RrSet LEGACY = new RrSet("fabrikam.com", "MX", 3600, List.of("10 fabrikam-com.mail.protection.outlook.com."));

    private Route53WriteFirst() {
    }

    static void aChangeIsOneWriteAndNoRead(DnsConnector connector, Route53ApiServer route53) throws Exception {
        RrSet target = new RrSet("fabrikam.com", "MX", 3600, List.of("10 fabrikam-com.mail.protection.outlook.com.", "20 fabrikam-com.o-v1.mx.microsoft."));
        route53.edit("fabrikam.com", LEGACY);
        int lists = route53.recordSetLists();
        int batches = route53.changeBatches();

        PushOutcome outcome = ChangeEngine.push(connector, new RrSetChange("fabrikam.com", "fabrikam.com", "MX", LEGACY, target), false);

        assertThat(outcome).isInstanceOf(PushOutcome.Applied.class);
        assertThat(route53.recordSetLists() - lists).as("reads before or after the write").isZero();
        assertThat(route53.changeBatches() - batches).isEqualTo(1);
        assertThat(connector.read("fabrikam.com", "fabrikam.com", "MX")).hasValueSatisfying(read -> assertThat(read.sameAs(target)).isTrue());
    }

    /** The engine's push of fabrikam.com's MX from {@code before} to the same records at TTL 300, or its dry run. */
    static PushOutcome lowerTheTtl(DnsConnector connector, RrSet before, boolean dryRun) throws Exception {
        return ChangeEngine.push(connector, new RrSetChange("fabrikam.com", "fabrikam.com", "MX", before,
                new RrSet("fabrikam.com", "MX", 300, before.rdata())), dryRun);
    }

    /** Returns the conflict, for what a caller knows of its connector's words. */
    static PushOutcome.Conflict aTtlEditedElsewhereIsAConflictAndIsNotOverwritten(DnsConnector connector, Route53ApiServer route53)
            throws Exception {
        RrSet edited = new RrSet("fabrikam.com", "MX", 7200, LEGACY.rdata());
        route53.edit("fabrikam.com", edited);

        PushOutcome outcome = lowerTheTtl(connector, LEGACY, false);

        assertThat(outcome).isInstanceOf(PushOutcome.Conflict.class);
        PushOutcome.Conflict conflict = (PushOutcome.Conflict) outcome;
        assertThat(conflict.expected()).isEqualTo(LEGACY);
        assertThat(conflict.actual().sameAs(edited)).as("%s", conflict.actual()).isTrue();
        assertThat(conflict.detail()).contains(" 7200 MX ").contains("nothing was written");
        assertThat(connector.read("fabrikam.com", "fabrikam.com", "MX")).hasValueSatisfying(read -> assertThat(read.sameAs(edited)).isTrue());
        return conflict;
    }
}
