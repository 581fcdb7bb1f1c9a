package dev.mxshift.validation;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.Direction;
import dev.mxshift.model.event.MigrationCompleted;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.event.RolledBack;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.validation.dane.DaneCheck;
import dev.mxshift.validation.dnssec.DnssecValidator;
import dev.mxshift.validation.preflight.PreflightEvidence;
import dev.mxshift.validation.preflight.PreflightGate;
import dev.mxshift.validation.preflight.PreflightPolicy;
import dev.mxshift.validation.propagation.PropagationCheck;
import dev.mxshift.validation.propagation.ServerAnswer;
import dev.mxshift.validation.propagation.StepVerifier;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.util.List;

/**
 * The validation service's work for one domain: gather what is seen from outside (its own DNSSEC validation, DANE
 * against the live server, every authoritative server's answer) and hand it to the pure decisions
 * ({@link PreflightGate}, {@link StepVerifier}). The validate command and the service's handler both call this.
 */
public final class Validation {

    private final DnssecValidator validator;
    private final DaneCheck dane;
    private final PropagationCheck propagation;
    private final PreflightPolicy policy;
    private final dev.mxshift.validation.signing.ParentSurvey parents;
    private final SigningVerification signing;

    public Validation(DnssecValidator validator, DaneCheck dane, PropagationCheck propagation, PreflightPolicy policy,
                      dev.mxshift.validation.signing.ParentSurvey parents, SigningVerification signing) {
        this.validator = validator;
        this.dane = dane;
        this.propagation = propagation;
        this.policy = policy;
        this.parents = parents;
        this.signing = signing;
    }

    /** What the gates were shown: the zone's status and the target's DANE report (null without a target). */
    public PreflightEvidence evidence(DomainName domain, DomainName target) throws IOException {
        DnssecValidator.Result zone = validator.check(name(domain.value()), Type.MX);
        DaneCheck.Report report = target == null ? null : dane.check(target);
        return new PreflightEvidence(zone, report, null);
    }

    public MigrationEvent preflight(MigrationState state) throws IOException {
        PreflightEvidence evidence = evidence(state.domain(), state.targetHost());
        if (evidence.zone().status() == DnssecValidator.Status.INSECURE
                && policy.unsignedZoneFor(state) == dev.mxshift.model.event.UnsignedZonePolicy.SIGN && policy.signing() != null
                && state.provider() != null) {
            // The zone is to be signed: what its parent and its delegation allow, seen from outside (SigningPreflight).
            var view = parents.look(name(state.provider().zone().value()));
            evidence = new PreflightEvidence(evidence.zone(), evidence.target(),
                    dev.mxshift.validation.signing.SigningPreflight.decide(view, state.provider().connectorId(), policy.signing()));
        }
        return PreflightGate.decide(state, evidence, policy);
    }

    /** Checks a DNSSEC step once from outside ({@link SigningVerification}). */
    public SigningVerification.Check verifyDnssec(MigrationState state, Direction direction, int step, dev.mxshift.model.plan.PlanStep planStep)
            throws IOException {
        return signing.verify(state, direction, step, planStep);
    }

    /**
     * Checks a pushed step once from outside: verified, or what was seen instead. A step not seen yet is checked again
     * later at a durable timer ({@link Reverification}), not here: the check never holds a consumer for minutes.
     */
    public MigrationEvent verify(MigrationState state, Direction direction, int step, dev.mxshift.model.plan.PlanStep planStep)
            throws IOException {
        StepVerifier.Expectation expected = StepVerifier.expectationOf(planStep, state.targetHost());
        List<ServerAnswer> answers = expected.owner() == null ? List.of()
                : propagation.ask(name(state.provider().zone().value()), name(expected.owner()), Type.value(expected.type()));
        DaneCheck.Report report = expected.daneHost() == null ? null : dane.check(expected.daneHost());
        return StepVerifier.decide(direction, step, expected, answers, 0, report);
    }

    /** Every step of the plan (or the rollback) is verified: the domain's end, with the MX set it now serves. */
    public static MigrationEvent finish(MigrationState state, Direction direction) {
        if (state.liveMx() == null) {
            throw new IllegalStateException(state.domain() + " finished without a known live MX set");
        }
        return direction == Direction.FORWARD ? new MigrationCompleted(state.liveMx()) : new RolledBack(state.liveMx());
    }

    private static Name name(String domain) {
        return Name.fromConstantString(domain + ".");
    }
}
