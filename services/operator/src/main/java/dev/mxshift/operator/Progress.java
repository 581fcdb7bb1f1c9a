package dev.mxshift.operator;

import java.io.PrintStream;

/** A progress bar on standard error for long operations: redrawn in place on a terminal, a line per tenth otherwise. */
final class Progress {

    private final PrintStream err;
    private final String what;
    private final int total;
    private final boolean terminal;
    private int lastTenth = -1;

    Progress(PrintStream err, String what, int total) {
        this.err = err;
        this.what = what;
        this.total = total;
        this.terminal = System.console() != null;
    }

    synchronized void at(int done) {
        if (total <= 0) {
            return;
        }
        int width = 30;
        int filled = (int) ((long) done * width / total);
        if (terminal) {
            err.printf("\r%s [%s%s] %,d/%,d", what, "#".repeat(filled), ".".repeat(width - filled), done, total);
            if (done >= total) {
                err.println();
            }
        } else {
            int tenth = (int) ((long) done * 10 / total);
            if (tenth != lastTenth) {
                lastTenth = tenth;
                err.printf("%s: %,d/%,d%n", what, done, total);
            }
        }
    }

    void end(int done) {
        if (terminal && done < total) {
            err.println();
        }
    }
}
