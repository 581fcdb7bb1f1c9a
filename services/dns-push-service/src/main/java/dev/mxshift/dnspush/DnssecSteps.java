package dev.mxshift.dnspush;

import dev.mxshift.connector.CdsMode;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.Denial;
import dev.mxshift.connector.SigningKey;
import dev.mxshift.connector.SigningRequest;
import dev.mxshift.connector.ZoneSigning;
import dev.mxshift.connector.parent.DsSubmission;
import dev.mxshift.connector.parent.ParentChannel;
import dev.mxshift.dnspush.engine.PushOutcome;
import dev.mxshift.dnspush.parent.CdsParent;
import dev.mxshift.dnspush.parent.DsbootSignals;
import dev.mxshift.model.dnssec.DsStatus;
import dev.mxshift.model.event.Direction;
import dev.mxshift.dnspush.parent.EppRegistrar;
import dev.mxshift.model.dnssec.ParentPath;
import dev.mxshift.model.dnssec.ZoneKeys;
import dev.mxshift.model.event.ApplyFailureKind;
import dev.mxshift.model.event.AwaitingExternalAction;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.event.StepApplied;
import dev.mxshift.model.event.StepApplyFailed;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.NextAction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The push service's side of the DNSSEC stage: sign through the zone's connector, get the verified DS to the parent by
 * the step's path, withdraw it, stop signing. Each call is idempotent (a repeat after a crash signs nothing twice and
 * asks for the same DS), and what it did becomes the step's event; invariant 6's order is the workflow's, which refuses
 * a DS for unverified keys and an unsigning under a DS whatever this class does.
 */
final class DnssecSteps {

    private final Map<String, ? extends ParentChannel> registrars;
    private final DsbootSignals signals;

    /** @param registrars the {@code webhook} and {@code epp} paths' registrar systems, by parent zone ({@code *}: any other parent) */
    DnssecSteps(Map<String, ? extends ParentChannel> registrars) {
        this(registrars, new DsbootSignals(List.of()));
    }

    /** @param signals the DNS operator's signalling zones, where the {@code cds} path publishes RFC 9615 signals */
    DnssecSteps(Map<String, ? extends ParentChannel> registrars, DsbootSignals signals) {
        this.registrars = Map.copyOf(registrars);
        this.signals = signals;
    }

    /**
     * The registry has acted on the signals of a zone chained by the {@code cds} path when the DS it published was
     * verified (the step after {@code PublishDs} is due): they are removed then (RFC 9615 section 5.1). Idempotent, and
     * a repeat after a crash finds them gone; a failure is only reported, since the unsigning removes them too.
     */
    Optional<String> removeActedUponSignals(MigrationState state, Direction direction, int step, DnsConnector connector) {
        if (!signals.configured() || direction != Direction.FORWARD || step < 1 || step > state.activeSteps().size()
                || !(state.activeSteps().get(step - 1) instanceof PlanStep.PublishDs publish) || publish.path() != ParentPath.CDS
                || state.dnssecOrNone().ds() != DsStatus.CHAINED) {
            return Optional.empty();
        }
        try {
            return Optional.of(new CdsParent(connector, signals).signalsActedUpon(publish.zone().value()).replaceFirst("^; ", ""));
        } catch (ConnectorException e) {
            return Optional.of("RFC 9615 signals of " + publish.zone() + " not removed: " + e.getMessage());
        }
    }

