package dev.mxshift.dnspush.connectors;

import dev.mxshift.connector.RrSet;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** BIND's own nsupdate, signed with the lab's TSIG key: an edit made behind a connector's back. */
final class Nsupdate {

    private Nsupdate() {
    }

    /** Replaces {@code set}'s owner and type in {@code zone} at {@code server} (host:port) with {@code set}. */
    static void replace(Path keyFile, String server, String zone, RrSet set) throws Exception {
        String[] hostPort = server.split(":");
        StringBuilder script = new StringBuilder("server " + hostPort[0] + " " + hostPort[1] + "\nzone " + zone + "\n"
                + "update delete " + set.owner() + ". " + set.type() + "\n");
        for (String rdata : set.rdata()) {
            script.append("update add ").append(set.owner()).append(". ").append(set.ttl()).append(' ').append(set.type()).append(' ').append(rdata).append('\n');
        }
        script.append("send\n");
        Process process = new ProcessBuilder("nsupdate", "-k", keyFile.toString()).redirectErrorStream(true).start();
        process.getOutputStream().write(script.toString().getBytes(StandardCharsets.US_ASCII));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("nsupdate: %s", output).isZero();
    }
}
