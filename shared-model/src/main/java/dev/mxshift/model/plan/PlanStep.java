package dev.mxshift.model.plan;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.InvalidValueException;
import dev.mxshift.model.dns.MxRecordSet;
import dev.mxshift.model.dns.RecordSet;

/**
 * One step of a staged plan. Every write names the record set it expects to find and the one it leaves,
 * so that each write is a compare-and-set (brief, invariant 3).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = PlanStep.ChangeMx.class, name = "ChangeMx"),
        @JsonSubTypes.Type(value = PlanStep.ChangeRecordSet.class, name = "ChangeRecordSet"),
        @JsonSubTypes.Type(value = PlanStep.Wait.class, name = "Wait"),
        @JsonSubTypes.Type(value = PlanStep.External.class, name = "External"),
        @JsonSubTypes.Type(value = PlanStep.VerifyDane.class, name = "VerifyDane"),
        @JsonSubTypes.Type(value = PlanStep.SignZone.class, name = "SignZone"),
        @JsonSubTypes.Type(value = PlanStep.VerifyZoneSigned.class, name = "VerifyZoneSigned"),
        @JsonSubTypes.Type(value = PlanStep.PublishDs.class, name = "PublishDs"),
        @JsonSubTypes.Type(value = PlanStep.WithdrawDs.class, name = "WithdrawDs"),
        @JsonSubTypes.Type(value = PlanStep.UnsignZone.class, name = "UnsignZone")
})
public sealed interface PlanStep {

    StepPurpose purpose();

    /** One line for people and for the plan checksum; stable across releases. */
    String describe();

    /**
     * True when the step has a side effect (at the DNS provider, or at the parent for a DS) and therefore needs
     * verification from outside before the next step starts.
     */
    default boolean writes() {
        return this instanceof ChangeMx || this instanceof ChangeRecordSet || dnssec() && !(this instanceof VerifyZoneSigned);
    }

    /** A step of the DNSSEC stage (sign, chain, and their undoing), as opposed to the MX migration's. */
    default boolean dnssec() {
        return this instanceof SignZone || this instanceof VerifyZoneSigned || this instanceof PublishDs
                || this instanceof WithdrawDs || this instanceof UnsignZone;
    }

    /** The DS step's action when its path is manual: an operator does it at the registrar, then confirms. */
    default ExternalAction manualAction() {
        if (this instanceof PublishDs p && p.path() == dev.mxshift.model.dnssec.ParentPath.MANUAL) {
            return ExternalAction.SUBMIT_DS_AT_REGISTRAR;
        }
        if (this instanceof WithdrawDs w && w.path() == dev.mxshift.model.dnssec.ParentPath.MANUAL) {
            return ExternalAction.REMOVE_DS_AT_REGISTRAR;
        }
        return null;
    }

    /** Replace the domain's MX RRset {@code expectedBefore} with {@code target}. */
    record ChangeMx(StepPurpose purpose, MxRecordSet expectedBefore, MxRecordSet target) implements PlanStep {
        public ChangeMx {
            require(purpose, "purpose");
            require(expectedBefore, "expected-before MX set");
            require(target, "target MX set");
            if (target.isEmpty()) {
                throw new InvalidValueException("plan step " + purpose, target.toString(),
                        "would leave the domain without MX records (invariant 1: no step leaves an empty MX set)");
            }
            if (!expectedBefore.owner().equals(target.owner())) {
                throw new InvalidValueException("plan step " + purpose, target.owner().value(),
                        "changes owner " + target.owner() + " but expects " + expectedBefore.owner());
            }
            if (expectedBefore.equals(target)) {
                throw new InvalidValueException("plan step " + purpose, target.toString(), "changes nothing");
            }
        }

        @Override
        public String describe() {
            return purpose + " MX " + render(expectedBefore) + " -> " + render(target);
        }

        private static String render(MxRecordSet set) {
            return "ttl=" + set.ttl() + " " + set.records();
        }
    }

    /**
     * Replace, create ({@code expectedBefore == null}) or delete ({@code target == null}) another RRset,
     * such as the {@code _mta-sts} TXT record whose id must change with the policy.
     */
    record ChangeRecordSet(StepPurpose purpose, RecordSet expectedBefore, RecordSet target) implements PlanStep {
        public ChangeRecordSet {
            require(purpose, "purpose");
            if (expectedBefore == null && target == null) {
                throw new InvalidValueException("plan step " + purpose, null, "needs an expected-before or a target record set");
            }
            if (expectedBefore != null && target != null) {
                if (!expectedBefore.owner().equals(target.owner()) || !expectedBefore.type().equals(target.type())) {
                    throw new InvalidValueException("plan step " + purpose, target.toString(), "must change one owner and type");
                }
                if (expectedBefore.equals(target)) {
                    throw new InvalidValueException("plan step " + purpose, target.toString(), "changes nothing");
                }
            }
            if ((target != null ? target : expectedBefore).type().equals("MX")) {
                throw new InvalidValueException("plan step " + purpose, "MX", "MX changes are ChangeMx steps, so the MX invariants apply to them");
            }
        }

        @Override
        public String describe() {
            return purpose + " " + (expectedBefore == null ? "(absent)" : expectedBefore) + " -> " + (target == null ? "(absent)" : target);
        }
    }

    /** Wait, for example until resolvers have dropped the old TTL's cached answers. */
    record Wait(StepPurpose purpose, long seconds) implements PlanStep {
        public Wait {
            require(purpose, "purpose");
            if (seconds < 0) {
                throw new InvalidValueException("plan step " + purpose, String.valueOf(seconds), "a wait cannot be negative");
            }
        }

        @Override
        public String describe() {
            return purpose + " wait " + seconds + "s";
        }
    }

    /**
     * An action outside the DNS provider (a Microsoft cmdlet, publishing an MTA-STS policy), done by an operator or
     * a connector and then confirmed. {@code detail} is what the person needs (the policy text to publish);
     * {@code rollbackDetail} what undoing it needs (the previous text). Both are null for cmdlets. Schema v2.
     */
    record External(StepPurpose purpose, ExternalAction action, String detail, String rollbackDetail) implements PlanStep {
        public External {
            require(purpose, "purpose");
            require(action, "external action");
        }

        public External(StepPurpose purpose, ExternalAction action) {
            this(purpose, action, null, null);
        }

        @Override
        public String describe() {
            // The detail is part of what was reviewed, so it is part of the checksum.
            return purpose + " external " + action.cmdlet() + (detail == null ? "" : " [" + detail.replace("\r\n", "\\r\\n") + "]");
        }
    }

    /** Check from outside that a host resolves securely and its TLSA matches its certificate (RFC 7672). */
    record VerifyDane(StepPurpose purpose, DomainName host) implements PlanStep {
        public VerifyDane {
            require(purpose, "purpose");
            require(host, "host");
        }

        @Override
        public String describe() {
            return purpose + " verify DANE " + host;
        }
    }

    /**
     * Sign the zone at its provider (RFC 6781 section 4.3, the first step of going signed). The push service signs through
     * the zone's connector and records the keys and the DS; the validation service then checks from outside that every
     * authoritative server serves the keys with valid signatures.
     */
    record SignZone(StepPurpose purpose, DomainName zone, int algorithm, String denial) implements PlanStep {
        public SignZone {
            require(purpose, "purpose");
            require(zone, "zone");
            require(denial, "denial of existence");
        }

        @Override
        public String describe() {
            return purpose + " sign zone " + zone + " algorithm " + algorithm + " " + denial;
        }
    }

    /**
     * Check from outside that a zone its provider already signed is served signed by every authoritative server, and
     * record the DS to publish for it (a zone signed but not chained is chained, never re-signed).
     */
    record VerifyZoneSigned(StepPurpose purpose, DomainName zone) implements PlanStep {
        public VerifyZoneSigned {
            require(purpose, "purpose");
            require(zone, "zone");
        }

        @Override
        public String describe() {
            return purpose + " verify zone signed " + zone;
        }
    }

    /**
     * Get the zone's verified DS to the parent by {@code path}, then verify that every parent server serves exactly that
     * DS and the validating resolver answers the zone SECURE (invariant 6: only after the keys were verified).
     */
    record PublishDs(StepPurpose purpose, DomainName zone, DomainName parent, dev.mxshift.model.dnssec.ParentPath path) implements PlanStep {
        public PublishDs {
            requireDsAtParent(purpose, zone, parent, path);
        }

        @Override
        public String describe() {
            return purpose + " publish DS of " + zone + " at " + parent + " by " + path.word();
        }
    }

    /** Withdraw the zone's DS at the parent (CDS delete form, the registrar, or an operator), then verify it is gone. */
    record WithdrawDs(StepPurpose purpose, DomainName zone, DomainName parent, dev.mxshift.model.dnssec.ParentPath path) implements PlanStep {
        public WithdrawDs {
            requireDsAtParent(purpose, zone, parent, path);
        }

        @Override
        public String describe() {
            return purpose + " withdraw DS of " + zone + " at " + parent + " by " + path.word();
        }
    }

    /**
     * Stop signing the zone and remove its keys. Invariant 6: only once no parent server serves a DS and every cache that
     * could hold one has expired (RFC 6781 section 4.3); the workflow refuses it before.
     */
    record UnsignZone(StepPurpose purpose, DomainName zone) implements PlanStep {
        public UnsignZone {
            require(purpose, "purpose");
            require(zone, "zone");
        }

        @Override
        public String describe() {
            return purpose + " unsign zone " + zone;
        }
    }

    /** The checks of a step that moves a zone's DS at its parent: publishing it, or withdrawing it. */
    private static void requireDsAtParent(StepPurpose purpose, DomainName zone, DomainName parent,
                                          dev.mxshift.model.dnssec.ParentPath path) {
        require(purpose, "purpose");
        require(zone, "zone");
        require(parent, "parent zone");
        require(path, "parent path");
    }

    private static void require(Object value, String what) {
        if (value == null) {
            throw new InvalidValueException("plan step", null, what + " is required");
        }
    }
}