    MigrationEvent apply(MigrationState state, NextAction.ApplyStep apply, DnsConnector connector) {
        PlanStep step = apply.planStep();
        try {
            if (step instanceof PlanStep.SignZone sign) {
                return sign(apply, connector, sign);
            }
            if (step instanceof PlanStep.PublishDs publish) {
                return publish(state, apply, connector, publish);
            }
            if (step instanceof PlanStep.WithdrawDs withdraw) {
                return withdraw(state, apply, connector, withdraw);
            }
            if (step instanceof PlanStep.UnsignZone unsign) {
                ZoneSigning before = connector.signing(unsign.zone().value());
                if (before.cds() == CdsMode.PUBLISH) {
                    stopCds(connector, unsign.zone().value());
                }
                connector.unsign(unsign.zone().value());
                return new StepApplied(apply.direction(), apply.step(), !before.signed(), before.signed()
                        ? "signing of " + unsign.zone() + " stopped at " + connector.id() + ", keys " + tags(before.keys()) + " removed"
                        : unsign.zone() + " was not signed at " + connector.id());
            }
        } catch (ConnectorException e) {
            return StepChanges.event(apply.direction(), apply.step(), new PushOutcome.Failed(e.kind(), e.getMessage()));
        }
        throw new IllegalArgumentException("not a DNSSEC step the push service applies: " + step.describe());
    }

    /**
     * A connector refuses to unsign while its zone publishes CDS for its keys. The DS is gone from the parent by now (the
     * workflow orders it so), so the CDS may go; a provider that cannot withdraw the CDS it publishes (BIND 9.18 under a
     * dnssec-policy, Cloudflare) withdraws it by the delete form instead, which it may serve when asked to unsign.
     */
    private static void stopCds(DnsConnector connector, String zone) throws ConnectorException {
        try {
            connector.publishCds(zone, CdsMode.NONE);
        } catch (ConnectorException e) {
            if (e.kind() != ConnectorException.Kind.UNSUPPORTED) {
                throw e;
            }
            connector.publishCds(zone, CdsMode.DELETE);
        }
    }

    private MigrationEvent sign(NextAction.ApplyStep apply, DnsConnector connector, PlanStep.SignZone sign) throws ConnectorException {
        if (!connector.capabilities().dnssecManagement()) {
            return new StepApplyFailed(apply.direction(), apply.step(), ApplyFailureKind.PERMANENT, "connector " + connector.id()
                    + " does not manage DNSSEC: sign " + sign.zone() + " at its provider, then retry from discovery (a signed zone is"
                    + " chained, never re-signed), or set the domain's unsigned-zone policy to migrate-insecure", null);
        }
        String zone = sign.zone().value();
        ZoneSigning before = connector.signing(zone);
        ZoneSigning signed = connector.sign(zone, new SigningRequest(sign.algorithm(), Denial.valueOf(sign.denial())));
        if (!signed.signed() || signed.keys().isEmpty() || signed.ds().isEmpty()) {
            return new StepApplyFailed(apply.direction(), apply.step(), ApplyFailureKind.RETRYABLE, connector.id()
                    + " reports " + zone + " without signing keys after signing it", null);
        }
        ZoneKeys keys = new ZoneKeys(signed.keys().stream().map(SigningKey::keyTag).toList(), signed.ds());
        return new StepApplied(apply.direction(), apply.step(), before.signed(), ProviderText.capped((before.signed()
                ? zone + " was already signed at " + connector.id() : zone + " signed at " + connector.id())
                + " with key tags " + keys.keyTags() + " (algorithm " + sign.algorithm() + ", " + sign.denial() + "); DS to publish "
                + keys.ds()), keys);
    }

    private MigrationEvent publish(MigrationState state, NextAction.ApplyStep apply, DnsConnector connector, PlanStep.PublishDs publish)
            throws ConnectorException {
        ZoneKeys keys = state.dnssecOrNone().keys();
        if (keys == null || !state.dnssecOrNone().keysVerified()) {
            // The workflow would refuse it anyway (invariant 6); say it plainly rather than ask the parent.
            return new StepApplyFailed(apply.direction(), apply.step(), ApplyFailureKind.PERMANENT, "no verified keys of "
                    + publish.zone() + " to publish a DS for", null);
        }
        String zone = publish.zone().value();
        // The DNSKEYs are for people and registrar systems that take keys; the CDS path publishes them from the zone itself.
        List<String> dnskeys = publish.path() == ParentPath.CDS ? List.of() : dnskeys(connector, zone);
        if (publish.path() == ParentPath.MANUAL) {
            return new AwaitingExternalAction(apply.direction(), apply.step(), publish.manualAction(),
                    manualSubmission(state, publish, keys, dnskeys));
        }
        DsSubmission submission = new DsSubmission(zone, publish.parent().value(), keys.ds(), dnskeys);
        String evidence = channel(publish.path(), publish.parent().value(), connector).submit(submission);
        return new StepApplied(apply.direction(), apply.step(), false, ProviderText.capped(evidence), keys);
    }

