package dev.mxshift.validation.signing;

import dev.mxshift.model.dnssec.SigningMode;
import dev.mxshift.model.dnssec.ParentPath;
import dev.mxshift.model.event.Finding;
import org.xbill.DNS.Name;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The gates before mxshift signs a zone or chains it to its parent, as a pure decision over a {@link ParentView}:
 * what state the zone is in from outside (unsigned: sign it; signed without DS: chain it as it is; a DS already: nothing
 * to do when secure, blocked when not), whether every server of the parent's delegation is one the domain's connector
 * controls or a declared secondary of it (a zone also served by a provider mxshift does not control cannot be signed
 * safely; RFC 8901 multi-signer setups are out of scope), and whether the parent's DS path is known. Every reason to
 * block is listed, each with a stable code, a sentence and what to do.
 */
public final class SigningPreflight {

    private SigningPreflight() {
    }

    public sealed interface Verdict {
        String summary();
    }

    public record Proceed(SigningMode mode, Name parent, ParentPath path, String reason) implements Verdict {
        public String summary() {
            return mode + " " + reason + "; the DS goes to " + parent.toString(true) + " by " + path.word();
        }
    }

    /** A DS is at the parent and the resolver says secure: the zone is signed and chained already. */
    public record AlreadySecure(Name parent, String reason) implements Verdict {
        public String summary() {
            return "nothing to do: " + reason;
        }
    }

    /** {@code mode} is what the zone's state called for (null when its state itself blocks). */
    public record Blocked(SigningMode mode, Name parent, List<Finding> findings) implements Verdict {
        public Blocked {
            findings = List.copyOf(findings);
        }

        public String summary() {
            return "blocked: " + String.join("; ", findings.stream().map(f -> f.code() + ": " + f.message()).toList());
        }
    }

    public static Verdict decide(ParentView view, String connector, SigningPolicy policy) {
        String z = view.zone().toString(true);
        String p = view.parent().toString(true);
        List<Finding> blocks = new ArrayList<>();
        List<String> unreachable = view.servers().stream().filter(s -> s.failure() != null || !s.authoritative())
                .map(s -> s.server() + (s.failure() != null ? " did not answer (" + s.failure() + ")" : " answers without authority")).toList();
        if (view.servers().isEmpty() || !unreachable.isEmpty()) {
            blocks.add(new Finding("PARENT_NOT_ASKED", "whether " + p + " serves a DS for " + z + " is not known: "
                    + (view.servers().isEmpty() ? "no server of " + p + " was found" : String.join("; ", unreachable)),
                    "retry; if it persists, check the parent zone's servers"));
            return new Blocked(null, view.parent(), blocks);
        }
        boolean dsAtParent = view.servers().stream().anyMatch(s -> s.ds() != null);
        boolean signed = view.zoneKeys() != null;
        ParentView.ResolverAnswer resolver = view.resolver();
        SigningMode mode = null;
        String reason = null;
        switch (resolver.status()) {
            case SECURE -> {
                if (dsAtParent) {
                    return new AlreadySecure(view.parent(), z + " has a DS at " + p + " and the validating resolver says secure");
                }
                // Secure without a DS at the parent: an island of trust configured at the resolver; treat as signed.
                mode = SigningMode.CHAIN;
                reason = z + " is signed and " + p + " serves no DS for it";
            }
            case INSECURE -> {
                if (dsAtParent) {
                    blocks.add(new Finding("DS_BUT_INSECURE", p + " serves a DS for " + z + " but the validating resolver says "
                            + resolver.describe(), "check the DS's algorithm and digest type (one the resolver does not support makes"
                            + " the zone insecure, RFC 4035 section 5.2), or wait for the resolver's cached answer to expire and retry"));
                } else if (signed) {
                    mode = SigningMode.CHAIN;
                    reason = z + " is signed (it serves a DNSKEY set) and " + p + " serves no DS for it: its keys are kept, its DS is published";
                } else {
                    mode = SigningMode.SIGN;
                    reason = z + " is unsigned and " + p + " serves no DS for it: the provider signs it, then its DS is published";
                }
            }
            case BOGUS -> {
                String why = resolver.describe();
                if (dsAtParent && ParentDsCheck.decide(view, List.of()) instanceof ParentDsCheck.WrongDs wrong) {
                    why = wrong.summary();
                }
                blocks.add(new Finding("ZONE_BOGUS", z + " is bogus for validating resolvers: " + why,
                        "repair the zone's signing or its DS at " + p + " first; mxshift does not sign over a broken chain"));
            }
            case FAILED -> blocks.add(new Finding("ZONE_LOOKUP_FAILED", "the validating resolver cannot resolve " + z + ": "
                    + resolver.describe(), "retry; if it persists, check the zone's name servers"));
        }
        Set<Name> delegation = new TreeSet<>();
        view.servers().forEach(s -> delegation.addAll(s.delegation()));
        Optional<Set<Name>> controlled = policy.serversOf(connector);
        if (controlled.isEmpty()) {
            blocks.add(new Finding("CONNECTOR_SERVERS_UNKNOWN", "the name servers of connector " + connector + " are not configured,"
                    + " so whether it serves all of " + z + " cannot be told", "configure the name servers of connector " + connector
                    + " (and its declared secondaries)"));
        } else if (delegation.isEmpty()) {
            blocks.add(new Finding("DELEGATION_UNKNOWN", "no server of " + p + " named the name servers of " + z,
                    "check the delegation of " + z + " at " + p));
        } else {
            for (Name server : delegation) {
                if (!controlled.get().contains(server)) {
                    blocks.add(new Finding("FOREIGN_NAME_SERVER", "the delegation of " + z + " at " + p + " names " + server.toString(true)
                            + ", which connector " + connector + " neither controls nor declares as a secondary; a server mxshift does not"
                            + " control would not serve the signed zone", "remove " + server.toString(true) + " from the delegation at the"
                            + " registrar, or declare it as a secondary of connector " + connector + " (it must transfer the signed zone)"));
                }
            }
        }
        Optional<ParentPath> path = policy.pathFor(view.parent());
        if (path.isEmpty()) {
            blocks.add(new Finding("DS_PATH_UNKNOWN", "how a DS reaches " + p + " is not configured, and there is no default",
                    "configure the DS path of " + p + " (cds, manual, webhook or epp), or a default for every parent"));
        }
        if (!blocks.isEmpty()) {
            return new Blocked(mode, view.parent(), blocks);
        }
        return new Proceed(mode, view.parent(), path.get(), reason);
    }
}
