package dev.mxshift.lab;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads scenario files ({@code scenarios: [...]}, and optionally {@code registries: [...]}, the TLDs' DS policies)
 * and makes synthetic tenants from a mix of them.
 */
public final class ScenarioCatalogue {

    public static final String BUILT_IN = "/scenarios/catalogue.yaml";

    record File(List<ScenarioSpec> scenarios, List<RegistryPolicy.Spec> registries) {
    }

    /** What one file declares: its scenarios and its registries (none when the file has no {@code registries:}). */
    public record Contents(List<ScenarioSpec> scenarios, List<RegistryPolicy> registries) {
    }

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private ScenarioCatalogue() {
    }

    public static List<ScenarioSpec> builtIn() {
        return builtInContents().scenarios();
    }

    /** The registry policy of each lab TLD the built-in catalogue declares. */
    public static List<RegistryPolicy> builtInRegistries() {
        return builtInContents().registries();
    }

    public static Contents builtInContents() {
        try (InputStream in = ScenarioCatalogue.class.getResourceAsStream(BUILT_IN)) {
            return parse(in, "built-in catalogue " + BUILT_IN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<ScenarioSpec> read(Path file) {
        return readContents(file).scenarios();
    }

    public static Contents readContents(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read scenario file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Registries of several files together; a TLD declared in two files is refused. */
    public static List<RegistryPolicy> merge(List<Contents> files) {
        Map<String, RegistryPolicy> byTld = new LinkedHashMap<>();
        for (Contents file : files) {
            for (RegistryPolicy policy : file.registries()) {
                if (byTld.putIfAbsent(policy.tld(), policy) != null) {
                    throw new IllegalArgumentException("registry '" + policy.tld() + "' is declared in two scenario files");
                }
            }
        }
        return List.copyOf(byTld.values());
    }

    private static Contents parse(InputStream in, String source) {
        File file;
        try {
            file = YAML.readValue(in, File.class);
        } catch (JacksonException e) {
            StringBuilder where = new StringBuilder();
            for (JacksonException.Reference ref : e.getPath()) {
                if (ref.getPropertyName() != null) {
                    where.append(where.isEmpty() ? "" : ".").append(ref.getPropertyName());
                } else if (ref.getIndex() >= 0) {
                    where.append('[').append(ref.getIndex() + 1).append(']');
                }
            }
            throw new IllegalArgumentException(source + (where.isEmpty() ? "" : ", " + where) + ": " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (near line " + e.getLocation().getLineNr() + ")"), e);
        }
        if (file == null || file.scenarios() == null || file.scenarios().isEmpty()) {
            throw new IllegalArgumentException(source + ": no 'scenarios:' list");
        }
        for (ScenarioSpec spec : file.scenarios()) {
            if (spec.name() == null || spec.name().isBlank()) {
                throw new IllegalArgumentException(source + ": a scenario has no name");
            }
        }
        List<RegistryPolicy> registries = file.registries() == null ? List.of() : RegistryPolicy.fromSpecs(file.registries(), source);
        return new Contents(file.scenarios(), registries);
    }

    /** Checks that no domain appears twice (after IDN normalisation) across all scenarios. */
    public static void checkUnique(List<ScenarioSpec> all) {
        Map<String, String> seen = new HashMap<>();
        for (ScenarioSpec spec : all) {
            if (spec.domain() == null) {
                continue;
            }
            String canonical = dev.mxshift.model.dns.DomainName.of(spec.domain()).value();
            String before = seen.putIfAbsent(canonical, spec.name());
            if (before != null) {
                throw new IllegalArgumentException("domain " + canonical + " is declared by scenarios '" + before + "' and '" + spec.name() + "'");
            }
        }
    }

    /**
     * {@code count} synthetic tenants {@code t<N>-<scenario>.<tld>}, cycling through the mix by weight. Templates
     * lose their explicit host keys, which belong to the catalogue's own domain.
     */
    public static List<ScenarioSpec> generate(int count, Map<String, Integer> mix, List<ScenarioSpec> templates) {
        Map<String, ScenarioSpec> byName = new LinkedHashMap<>();
        templates.forEach(t -> byName.put(t.name(), t));
        List<ScenarioSpec> wheel = new ArrayList<>();
        mix.forEach((name, weight) -> {
            ScenarioSpec template = byName.get(name);
            if (template == null) {
                throw new IllegalArgumentException("--mix names scenario '" + name + "', which is not in the catalogue; known: " + byName.keySet());
            }
            if (weight < 0) {
                throw new IllegalArgumentException("--mix weight of '" + name + "' is negative");
            }
            for (int i = 0; i < weight; i++) {
                wheel.add(template);
            }
        });
        if (wheel.isEmpty()) {
            throw new IllegalArgumentException("--mix has no positive weight");
        }
        List<ScenarioSpec> tenants = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            ScenarioSpec t = wheel.get(i % wheel.size());
            String tld = t.domain() == null ? "com" : t.domain().substring(t.domain().lastIndexOf('.') + 1);
            if (!tld.matches("[a-z]+")) {
                tld = "com";
            }
            String domain = "t" + i + "-" + t.name() + "." + tld;
            ScenarioSpec.Target target = t.target() == null ? null
                    : new ScenarioSpec.Target(t.target().letter(), null, t.target().tlsa(), t.target().endpoint());
            tenants.add(new ScenarioSpec(t.name(), domain, "tenant-" + (i % 1000), t.dnssec(), t.hosting(), t.mx(), target,
                    null, t.mtaSts(), t.expect()));
        }
        return tenants;
    }

    /** The default mix: mostly eligible domains, some of every other PowerDNS-hosted state. */
    public static Map<String, Integer> defaultMix(List<ScenarioSpec> templates) {
        return defaultMix(templates, List.of());
    }

    /**
     * As {@link #defaultMix(List)}, leaving out the scenarios under CDS-scanning TLDs: their registry scans every
     * delegation each interval, and a benchmark's many thousand synthetic zones would turn the scanner into the load.
     */
    public static Map<String, Integer> defaultMix(List<ScenarioSpec> templates, List<RegistryPolicy> registries) {
        java.util.Set<String> scanned = new java.util.HashSet<>();
        registries.stream().filter(RegistryPolicy::scansCds).forEach(r -> scanned.add(r.tld()));
        Map<String, Integer> mix = new LinkedHashMap<>();
        for (ScenarioSpec t : templates) {
            if (t.domain() != null && scanned.contains(t.domain().substring(t.domain().lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT))) {
                continue;
            }
            if (t.inMix() && t.hosting().equals("powerdns") && (t.domain() == null || t.domain().chars().allMatch(c -> c < 128))) {
                mix.put(t.name(), t.name().startsWith("eligible") ? 10 : 1);
            }
        }
        return mix;
    }
}