    private MigrationEvent withdraw(MigrationState state, NextAction.ApplyStep apply, DnsConnector connector, PlanStep.WithdrawDs withdraw)
            throws ConnectorException {
        String zone = withdraw.zone().value();
        if (withdraw.path() == ParentPath.MANUAL) {
            return new AwaitingExternalAction(apply.direction(), apply.step(), withdraw.manualAction(),
                    "At the registrar of " + zone + " (parent zone " + withdraw.parent() + "), remove every DS record of " + zone
                            + ".\nthen confirm: ./mxshift confirm " + state.domain().value()
                            + "\nmxshift then checks that no server of " + withdraw.parent() + " serves a DS, and waits out every"
                            + " cache that may hold one, before signing stops.");
        }
        String evidence = channel(withdraw.path(), withdraw.parent().value(), connector).withdraw(zone, withdraw.parent().value());
        return new StepApplied(apply.direction(), apply.step(), false, ProviderText.capped(evidence));
    }

    private ParentChannel channel(ParentPath path, String parent, DnsConnector connector) throws ConnectorException {
        if (path == ParentPath.CDS) {
            return new CdsParent(connector, signals);
        }
        ParentChannel registrar = registrars.containsKey(parent) ? registrars.get(parent) : registrars.get("*");
        if (registrar == null) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, "no registrar system is configured for the parent zone "
                    + parent + " (mxshift.push.registrars[].parents); configure one, or use the cds or manual path for it");
        }
        ParentPath served = registrar instanceof EppRegistrar ? ParentPath.EPP : ParentPath.WEBHOOK;
        if (served != path) {
            // The path shown to operators must be the one taken: a mismatch is configuration to fix, not to guess at.
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, "the parent zone " + parent + " takes the " + path.word()
                    + " path (mxshift.validation.signing.parents) but its registrar system " + registrar.id() + " is of type "
                    + served.word() + " (mxshift.push.registrars[].type); make the two agree");
        }
        return registrar;
    }

    /** The DNSKEYs, for registries that take keys (RFC 5910 keyData); none when the provider cannot say. */
    private static List<String> dnskeys(DnsConnector connector, String zone) throws ConnectorException {
        if (!connector.capabilities().dnssecManagement()) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        for (SigningKey key : connector.signing(zone).keys()) {
            keys.add(key.dnskey());
        }
        return keys;
    }

    static String manualSubmission(MigrationState state, PlanStep.PublishDs publish, ZoneKeys keys, List<String> dnskeys) {
        StringBuilder text = new StringBuilder("At the registrar of " + publish.zone() + " (parent zone " + publish.parent()
                + "), publish exactly these DS records:\n");
        keys.ds().forEach(ds -> text.append("  ").append(publish.zone()).append(". IN DS ").append(ds).append('\n'));
        if (!dnskeys.isEmpty()) {
            text.append("(registries that take the key instead of the digest: ");
            dnskeys.forEach(k -> text.append(publish.zone()).append(". IN DNSKEY ").append(k).append("; "));
            text.setLength(text.length() - 2);
            text.append(")\n");
        }
        text.append("then confirm: ./mxshift confirm ").append(state.domain().value()).append('\n');
        text.append("mxshift then checks every server of ").append(publish.parent())
                .append(" and the validating resolver before it goes on; a DS that matches no key stops the domain.");
        return text.toString();
    }

    private static List<Integer> tags(List<SigningKey> keys) {
        return keys.stream().map(SigningKey::keyTag).toList();
    }
}
