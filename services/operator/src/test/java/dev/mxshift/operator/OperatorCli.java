package dev.mxshift.operator;

import dev.mxshift.testsupport.KafkaTestBroker;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's command line as an end-to-end test runs it: in the test's JVM, against the test broker and the test's
 * own topics (every command but {@code services}, which talks to no topic), with what it printed.
 */
record OperatorCli(int code, String out, String err) {

    String all() {
        return out + err;
    }

    static OperatorCli run(String eventsTopic, String stateTopic, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!args[0].equals("services")) {
            all.addAll(List.of("--bootstrap", KafkaTestBroker.bootstrapServers(), "--events-topic", eventsTopic, "--state-topic", stateTopic));
        }
        return local(all.toArray(String[]::new));
    }

    /** A command that talks to no topic (inventory-from, sweep), as given. */
    static OperatorCli local(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = OperatorCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
        return new OperatorCli(code, out.toString(), err.toString());
    }
}
