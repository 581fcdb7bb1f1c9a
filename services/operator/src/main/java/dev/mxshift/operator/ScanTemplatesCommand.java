package dev.mxshift.operator;

import dev.mxshift.operator.templates.LegacyAddresses;
import dev.mxshift.operator.templates.LegacyReferenceMatcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * Scans a hoster's provisioning material (zone-file templates, JSON, YAML, CSV, shell and PowerShell scripts, any
 * text) for what would still give new zones Exchange Online's legacy MX: the walking and reading are here, the
 * matching is {@link LegacyReferenceMatcher}'s. Files are read line by line; binary files and files over the size
 * limit are skipped with a note and never read whole.
 */
@Command(name = "scan-templates", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
        description = {"Finds every reference to Exchange Online's legacy inbound hosts in provisioning material:",
                "zone-file templates, JSON, YAML, CSV, shell and PowerShell scripts, any text file (directories",
                "recursively). It reports, one FILE:LINE: WHAT: FIX line each:",
                "  - legacy hosts: <key>.mail.protection.outlook.com, <key>.mail.eo.outlook.com,",
                "    <key>.mail.protection.outlook.de;",
                "  - legacy-key patterns, the key a placeholder: {domain}, $DOMAIN, $${DOMAIN}, %%DOMAIN%%,",
                "    {{ domain }}, <domain>, $DOMAIN-com, $($Domain.Replace('.', '-')), ...;",
                "  - the bare legacy suffixes;",
                "  - the legacy hosts' addresses you name with --legacy-address or --legacy-addresses (the scan",
                "    asks no DNS: resolve some legacy hosts first, or give Microsoft's published ranges).",
                "Quiet, since they stay valid after the move: include:spf.protection.outlook.com,",
                "autodiscover.outlook.com, MS=ms... verification TXT, DKIM selector aliases",
                "(selector1-<key>._domainkey.<tenant>.onmicrosoft.com) and *.mx.microsoft hosts.",
                "Binary files (a NUL byte in the first 8 KiB; UTF-16 with a byte-order mark is text) and files over",
                "--max-size are skipped with a note on stderr, never read whole. Symbolic links are followed; a link",
                "back into a directory being walked is skipped; .git, .hg and .svn are not entered.",
                "Exit codes: 0 nothing found, 1 some finding, 2 bad arguments or a PATH that cannot be read."},
        footer = {"", "Examples:", "  scan-templates /srv/provisioning/templates",
                "  scan-templates templates/ --legacy-address 40.93.0.1 --legacy-address 2a01:111:f400::/48",
                "  scan-templates templates/ --legacy-addresses legacy-ips.txt --format json > findings.json"})
final class ScanTemplatesCommand implements Callable<Integer> {

