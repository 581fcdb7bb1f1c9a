package dev.mxshift.lab;

import picocli.CommandLine;
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

    Lab lab() {
        return new Lab(LabLayout.defaults(directory.toAbsolutePath()), line -> System.err.println("lab: " + line));
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
            List<ScenarioSpec> catalogue = ScenarioCatalogue.builtIn();
            List<ScenarioSpec> scenarios = new ArrayList<>(catalogue);
            for (Path spec : specs) {
                scenarios.addAll(ScenarioCatalogue.read(spec));
            }
            Map<String, Integer> weights = mix == null ? ScenarioCatalogue.defaultMix(catalogue) : new LinkedHashMap<>(mix);
            scenarios.addAll(ScenarioCatalogue.generate(tenants, weights, scenarios));
            Lab lab = parent.lab();
            if (!lab.up(scenarios)) {
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

    @Command(name = "env", mixinStandardHelpOptions = true, description = "Print shell variables that point clients at the lab.")
    static final class Env implements Callable<Integer> {
        @CommandLine.ParentCommand
        LabCommand parent;

        @Override
        public Integer call() {
            LabLayout layout = LabLayout.defaults(parent.directory.toAbsolutePath());
            System.out.println("MXSHIFT_LAB_ENDPOINTS=" + layout.endpointsFile());
            System.out.println("MXSHIFT_LAB_RESOLVER=" + layout.unboundAddress() + ":" + layout.unboundPort());
            System.out.println("MXSHIFT_LAB_POWERDNS_API=" + layout.powerDnsApiUrl());
            return 0;
        }
    }
}
