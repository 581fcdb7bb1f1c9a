package dev.mxshift.lab;

import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "A real DNSSEC-signed mini-internet on 127.0.0.0/8: PowerDNS, BIND, Unbound and Postfix.",
        subcommands = {LabCommand.Up.class, LabCommand.Down.class, LabCommand.Status.class, LabCommand.Env.class},
        footer = {"", "Examples:", "  infra/lab/lab up", "  infra/lab/lab up --tenants 1000", "  infra/lab/lab up --spec my-cases.yaml",
                "  eval \"$(infra/lab/lab env)\"", "  infra/lab/lab down"})
public final class LabCommand {

    @Option(names = "--dir", description = "where the lab keeps its files (default: infra/lab/run)", defaultValue = "infra/lab/run")
    Path directory;

    @Option(names = "--powerdns-port", description = "PowerDNS DNS port on 127.0.10.1 (default 5300)", defaultValue = "5300")
    int powerDnsPort;
    @Option(names = "--powerdns-api-port", description = "PowerDNS HTTP API port on 127.0.10.1 (default 18081)", defaultValue = "18081")
    int powerDnsApiPort;
    @Option(names = "--bind-port", description = "BIND port on 127.0.0.1 (default 5301)", defaultValue = "5301")
    int bindPort;
    @Option(names = "--resolver-port", description = "Unbound port on 127.0.10.53 (default 5353; it also answers on 53)", defaultValue = "5353")
    int resolverPort;
    @Option(names = "--smtp-port", description = "SMTP port of the Postfix endpoints (default 25, the port TLSA names carry)", defaultValue = "25")
    int smtpPort;
    @Option(names = "--mta-sts-port", description = "HTTPS port of the MTA-STS policy server on 127.0.20.10 (default 8443)", defaultValue = "8443")
    int mtaStsPort;

