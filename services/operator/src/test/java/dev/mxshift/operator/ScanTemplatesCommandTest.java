package dev.mxshift.operator;

import dev.mxshift.lab.LabRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scan-templates} over the lab's template directory ({@code infra/lab/templates}): it finds exactly the planted
 * references listed in {@code infra/lab/template-scan-expected.txt}, skips the binary file, a file over the size limit
 * and a symbolic link loop (both made here in a copy, not committed), and exits 1; a clean file gives 0, a missing
 * path 2.
 */
@Timeout(60)
class ScanTemplatesCommandTest {

    private static final Path LAB = LabRun.repositoryRoot().resolve("infra/lab");
    private static final Pattern TEXT_LINE = Pattern.compile("^(.+?):(\\d+): (.+): (.+)$");

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = OperatorCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @TempDir
    Path temp;
    Path templates;

    @BeforeEach
    void copyTheTemplatesWithABigFileAndALoop() throws IOException {
        templates = temp.resolve("templates");
        try (Stream<Path> all = Files.walk(LAB.resolve("templates"))) {
            for (Path source : all.toList()) {
                Path target = templates.resolve(LAB.resolve("templates").relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        // One byte over the default limit, with a legacy reference on its first line that must never be reported.
        Path big = Files.createDirectories(templates.resolve("zz-generated")).resolve("all-tenants.zone");
        try (OutputStream out = Files.newOutputStream(big)) {
            byte[] line = "@ IN MX 0 contoso-com.mail.protection.outlook.com.\n".getBytes(StandardCharsets.US_ASCII);
            long written = 0;
            while (written <= ScanTemplatesCommand.DEFAULT_MAX_SIZE) {
                out.write(line);
                written += line.length;
            }
        }
        Files.createSymbolicLink(templates.resolve("bind/loop"), templates); // bind/loop/bind/loop/... without an end
    }

    private static Set<String> expected() throws IOException {
        Set<String> expected = new TreeSet<>();
        for (String line : Files.readAllLines(LAB.resolve("template-scan-expected.txt"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                expected.add(line.trim());
            }
        }
        return expected;
    }

    private String relative(String file) {
        return templates.relativize(Path.of(file)).toString();
    }

    @Test
    void findsEveryPlantedReferenceAndNothingElse() throws Exception {
        Run r = run("scan-templates", templates.toString(), "--legacy-addresses", LAB.resolve("template-scan-legacy-addresses.txt").toString(),
                "--format", "json");

        assertThat(r.code()).as(r.err()).isEqualTo(1);
        JsonNode doc = Json.MAPPER.readTree(r.out());
        Set<String> found = new TreeSet<>();
        List<String> fixes = new ArrayList<>();
        for (JsonNode f : doc.path("findings")) {
            found.add(relative(f.path("file").asString()) + ":" + f.path("line").asInt() + ": " + f.path("kind").asString());
            fixes.add(f.path("fix").asString());
        }
        Set<String> expected = expected();
        assertThat(found).as("found but not planted").isSubsetOf(expected);
        assertThat(expected).as("planted but not found").isSubsetOf(found);
        assertThat(doc.path("findings")).as("one finding per planted reference").hasSize(expected.size());
        assertThat(fixes).allSatisfy(fix -> assertThat(fix).contains("mx.microsoft"));

        assertThat(r.err())
                .contains(templates.resolve("binary/provisioning-cache.db") + ": skipped: binary")
                .contains(templates.resolve("zz-generated/all-tenants.zone") + ": skipped: larger than --max-size")
                .contains(templates.resolve("bind/loop") + ": skipped: symbolic link loop");
        List<String> skipped = new ArrayList<>();
        doc.path("skipped").forEach(s -> skipped.add(relative(s.path("file").asString())));
        assertThat(skipped).containsExactlyInAnyOrder("binary/provisioning-cache.db", "bind/loop", "zz-generated/all-tenants.zone");
        assertThat(doc.path("filesScanned").asInt()).isEqualTo(11);
    }

    @Test
    void printsOneFileLineWhatFixLinePerFinding() throws Exception {
        Run r = run("scan-templates", templates.toString(), "--legacy-addresses", LAB.resolve("template-scan-legacy-addresses.txt").toString());

        assertThat(r.code()).isEqualTo(1);
        Set<String> lines = new TreeSet<>();
        for (String line : r.out().split("\n")) {
            Matcher m = TEXT_LINE.matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            lines.add(relative(m.group(1)) + ":" + m.group(2));
        }
        Set<String> expectedLines = new TreeSet<>();
        expected().forEach(e -> expectedLines.add(e.substring(0, e.lastIndexOf(':'))));
        assertThat(lines).isEqualTo(expectedLines);
        assertThat(r.out()).contains(templates.resolve("csv/bulk-records.csv") + ":2: legacy Exchange Online host contoso-com.mail.protection.outlook.com: "
                + "use the domain's contoso-com.<x>-v1.mx.microsoft host (Microsoft's DnssecMxValue");
        assertThat(r.err()).contains("scan-templates: 21 finding(s) in 8 of 11 file(s) scanned; 3 skipped");
    }

    @Test
    void withoutTheLegacyAddressesOnlyNamesAreFound() {
        Run r = run("scan-templates", templates.toString(), "--json");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).doesNotContain("LEGACY_ADDRESS").contains("LEGACY_KEY_PATTERN");
    }

    @Test
    void aLargerLimitReadsTheBigFileLineByLine() {
        Run r = run("scan-templates", templates.resolve("zz-generated").toString(), "--max-size", "6MiB");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).startsWith(templates.resolve("zz-generated/all-tenants.zone") + ":1: legacy Exchange Online host");
        assertThat(r.err()).doesNotContain("skipped");
    }

    @Test
    void theTemplatesAfterTheMoveAreClean() {
        Run r = run("scan-templates", templates.resolve("bind/tenant-migrated.zone.tmpl").toString(),
                templates.resolve("json/zone-defaults-migrated.json").toString(), templates.resolve("yaml/tenant-profile-migrated.yaml").toString(),
                "--legacy-addresses", LAB.resolve("template-scan-legacy-addresses.txt").toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("0 finding(s) in 0 of 3 file(s) scanned");
    }

    @Test
    void aPathThatCannotBeReadIsAUsageError() {
        Run missing = run("scan-templates", templates.resolve("no-such-dir").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("no-such-dir: no such file or directory");

        Run badAddress = run("scan-templates", templates.toString(), "--legacy-address", "mail.example.com");
        assertThat(badAddress.code()).isEqualTo(2);
        assertThat(badAddress.err()).contains("--legacy-address: 'mail.example.com' is not an IPv4 or IPv6 address");

        Run badSize = run("scan-templates", templates.toString(), "--max-size", "lots");
        assertThat(badSize.code()).isEqualTo(2);
        assertThat(badSize.err()).contains("--max-size 'lots'");
    }

    @Test
    void helpNamesWhatIsFoundAndWhatStaysQuiet() {
        Run r = run("scan-templates", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("{domain}", "$DOMAIN", "${DOMAIN}", "%DOMAIN%", "include:spf.protection.outlook.com", "--legacy-address", "--max-size", "Exit codes")
                .doesNotContain("null", "%%"); // picocli formats the description: ${...} and % need escaping
    }
}
