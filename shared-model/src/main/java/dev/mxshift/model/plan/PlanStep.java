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
        @JsonSubTypes.Type(value = PlanStep.VerifyDane.class, name = "VerifyDane")
})
public sealed interface PlanStep {

    StepPurpose purpose();

    /** One line for people and for the plan checksum; stable across releases. */
    String describe();

    /** True when the step writes to the DNS provider and therefore needs verification from outside. */
    default boolean writes() {
        return this instanceof ChangeMx || this instanceof ChangeRecordSet;
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

    private static void require(Object value, String what) {
        if (value == null) {
            throw new InvalidValueException("plan step", null, what + " is required");
        }
    }
}
