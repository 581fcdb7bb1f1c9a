package dev.mxshift.validation;

import dev.mxshift.model.dnssec.ZoneKeys;
import dev.mxshift.model.event.Direction;
import dev.mxshift.model.event.Evidence;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.event.StepVerificationFailed;
import dev.mxshift.model.event.StepVerified;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.validation.signing.ParentDsCheck;
import dev.mxshift.validation.signing.ParentSurvey;
import dev.mxshift.validation.signing.ParentView;
import dev.mxshift.validation.signing.ZoneSigningCheck;
import dev.mxshift.validation.signing.ZoneSigningSurvey;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The validation service's verification of the DNSSEC stage's steps, from outside: the signed zone on every
 * authoritative server ({@link ZoneSigningCheck}), the DS on every parent server and the resolver's SECURE
 * ({@link ParentDsCheck}), the DS gone, the zone served unsigned. A check that has not seen the step yet is for
 * re-checking at a timer; one that saw the zone broken or its DS wrong is conclusive: the domain stops at once, with
 * what to do (a wrong DS is the outage the stage exists to prevent).
 */
public final class SigningVerification {

    /** What one check saw, and whether checking again can change it. */
    public record Check(MigrationEvent event, boolean conclusive) {
    }

    private final ZoneSigningSurvey zones;
    private final ParentSurvey parents;
    private final Clock clock;

    public SigningVerification(ZoneSigningSurvey zones, ParentSurvey parents, Clock clock) {
        this.zones = zones;
        this.parents = parents;
        this.clock = clock;
    }

    public Check verify(MigrationState state, Direction direction, int step, PlanStep planStep) throws IOException {
        if (planStep instanceof PlanStep.SignZone sign) {
            return signed(state, direction, step, sign.zone().value(), state.dnssecOrNone().keys());
        }
        if (planStep instanceof PlanStep.VerifyZoneSigned verify) {
            return signed(state, direction, step, verify.zone().value(), null);
        }
        if (planStep instanceof PlanStep.PublishDs publish) {
            return chained(direction, step, publish.zone().value(), state.dnssecOrNone().keys());
        }
        if (planStep instanceof PlanStep.WithdrawDs withdraw) {
            return gone(direction, step, withdraw.zone().value(), state.dnssecOrNone().keys());
        }
        if (planStep instanceof PlanStep.UnsignZone unsign) {
            return unsigned(direction, step, unsign.zone().value());
        }
        throw new IllegalArgumentException("not a DNSSEC step: " + planStep.describe());
    }

    private Check signed(MigrationState state, Direction direction, int step, String zone, ZoneKeys recorded) throws IOException {
        ZoneSigningCheck.Facts facts = zones.gather(name(zone), List.of());
        ZoneSigningCheck.Verdict verdict = ZoneSigningCheck.decide(facts, recorded == null ? List.of() : ds(zone, recorded.ds()), clock.instant());
        List<Evidence> evidence = List.of(new Evidence(servers(facts), verdict.summary()));
        if (verdict instanceof ZoneSigningCheck.Signed signed) {
            List<String> ds = signed.dsToPublish().stream().map(d -> d.rdataToString().toUpperCase(java.util.Locale.ROOT)).toList();
            List<Integer> tags = recorded != null ? recorded.keyTags() : signed.dsToPublish().stream().map(DSRecord::getFootprint).toList();
            return new Check(new StepVerified(direction, step, evidence, new ZoneKeys(tags, ds, signed.largestSignatureTtl(), 0)), false);
        }
        return new Check(new StepVerificationFailed(direction, step, verdict.summary(), evidence), verdict instanceof ZoneSigningCheck.Broken);
    }

    private Check chained(Direction direction, int step, String zone, ZoneKeys keys) throws IOException {
        ParentView view = parents.look(name(zone));
        ParentDsCheck.Verdict verdict = ParentDsCheck.decide(view, keys == null ? List.of() : ds(zone, keys.ds()));
        List<Evidence> evidence = List.of(new Evidence("servers of " + view.parent().toString(true) + " and the validating resolver", verdict.summary()));
        if (verdict instanceof ParentDsCheck.Chained chained) {
            return new Check(new StepVerified(direction, step, evidence, new ZoneKeys(keys.keyTags(), keys.ds(), 0, chained.dsTtl())), false);
        }
        if (verdict instanceof ParentDsCheck.WrongDs wrong) {
            // Bogus now, for every validating resolver: stop, and say which DS belongs at the parent.
            return new Check(new StepVerificationFailed(direction, step, "BOGUS: " + wrong.summary(), evidence), true);
        }
        return new Check(new StepVerificationFailed(direction, step, verdict.summary(), evidence), false);
    }

    private Check gone(Direction direction, int step, String zone, ZoneKeys keys) throws IOException {
        ParentView view = parents.look(name(zone));
        OptionalLong seenBefore = keys == null || keys.dsTtl() == 0 ? OptionalLong.empty() : OptionalLong.of(keys.dsTtl());
        ParentDsCheck.GoneVerdict verdict = ParentDsCheck.decideGone(view, seenBefore);
        List<Evidence> evidence = List.of(new Evidence("servers of " + view.parent().toString(true), verdict.summary()));
        if (verdict instanceof ParentDsCheck.Gone) {
            return new Check(new StepVerified(direction, step, evidence, null), false);
        }
        return new Check(new StepVerificationFailed(direction, step, verdict.summary(), evidence), false);
    }

    private Check unsigned(Direction direction, int step, String zone) throws IOException {
        ZoneSigningCheck.Facts facts = zones.gather(name(zone), List.of());
        List<String> stillSigned = new ArrayList<>();
        for (ZoneSigningCheck.ServerFacts server : facts.servers()) {
            if (server.failure() != null) {
                stillSigned.add(server.server() + " did not answer (" + server.failure() + ")");
            } else if (server.dnskey() != null) {
                stillSigned.add(server.server() + " still serves a DNSKEY set");
            }
        }
        if (facts.servers().isEmpty()) {
            stillSigned.add("no authoritative server of " + zone + " was found to ask");
        }
        List<Evidence> evidence = List.of(new Evidence(servers(facts), stillSigned.isEmpty() ? "no server serves a DNSKEY set"
                : String.join("; ", stillSigned)));
        return stillSigned.isEmpty() ? new Check(new StepVerified(direction, step, evidence, null), false)
                : new Check(new StepVerificationFailed(direction, step, "the zone is not served unsigned yet: " + String.join("; ", stillSigned),
                evidence), false);
    }

    private static String servers(ZoneSigningCheck.Facts facts) {
        return facts.servers().isEmpty() ? "no server" : String.join(", ", facts.servers().stream().map(ZoneSigningCheck.ServerFacts::server).toList());
    }

    static List<DSRecord> ds(String zone, List<String> rdata) throws IOException {
        List<DSRecord> records = new ArrayList<>();
        for (String text : rdata) {
            records.add((DSRecord) Record.fromString(name(zone), Type.DS, DClass.IN, 0, text, Name.root));
        }
        return records;
    }

    private static Name name(String zone) {
        return Name.fromConstantString(zone + ".");
    }
}
