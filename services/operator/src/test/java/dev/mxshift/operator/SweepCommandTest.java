package dev.mxshift.operator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The sweep's command line without a lab: bad arguments, a zone file that does not parse, a zone with nothing to find. */
class SweepCommandTest {

    private static final String SOA = "$TTL 3600\n@ IN SOA ns1.example.com. hostmaster.example.com. 2026120601 3600 600 604800 300\n"
            + "@ IN NS ns1.example.com.\nns1 IN A 192.0.2.1\n";

    @Test
    void withoutASourceItSaysWhichOnesThereAreAndExitsTwo() {
        String[] run = sweep();
        assertThat(run[0]).isEqualTo("2");
        assertThat(run[2]).contains("--connectors FILE, --endpoints FILE or --zone-files DIR");
        assertThat(sweep("--zone-files", "/nonexistent", "--format", "xml")[0]).isEqualTo("2");
    }

    @Test
    void aZoneWithOnlyWhatStaysValidExitsZero(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("example.com.db"), SOA
                + "@ IN MX 0 example-com.o-v1.mx.microsoft.\n@ IN TXT \"v=spf1 include:spf.protection.outlook.com -all\"\n"
                + "@ IN TXT \"MS=ms12345678\"\nautodiscover IN CNAME autodiscover.outlook.com.\n"
                + "selector1._domainkey IN CNAME selector1-example-com._domainkey.example.onmicrosoft.com.\n");
        String[] run = sweep("--zone-files", dir.toString(), "--resolver", "127.0.0.1:9");
        assertThat(run[0]).as(run[1] + run[2]).isEqualTo("0");
        assertThat(run[1]).contains("sweep: 1 zone read, 0 legacy hosts resolved").contains("0 findings in 0 zones");
    }

    @Test
    void aZoneFileThatDoesNotParseIsNamedAndExitsThree(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("broken.com.db"), SOA.replace("example.com", "broken.com") + "mail IN A not-an-address\n");
        String[] run = sweep("--zone-files", dir.toString(), "--resolver", "127.0.0.1:9");
        assertThat(run[0]).as(run[1] + run[2]).isEqualTo("3");
        assertThat(run[1]).contains("broken.com (zone-files): not read: PERMANENT: zone-files: " + dir.resolve("broken.com.db") + " does not parse");
    }

    /** Exit code, standard output, standard error. */
    static String[] sweep(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "sweep";
        System.arraycopy(args, 0, all, 1, args.length);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = OperatorCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(all);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }
}
