package dev.mxshift.operator;

import dev.mxshift.discovery.inventory.InventoryProblem;
import dev.mxshift.dnspush.engine.ConnectorRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * An inventory from the providers (issue 29, decision 0030): lists the zones of connectors, maps each to its tenant (the
 * mapping file, else the provider's account) and writes them in the import's format; the zones it cannot map are listed,
 * never guessed.
 */
@Command(name = "inventory-from", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write an inventory in the import's format (tenant,domain,connector,zone) from the zones your connectors host:",
                "PowerDNS (with each zone's account), Cloudflare (with its account), Route 53, zone files and webhooks (the zones",
                "call), and connectors whose zones are named in the connectors file (rfc2136). A zone's tenant is, first found:",
                "the mapping file's row for the zone, its row for the zone's account (account:ID or account:NAME), the provider's",
                "account name where it is a valid tenant id (PowerDNS's account, a Cloudflare account's name). A zone with none is",
                "left out and listed on stderr (and in --unmapped FILE) with why; so is a zone two connectors list (kept with the first).",
                "Every row written is one ./mxshift import accepts: they are read back by the import's own reader first.",
                "Exit: 0 every connector listed (zones may still be left out: see stderr), 1 a connector failed (named; the",
                "inventory holds the others'), 2 bad arguments or a bad mapping file (each bad line as FILE:LINE: FIELD: REASON)."},
        footer = {"", "Connectors file (JSON; settings and secret references as the push service's connectors):",
                "  {\"connectors\": [{\"id\": \"pdns\", \"type\": \"powerdns\", \"settings\": {\"url\": \"http://10.0.0.5:8081/api/v1\",",
                "    \"api-key\": \"env:PDNS_API_KEY\"}},",
                "   {\"id\": \"cf\", \"type\": \"cloudflare\", \"settings\": {\"api-token\": \"env:CF_API_TOKEN\"}},",
                "   {\"id\": \"bind\", \"type\": \"rfc2136\", \"settings\": {\"server\": \"10.0.0.6:53\", \"tsig-key-name\": \"mxshift\",",
                "    \"tsig-secret\": \"file:/etc/mxshift/tsig\"}, \"zones\": [\"example.com\", \"example.net\"]}]}",
                "", "Mapping file (CSV; # comments):",
                "  zone,tenant",
                "  example.com,tenant-a",
                "  account:023e105f4ecef8ad9ca31a8372d0c353,tenant-b     every zone of that provider account",
                "", "Examples:",
                "  inventory-from --connectors connectors.json --mapping tenants-map.csv --out tenants.csv --unmapped unmapped.csv",
                "  inventory-from pdns cf --connectors connectors.json --out tenants.csv     only these two connectors",
                "  inventory-from --endpoints infra/lab/run/endpoints.json --out lab.csv && ./mxshift inventory-check lab.csv"})
final class InventoryFromCommand implements Callable<Integer> {

    @Parameters(paramLabel = "CONNECTOR", arity = "0..*", description = "the connectors to list, by id (default: every connector named below)")
    Set<String> onlyConnectors = new LinkedHashSet<>();

    @Option(names = "--connectors", paramLabel = "FILE", description = "the connectors (JSON, see below)")
    Path connectorsFile;

    @Option(names = "--endpoints", paramLabel = "FILE", description = "a lab's endpoints.json: its PowerDNS (API) and BIND (the zones it names)")
    Path endpoints;

    @Option(names = "--zone-files", paramLabel = "DIR", description = "a directory of zone files named <zone>.db (repeatable)")
    List<Path> zoneFiles = new ArrayList<>();

    @Option(names = "--mapping", paramLabel = "FILE", description = "zone,tenant rows (and account:ID-OR-NAME,tenant), see below")
    Path mappingFile;

    @Option(names = "--out", paramLabel = "FILE", description = "write the inventory here (default: standard output)")
    Path out;

    @Option(names = "--unmapped", paramLabel = "FILE", description = "also write the zones left out here, as CSV: connector,zone,account,reason")
    Path unmapped;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        SweepSources.Config config = new SweepSources.Config(connectorsFile, endpoints, zoneFiles);
        if (config.isEmpty()) {
            throw new IllegalArgumentException("name the connectors: --connectors FILE, --endpoints FILE or --zone-files DIR (see --help)");
        }
        ZoneTenantMapping mapping = ZoneTenantMapping.EMPTY;
        if (mappingFile != null) {
            ZoneTenantMapping.Read read = ZoneTenantMapping.read(mappingFile);
            if (!read.problems().isEmpty()) {
                read.problems().stream().map(InventoryProblem::toString).forEach(err::println);
                throw new IllegalArgumentException("the mapping file has " + read.problems().size() + " bad line(s); nothing was listed");
            }
            mapping = read.mapping();
        }
        InventoryFrom.Outcome outcome;
        try (SweepSources.Opened opened = SweepSources.open(config, new ConnectorRegistry())) {
            outcome = InventoryFrom.run(chosen(opened.sources()), mapping, line -> {
                err.println(line);
                err.flush();
            });
        }
        if (out == null) {
            spec.commandLine().getOut().print(outcome.csv());
            spec.commandLine().getOut().flush();
        } else {
            Files.writeString(out, outcome.csv());
        }
        if (unmapped != null) {
            Files.writeString(unmapped, InventoryFrom.leftOutCsv(outcome.leftOut()));
        }
        outcome.leftOut().forEach(l -> err.println("left out: " + l));
        outcome.failures().forEach(f -> err.println("failed: " + f));
        err.println(outcome.summary() + (out == null ? "" : "; written to " + out));
        err.flush();
        return outcome.failures().isEmpty() ? 0 : 1;
    }

    private List<SweepSources.Source> chosen(List<SweepSources.Source> sources) {
        if (onlyConnectors.isEmpty()) {
            return sources;
        }
        Set<String> unknown = new LinkedHashSet<>(onlyConnectors);
        sources.forEach(s -> unknown.remove(s.id()));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("no connector named " + String.join(", ", unknown) + "; there are: "
                    + String.join(", ", sources.stream().map(SweepSources.Source::id).toList()));
        }
        return sources.stream().filter(s -> onlyConnectors.contains(s.id())).toList();
    }
}
