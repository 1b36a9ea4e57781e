package dev.regula.examples.cli;

/** Exit codes of the {@code regula} command, stable for scripts. */
public final class ExitCode {
    /** Success. */
    public static final int OK = 0;
    /** An unexpected internal error (a bug: please report it). */
    public static final int INTERNAL = 1;
    /** Bad command line: unknown flag, bad value, unknown regularizer name or bad spec. */
    public static final int USAGE = 2;
    /** Input data missing, unreadable or corrupt. */
    public static final int DATA = 3;
    /** Training stopped on NaN/Inf. */
    public static final int NUMERICAL = 4;
    /** Writing output failed. */
    public static final int IO = 5;

    private ExitCode() {
    }
}
