package dev.mxshift.operator;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The operator's commands over a running mxshift: {@code ./mxshift status|history|start|confirm|replay|pause|resume|
 * cancel|rollback|fixes|dead-letters}. Each reads the state topic, decides per domain with {@link OperatorAction}, appends the
 * events and confirms them from the state topic. Exit codes: 0 done for every selected domain, 1 some domain was
 * refused or not confirmed, 2 bad arguments, 3 Kafka could not be reached or refused a write.
 */
@Command(name = "mxshift", mixinStandardHelpOptions = true, version = "mxshift operator 0.1",
        description = "Operate a running mxshift migration.",
        subcommands = {StatusCommand.class, HistoryCommand.class,
                ChangeCommand.Start.class, ChangeCommand.Confirm.class, ChangeCommand.Replay.class, ChangeCommand.Pause.class, ChangeCommand.Resume.class,
                ChangeCommand.Cancel.class, ChangeCommand.Rollback.class, DeadLettersCommand.class,
                DsExportCommand.class, WatchCommand.class, ServicesCommand.class, ApiCommand.class, ApiTokenCommand.class,
                ScanTemplatesCommand.class, SweepCommand.class, FixesCommand.class, InventoryFromCommand.class})
public final class OperatorCommand {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new OperatorCommand());
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                line.getErr().println(line.getCommandName() + ": " + e.getMessage());
                return 2;
            }
            if (e instanceof IllegalStateException || e instanceof org.apache.kafka.common.KafkaException) {
                line.getErr().println(line.getCommandName() + ": " + e.getMessage());
                return 3;
            }
            throw e;
        });
        return cli;
    }
}