    static final long DEFAULT_MAX_SIZE = 5L * 1024 * 1024;
    private static final int FIRST_BLOCK = 8192;
    private static final Set<String> VCS_DIRECTORIES = Set.of(".git", ".hg", ".svn");

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "files and directories to scan")
    List<Path> paths;

    @Option(names = "--legacy-address", paramLabel = "ADDRESS", description = "an address (or network, 40.93.0.0/24) of the legacy hosts; repeatable")
    List<String> legacyAddress = new ArrayList<>();

    @Option(names = "--legacy-addresses", paramLabel = "FILE", description = "a file of such addresses, one per line ('#' starts a comment)")
    Path legacyAddressFile;

    @Option(names = "--max-size", paramLabel = "SIZE", defaultValue = "5MiB",
            description = "skip files larger than this (bytes, or with KiB/MiB/GiB); default ${DEFAULT-VALUE}")
    String maxSize;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json")
    String format;

    @Option(names = "--json", description = "the same as --format json")
    boolean json;

    @Spec
    CommandSpec spec;

    /** A file:line finding, as printed. */
    record Reported(String file, int line, int column, String kind, String text, String what, String fix) {
        String printed() {
            return file + ":" + line + ": " + what + ": " + fix;
        }
    }

    /** A file or directory left out, and why. */
    record Skipped(String file, String reason) {
    }

    @Override
    public Integer call() {
        boolean asJson = json || "json".equalsIgnoreCase(format);
        if (!asJson && !"text".equalsIgnoreCase(format)) {
            throw new IllegalArgumentException("--format '" + format + "': give text or json");
        }
        long limit = parseSize(maxSize);
        LegacyReferenceMatcher matcher = new LegacyReferenceMatcher(legacyAddresses());
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw new IllegalArgumentException(path + ": no such file or directory");
            }
            if (!Files.isReadable(path)) {
                throw new IllegalArgumentException(path + ": cannot be read (permissions)");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Scan scan = new Scan(matcher, limit, asJson ? null : out, err);
        for (Path path : paths) {
            scan.visit(path, new HashSet<>());
        }
        if (asJson) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("findings", scan.findings);
            doc.put("skipped", scan.skipped);
            doc.put("filesScanned", scan.filesScanned);
            out.println(Json.write(doc));
        }
        err.println("scan-templates: " + scan.findings.size() + " finding(s) in " + scan.filesWithFindings + " of "
                + scan.filesScanned + " file(s) scanned" + (scan.skipped.isEmpty() ? "" : "; " + scan.skipped.size() + " skipped (see above)"));
        out.flush();
        return scan.findings.isEmpty() ? 0 : 1;
    }

    private LegacyAddresses legacyAddresses() {
        List<String> entries = new ArrayList<>(legacyAddress);
        List<String> where = new ArrayList<>();
        legacyAddress.forEach(a -> where.add("--legacy-address"));
        if (legacyAddressFile != null) {
            List<String> lines;
            try {
                lines = Files.readAllLines(legacyAddressFile);
            } catch (IOException e) {
                throw new IllegalArgumentException("--legacy-addresses " + legacyAddressFile + ": cannot be read (" + e.getMessage() + ")");
            }
            for (int i = 0; i < lines.size(); i++) {
                String entry = lines.get(i).replaceFirst("#.*", "").trim();
                if (!entry.isEmpty()) {
                    entries.add(entry);
                    where.add(legacyAddressFile + ":" + (i + 1));
                }
            }
        }
        return LegacyAddresses.parse(entries, where);
    }

    static long parseSize(String text) {
        var m = java.util.regex.Pattern.compile("(\\d{1,12})\\s*(|B|KiB|K|KB|MiB|M|MB|GiB|G|GB)").matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("--max-size '" + text + "': give a number of bytes, or with KiB, MiB or GiB (e.g. 5MiB)");
        }
        long unit = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K", "KB", "KIB" -> 1024L;
            case "M", "MB", "MIB" -> 1024L * 1024;
            case "G", "GB", "GIB" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        return Long.parseLong(m.group(1)) * unit;
    }

    /** One run over the paths: what was found and skipped, printed as it goes in the text format. */
    private static final class Scan {
        final LegacyReferenceMatcher matcher;
        final long limit;
        final PrintWriter text;
        final PrintWriter err;
        final List<Reported> findings = new ArrayList<>();
        final List<Skipped> skipped = new ArrayList<>();
        /** Real paths of the files already read, so that a file reached through two links is reported once. */
        final Set<Path> filesSeen = new HashSet<>();
        int filesScanned;
        int filesWithFindings;

        Scan(LegacyReferenceMatcher matcher, long limit, PrintWriter text, PrintWriter err) {
            this.matcher = matcher;
            this.limit = limit;
            this.text = text;
            this.err = err;
        }

        /** {@code walking} holds the real paths of the directories on the way down, to see a link back into one. */
        void visit(Path path, Set<Path> walking) {
            Path real;
            try {
                real = path.toRealPath();
            } catch (IOException e) {
                skip(path, "cannot be resolved (" + describe(e) + "; a dangling symbolic link?)");
                return;
            }
            if (Files.isDirectory(real)) {
                if (!walking.add(real)) {
                    skip(path, "symbolic link loop: it leads back to " + real + ", which is being scanned already");
                    return;
                }
                List<Path> children;
                try (Stream<Path> list = Files.list(path)) {
                    children = list.sorted().toList();
                } catch (IOException e) {
                    skip(path, "directory cannot be listed (" + describe(e) + ")");
                    walking.remove(real);
                    return;
                }
                for (Path child : children) {
                    if (Files.isDirectory(child) && VCS_DIRECTORIES.contains(child.getFileName().toString())) {
                        continue;
                    }
                    visit(child, walking);
                }
                walking.remove(real);
            } else if (Files.isRegularFile(real) && filesSeen.add(real)) {
                scanFile(path, real);
            }
        }

        private void scanFile(Path path, Path real) {
            try {
                long size = Files.size(real);
                if (size > limit) {
                    skip(path, "larger than --max-size (" + size + " bytes > " + limit + "); not read");
                    return;
                }
                try (InputStream in = new BufferedInputStream(Files.newInputStream(real), FIRST_BLOCK)) {
                    in.mark(FIRST_BLOCK);
                    byte[] first = in.readNBytes(FIRST_BLOCK);
                    in.reset();
                    Charset charset = charsetOf(first);
                    if (charset == null) {
                        skip(path, "binary (a NUL byte in its first " + FIRST_BLOCK + " bytes); not read");
                        return;
                    }
                    filesScanned++;
                    readLines(path, in, charset);
                }
            } catch (IOException e) {
                skip(path, "cannot be read (" + describe(e) + ")");
            }
        }

        private void readLines(Path path, InputStream in, Charset charset) throws IOException {
            var decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, decoder));
            String line;
            int number = 0;
            boolean any = false;
            while ((line = reader.readLine()) != null) {
                number++;
                for (LegacyReferenceMatcher.Finding f : matcher.scan(line)) {
                    Reported r = new Reported(path.toString(), number, f.column(), f.kind().name(), f.text(), f.what(), f.fix());
                    findings.add(r);
                    any = true;
                    if (text != null) {
                        text.println(r.printed());
                    }
                }
            }
            if (any) {
                filesWithFindings++;
            }
        }

        /** UTF-16 when a byte-order mark says so (PowerShell 5 writes scripts that way), null for binary, else UTF-8. */
        private static Charset charsetOf(byte[] first) {
            if (first.length >= 2 && (first[0] & 0xff) == 0xff && (first[1] & 0xff) == 0xfe) {
                return StandardCharsets.UTF_16LE; // the decoder turns the BOM into U+FEFF, which matches nothing
            }
            if (first.length >= 2 && (first[0] & 0xff) == 0xfe && (first[1] & 0xff) == 0xff) {
                return StandardCharsets.UTF_16BE;
            }
            for (byte b : first) {
                if (b == 0) {
                    return null;
                }
            }
            return StandardCharsets.UTF_8;
        }

        private void skip(Path path, String reason) {
            skipped.add(new Skipped(path.toString(), reason));
            err.println(path + ": skipped: " + reason);
        }

        private static String describe(IOException e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
    }
}