    LabLayout layout() {
        LabLayout d = LabLayout.defaults(directory.toAbsolutePath());
        for (int port : new int[]{powerDnsPort, powerDnsApiPort, bindPort, resolverPort, smtpPort, mtaStsPort}) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
            }
        }
        return new LabLayout(d.directory(), d.powerDnsAddress(), powerDnsPort, powerDnsApiPort, d.bindAddress(), bindPort, d.bindControlPort(),
                d.unboundAddress(), resolverPort, d.smtpGoodAddress(), d.smtpMismatchAddress(), d.smtpLegacyAddress(), smtpPort,
                d.mtaStsAddress(), mtaStsPort);
    }

    Lab lab() {
        return new Lab(layout(), line -> System.err.println("lab: " + line));
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new LabCommand()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("lab: " + e.getMessage());
            return 1;
        }).execute(args));
    }

    @Command(name = "up", mixinStandardHelpOptions = true, description = "Start the lab (does nothing if it already runs).")
    static final class Up implements Callable<Integer> {
        @CommandLine.ParentCommand
        LabCommand parent;

        @Option(names = "--tenants", description = "synthetic tenants to add from the catalogue's mix (default 0)", defaultValue = "0")
        int tenants;

        @Option(names = "--spec", description = "a further scenario file (YAML, same format as the catalogue); repeatable")
        List<Path> specs = new ArrayList<>();

        @Option(names = "--mix", split = ",", description = "weights for --tenants, e.g. eligible-signed=8,unsigned=1")
        Map<String, Integer> mix;

        @Override
        public Integer call() {
            if (tenants < 0) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--tenants must not be negative");
            }
            ScenarioCatalogue.Contents builtIn = ScenarioCatalogue.builtInContents();
            List<ScenarioSpec> catalogue = builtIn.scenarios();
            List<ScenarioSpec> scenarios = new ArrayList<>(catalogue);
            List<ScenarioCatalogue.Contents> files = new ArrayList<>(List.of(builtIn));
            for (Path spec : specs) {
                ScenarioCatalogue.Contents contents = ScenarioCatalogue.readContents(spec);
                files.add(contents);
                scenarios.addAll(contents.scenarios());
            }
            List<RegistryPolicy> registries = ScenarioCatalogue.merge(files);
            Map<String, Integer> weights = mix == null ? ScenarioCatalogue.defaultMix(catalogue, registries) : new LinkedHashMap<>(mix);
            scenarios.addAll(ScenarioCatalogue.generate(tenants, weights, scenarios));
            Lab lab = parent.lab();
            if (!lab.up(scenarios, registries)) {
                System.err.println("lab: already up (lab down first to rebuild it)");
            }
            return 0;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop every server the lab started.")
    static final class Down implements Callable<Integer> {
        @CommandLine.ParentCommand
        LabCommand parent;

        @Override
        public Integer call() {
            List<String> stopped = parent.lab().down();
            System.err.println(stopped.isEmpty() ? "lab: nothing was running" : "lab: stopped " + String.join(", ", stopped));
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show which lab servers run (exit 0 when all do, 3 otherwise).")
    static final class Status implements Callable<Integer> {
        @CommandLine.ParentCommand
        LabCommand parent;

        @Override
        public Integer call() {
            Map<String, Boolean> status = parent.lab().status();
            status.forEach((name, alive) -> System.out.println(name + ": " + (alive ? "running" : "stopped")));
            return status.values().stream().allMatch(b -> b) ? 0 : 3;
        }
    }

    @Command(name = "env", mixinStandardHelpOptions = true,
            description = "Print what a client needs (from the lab's endpoints file) as shell variables, or as JSON.")
    static final class Env implements Callable<Integer> {
        @CommandLine.ParentCommand
        LabCommand parent;

        @Option(names = "--json", description = "print the endpoints file itself")
        boolean json;

        @Override
        public Integer call() throws java.io.IOException {
            Path file = parent.layout().endpointsFile();
            if (!java.nio.file.Files.exists(file)) {
                System.err.println("lab: no endpoints file at " + file + "; run 'lab up' first");
                return 3;
            }
            String text = java.nio.file.Files.readString(file);
            if (json) {
                System.out.println(text);
                return 0;
            }
            var e = tools.jackson.databind.json.JsonMapper.builder().build().readTree(text);
            var out = new java.util.LinkedHashMap<String, String>();
            out.put("MXSHIFT_LAB_ENDPOINTS", file.toString());
            out.put("MXSHIFT_LAB_RESOLVER", e.path("resolver").path("address").asString() + ":" + e.path("resolver").path("port").asString());
            e.path("authoritative").forEach(a -> out.put("MXSHIFT_LAB_" + a.path("name").asString().toUpperCase(java.util.Locale.ROOT),
                    a.path("address").asString() + ":" + a.path("port").asString()));
            out.put("MXSHIFT_LAB_POWERDNS_API", e.path("powerdnsApi").path("url").asString());
            out.put("MXSHIFT_LAB_POWERDNS_API_KEY", e.path("powerdnsApi").path("apiKey").asString());
            out.put("MXSHIFT_LAB_TSIG_NAME", e.path("tsig").path("name").asString());
            out.put("MXSHIFT_LAB_TSIG_ALGORITHM", e.path("tsig").path("algorithm").asString());
            out.put("MXSHIFT_LAB_TSIG_SECRET", e.path("tsig").path("secret").asString());
            e.path("smtp").forEach(m -> out.put("MXSHIFT_LAB_SMTP_" + m.path("role").asString().toUpperCase(java.util.Locale.ROOT).replace('-', '_'),
                    m.path("address").asString() + ":" + m.path("port").asString()));
            if (e.has("mailFlow")) {
                JsonNode submission = e.path("mailFlow").path("submission");
                out.put("MXSHIFT_LAB_MAIL_SUBMISSION", submission.path("address").asString() + ":" + submission.path("port").asString());
            }
            out.put("MXSHIFT_LAB_MTA_STS", e.path("mtaSts").path("address").asString() + ":" + e.path("mtaSts").path("port").asString());
            out.put("MXSHIFT_LAB_TRUST_ANCHOR", e.path("trustAnchorFile").asString());
            out.put("MXSHIFT_LAB_CA", e.path("caFile").asString());
            out.put("MXSHIFT_LAB_RESOLV_CONF", e.path("resolvConf").asString());
            out.forEach((k, v) -> System.out.println("export " + k + "='" + v + "'"));
            return 0;
        }
    }
}
