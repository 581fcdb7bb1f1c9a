package dev.mxshift.operator;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/**
 * What every operator command on the event log has: the Kafka options ({@link KafkaOptions}, listed first in its help)
 * and picocli's standard output and error, where it prints (and where the tests read what it printed).
 */
abstract class EventLogCommand {

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
