package dev.mxshift.service;

import picocli.CommandLine;

/** How a service's own command line tool (discover, validate, dry-run) runs: a usage error is one line and exit code 2. */
public final class ServiceCommandLine {

    private ServiceCommandLine() {
    }

    /**
     * Runs {@code command} with {@code args} and returns its exit code. An {@link IllegalArgumentException} it throws is
     * a usage error: printed on standard error as "NAME: message", exit code 2; anything else is picocli's to handle.
     */
    public static int execute(Object command, String... args) {
        CommandLine line = new CommandLine(command);
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                cmd.getErr().println(cmd.getCommandName() + ": " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return line.execute(args);
    }
}
