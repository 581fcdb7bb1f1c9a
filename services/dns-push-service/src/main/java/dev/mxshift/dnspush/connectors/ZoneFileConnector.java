package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.ApplyReceipt;
import dev.mxshift.connector.Capabilities;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.ListedZone;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import dev.mxshift.connector.ZoneLister;
import dev.mxshift.connector.ZoneReader;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Zone;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Zones kept as files (BIND and others that load master files): a record set is read from the file; a change is
 * made under a lock file by re-reading the file, checking the expected set, writing the new zone with the SOA serial
 * bumped to a temporary file, checking it with {@code named-checkzone}, moving it into place atomically and running
 * the reload command. The file is rewritten from its records: comments and layout are not kept (every record is).
 *
 * <p>Settings: {@code directory}, {@code file-name} (default {@code {zone}.db}), {@code check-command} (default
 * {@code named-checkzone}), {@code reload-command} (e.g. {@code rndc reload {zone}}; empty: no reload).
 */
public final class ZoneFileConnector extends BuiltInConnector implements ZoneReader, ZoneLister {

    public static final String TYPE = "zonefile";

    /** Finds this connector by its {@code type}. */
    public static final class Factory extends BuiltInConnectorFactory {
        public Factory() {
            super(TYPE, config -> new ZoneFileConnector(config.id(), Path.of(config.required("directory")), config.optional("file-name", "{zone}.db"),
                    config.optional("check-command", "named-checkzone"), config.optional("reload-command", "")));
        }
    }

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    private final Path directory;
    private final String fileName;
    private final String checkCommand;
    private final String reloadCommand;

    public ZoneFileConnector(String id, Path directory, String fileName, String checkCommand, String reloadCommand) {
        super(id);
        this.directory = directory;
        this.fileName = fileName;
        this.checkCommand = checkCommand;
        this.reloadCommand = reloadCommand;
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(Set.of("MX", "TXT", "TLSA", "A", "AAAA", "CNAME", "NS"), false, true, true, false);
    }

    @Override
    public Optional<RrSet> read(String zone, String owner, String type) throws ConnectorException {
        return find(load(zone), owner, type);
    }

    /** Every record of the file, parsed by dnsjava as {@link #read} parses it ({@code $INCLUDE}, {@code $ORIGIN}, {@code $TTL} followed). */
    @Override
    public List<RrSet> readZone(String zone) throws ConnectorException {
        List<Record> records = new ArrayList<>();
        load(zone).iterator().forEachRemaining(set -> set.rrs(false).forEach(records::add));
        return ZoneRecords.of(records);
    }

