package dev.mxshift.operator;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.InvalidValueException;
import dev.mxshift.model.workflow.DnssecPhase;
import dev.mxshift.model.workflow.DnssecProgress;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.model.workflow.WorkflowStatus;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which domains a command acts on: named ones, or a query (tenant, wave, on hold, status, text of the failure,
 * waiting for a confirmation, phase of the DNSSEC stage), as Temporal's batch operations take a query. The filters combine with AND; at least one is needed,
 * so no command touches every domain by accident.
 */
final class Selection {

    @Parameters(paramLabel = "DOMAIN", arity = "0..*", description = "domains to act on")
    List<String> domains = new ArrayList<>();

    @Option(names = "--tenant", paramLabel = "TENANT", description = "only this tenant's domains")
    String tenant;

    @Option(names = "--wave", paramLabel = "WAVE", description = "only domains of this wave (the inventory's wave column)")
    String wave;

    @Option(names = "--held", description = "only domains imported on hold and not started yet")
    boolean held;

    @Option(names = "--status", paramLabel = "STATUS", split = ",",
            description = "only domains in these states: ${COMPLETION-CANDIDATES}")
    List<WorkflowStatus> statuses = new ArrayList<>();

    @Option(names = "--failed-because", paramLabel = "TEXT", description = "only domains whose failure or preflight finding (code or text) contains TEXT (case-insensitive)")
    String failedBecause;

    @Option(names = "--awaiting-confirmation", description = "only domains waiting for a Microsoft-side action to be confirmed")
    boolean awaitingConfirmation;

    @Option(names = "--dnssec", paramLabel = "PHASE", split = ",", converter = PhaseWord.class,
            description = "only domains in these phases of the DNSSEC stage: none, insecure, signing, verifying-keys, key-caches,"
                    + " awaiting-ds, chained, withdrawing-ds, ds-withdrawn, unsigning, unsigned, blocked")
    Set<DnssecPhase> dnssecPhases = EnumSet.noneOf(DnssecPhase.class);

    /** A phase as a person writes it ({@link DnssecPhase#parse}); a wrong one is a usage error naming the phases. */
    static final class PhaseWord implements picocli.CommandLine.ITypeConverter<DnssecPhase> {
        @Override
        public DnssecPhase convert(String value) {
            try {
                return DnssecPhase.parse(value);
            } catch (InvalidValueException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Option(names = "--all", description = "every domain (with no other filter)")
    boolean all;

    boolean empty() {
        return domains.isEmpty() && tenant == null && wave == null && !held && statuses.isEmpty() && failedBecause == null
                && !awaitingConfirmation && dnssecPhases.isEmpty() && !all;
    }

    /** Named domains that have no state are returned in {@code unknown}. */
    List<MigrationState> select(Map<DomainName, MigrationState> states, List<String> unknown) {
        List<MigrationState> chosen = new ArrayList<>();
        if (!domains.isEmpty()) {
            for (String name : domains) {
                DomainName d;
                try {
                    d = DomainName.of(name);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("'" + name + "' is not a domain name: " + e.getMessage());
                }
                MigrationState s = states.get(d);
                if (s == null) {
                    unknown.add(d.value());
                } else if (matches(s)) {
                    chosen.add(s);
                }
            }
            return chosen;
        }
        states.values().stream().filter(this::matches).forEach(chosen::add);
        return chosen;
    }

    /** The failure's category and reason, and every preflight finding's code and message. */
    private static String why(MigrationState s) {
        StringBuilder b = new StringBuilder();
        if (s.failure() != null) {
            b.append(s.failure().category()).append(' ').append(s.failure().reason());
        }
        s.blockReasons().forEach(f -> b.append(' ').append(f.code()).append(' ').append(f.message()));
        return b.toString();
    }

    boolean matches(MigrationState s) {
        if (tenant != null && (s.tenant() == null || !s.tenant().value().equals(tenant))) {
            return false;
        }
        if (wave != null && !wave.equals(s.wave())) {
            return false;
        }
        if (held && !s.held()) {
            return false;
        }
        if (!statuses.isEmpty() && !statuses.contains(s.status())) {
            return false;
        }
        if (failedBecause != null && !why(s).toLowerCase(Locale.ROOT).contains(failedBecause.toLowerCase(Locale.ROOT))) {
            return false;
        }
        if (!dnssecPhases.isEmpty() && !dnssecPhases.contains(DnssecProgress.of(s).phase())) {
            return false;
        }
        return !awaitingConfirmation || Workflow.next(s) instanceof NextAction.AwaitExternalConfirmation;
    }
}
