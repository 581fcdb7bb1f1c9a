package dev.mxshift.validation;

import dev.mxshift.validation.dane.DaneCheck;
import dev.mxshift.validation.dnssec.DnssecValidator;
import dev.mxshift.validation.preflight.PreflightPolicy;
import dev.mxshift.validation.propagation.AuthoritativeServers;
import dev.mxshift.validation.propagation.PropagationCheck;
import org.xbill.DNS.SimpleResolver;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where validation looks and what it allows: the upstream resolver its own validator asks (with CD), the trust
 * anchor (DS or DNSKEY lines: the IANA root in production, the lab root in tests), the SMTP port probed for DANE,
 * the ports of authoritative servers that are not on 53 (address to port), and the tenant policy.
 */
public record ValidationSettings(InetSocketAddress resolver, Path trustAnchorFile, int smtpPort,
                                 Map<String, Integer> authoritativePorts, PreflightPolicy policy) {

    public ValidationSettings {
        authoritativePorts = Map.copyOf(authoritativePorts);
        if (!Files.isReadable(trustAnchorFile)) {
            throw new IllegalArgumentException("the trust anchor file " + trustAnchorFile + " cannot be read");
        }
    }

    /** A lab's endpoints.json: its resolver, trust anchor, SMTP port and authoritative servers' ports. */
    public static ValidationSettings fromLab(Path endpoints, PreflightPolicy policy) {
        try {
            JsonNode root = JsonMapper.builder().build().readTree(endpoints.toFile());
            Map<String, Integer> ports = new HashMap<>();
            root.path("authoritative").forEach(s -> ports.put(s.path("address").asString(), s.path("port").asInt()));
            JsonNode resolver = root.path("resolver");
            if (resolver.isMissingNode() || root.path("trustAnchorFile").isMissingNode()) {
                throw new IllegalArgumentException(endpoints + " has no resolver or trustAnchorFile: is it a lab's endpoints.json?");
            }
            return new ValidationSettings(new InetSocketAddress(resolver.path("address").asString(), resolver.path("port").asInt()),
                    Path.of(root.path("trustAnchorFile").asString()), root.path("smtp").path(0).path("port").asInt(25), ports,
                    policy);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(endpoints + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Parses {@code ADDRESS=PORT} entries. */
    public static Map<String, Integer> ports(List<String> entries) {
        Map<String, Integer> ports = new HashMap<>();
        for (String entry : entries) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.split("=", 2);
            try {
                ports.put(parts[0].trim(), Integer.parseInt(parts[1].trim()));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("'" + entry + "': an authoritative port is written ADDRESS=PORT, e.g. 192.0.2.1=5300");
            }
        }
        return ports;
    }

    public Validation build(Clock clock) {
        try {
            SimpleResolver upstream = new SimpleResolver(resolver);
            upstream.setTimeout(Duration.ofSeconds(10));
            DnssecValidator validator = new DnssecValidator(upstream, Files.readString(trustAnchorFile), clock);
            AuthoritativeServers servers = new AuthoritativeServers(upstream, authoritativePorts);
            dev.mxshift.validation.signing.ParentSurvey parents = new dev.mxshift.validation.signing.ParentSurvey(upstream, servers, Duration.ofSeconds(5));
            return new Validation(validator, new DaneCheck(validator, smtpPort, Duration.ofSeconds(20), clock),
                    new PropagationCheck(servers, Duration.ofSeconds(5), clock), policy, parents,
                    new SigningVerification(new dev.mxshift.validation.signing.ZoneSigningSurvey(servers, Duration.ofSeconds(5)), parents, clock));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the trust anchor " + trustAnchorFile, e);
        }
    }
}