    @Override
    public synchronized ApplyReceipt apply(RrSetChange change) throws ConnectorException {
        Path file = file(change.zone());
        try (FileChannel lockChannel = FileChannel.open(file.resolveSibling(file.getFileName() + ".mxshift-lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock ignored = lockChannel.lock()) {
            Zone zone = load(change.zone());
            Optional<RrSet> now = find(zone, change.owner(), change.type());
            boolean expected = change.expectedBefore() == null ? now.isEmpty() : now.isPresent() && change.expectedBefore().sameAs(now.get());
            if (!expected) {
                throw new ConnectorException(ConnectorException.Kind.CONFLICT, id + ": " + file + " no longer holds the expected "
                        + change.owner() + " " + change.type() + "; nothing was written");
            }
            Name owner = name(change.owner());
            int type = Type.value(change.type());
            List<Record> records = new ArrayList<>();
            SOARecord soa = zone.getSOA();
            long serial = nextSerial(soa.getSerial());
            for (Iterator<RRset> sets = zone.iterator(); sets.hasNext(); ) {
                RRset set = sets.next();
                if (set.getType() == Type.SOA || set.getName().equals(owner) && set.getType() == type) {
                    continue;
                }
                set.rrs(false).forEach(records::add);
            }
            records.add(0, new SOARecord(soa.getName(), DClass.IN, soa.getTTL(), soa.getHost(), soa.getAdmin(), serial, soa.getRefresh(),
                    soa.getRetry(), soa.getExpire(), soa.getMinimum()));
            if (change.target() != null) {
                for (String rdata : change.target().rdata()) {
                    records.add(Record.fromString(owner, type, DClass.IN, change.target().ttl(), rdata, Name.root));
                }
            }
            StringBuilder text = new StringBuilder("; ").append(change.zone()).append(": written by mxshift (connector ").append(id)
                    .append("), serial ").append(serial).append("\n");
            records.forEach(r -> text.append(r).append('\n'));
            Path temporary = Files.createTempFile(directory, file.getFileName().toString(), ".mxshift-new");
            try {
                Files.writeString(temporary, text, StandardCharsets.UTF_8);
                run(List.of(checkCommand, change.zone(), temporary.toString()), ConnectorException.Kind.PERMANENT, "check");
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
            if (!reloadCommand.isBlank()) {
                run(List.of("sh", "-c", reloadCommand.replace("{zone}", change.zone())), ConnectorException.Kind.RETRYABLE, "reload");
            }
            return new ApplyReceipt(id + " wrote " + file + " with serial " + serial + (reloadCommand.isBlank() ? "" : " and reloaded it"));
        } catch (IOException e) {
            throw new ConnectorException(ConnectorException.Kind.RETRYABLE, id + ": could not write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The zone files it is configured with, as zones; a zone file names no account. */
    @Override
    public List<ListedZone> listedZones() throws ConnectorException {
        return listZones().stream().map(ListedZone::withoutAccount).toList();
    }

    @Override
    public List<String> listZones() throws ConnectorException {
        String suffix = fileName.substring(fileName.indexOf("{zone}") + "{zone}".length());
        String prefix = fileName.substring(0, fileName.indexOf("{zone}"));
        List<String> zones = new ArrayList<>();
        try (var files = Files.list(directory)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix) && n.endsWith(suffix) && n.length() > prefix.length() + suffix.length())
                    .map(n -> n.substring(prefix.length(), n.length() - suffix.length())).sorted().forEach(zones::add);
        } catch (IOException e) {
            throw new ConnectorException(ConnectorException.Kind.RETRYABLE, id + ": cannot list " + directory + ": " + e.getMessage(), e);
        }
        return zones;
    }

    /** Today's date serial (YYYYMMDDnn) when the zone uses that scheme and it is larger; otherwise the next number. */
    static long nextSerial(long serial) {
        long today = Long.parseLong(LocalDate.now(ZoneOffset.UTC).format(DAY)) * 100;
        boolean dateScheme = serial >= 1_970_010_100L && serial <= 2_999_123_199L;
        return dateScheme && today > serial ? today : (serial + 1) % 4_294_967_296L;
    }

    private Path file(String zone) {
        return directory.resolve(fileName.replace("{zone}", zone.toLowerCase(Locale.ROOT)));
    }

    private Zone load(String zone) throws ConnectorException {
        Path file = file(zone);
        if (!Files.isRegularFile(file)) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": there is no zone file " + file + " for " + zone);
        }
        try {
            return new Zone(name(zone), file.toString());
        } catch (IOException e) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, id + ": " + file + " does not parse: " + e.getMessage(), e);
        }
    }

    private static Optional<RrSet> find(Zone zone, String owner, String type) {
        RRset set = zone.findExactMatch(name(owner), Type.value(type));
        if (set == null || set.size() == 0) {
            return Optional.empty();
        }
        List<String> rdata = new ArrayList<>();
        set.rrs(false).forEach(r -> rdata.add(r.rdataToString()));
        return Optional.of(new RrSet(owner, type, set.getTTL(), rdata));
    }

    private void run(List<String> command, ConnectorException.Kind kind, String what) throws ConnectorException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new ConnectorException(ConnectorException.Kind.RETRYABLE, id + ": the " + what + " command did not finish in 60 s");
            }
            if (process.exitValue() != 0) {
                throw new ConnectorException(kind, id + ": the " + what + " command failed (exit " + process.exitValue() + "): " + output);
            }
        } catch (IOException e) {
            throw new ConnectorException(kind, id + ": cannot run the " + what + " command " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(ConnectorException.Kind.RETRYABLE, id + ": interrupted during " + what, e);
        }
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text.toLowerCase(Locale.ROOT) + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a domain name", e);
        }
    }
}
