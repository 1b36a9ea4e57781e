package dev.regula.examples.cli;

import dev.regula.api.CorruptDataException;
import dev.regula.api.NumericalFaultException;
import dev.regula.api.ShapeMismatchException;
import dev.regula.api.spec.SpecException;
import dev.regula.core.data.DataNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code regula} command line: {@code list}, {@code train}, {@code compare} and {@code gan}. Errors a user can act on are
 * printed as one line (no stack trace) with the exit codes of {@link ExitCode}.
 */
@Command(name = "regula", mixinStandardHelpOptions = true, version = "regula 0.1.0",
        description = "Regula: deep-learning regularization on the JVM.",
        subcommands = {ListCommand.class, TrainCommand.class, CompareCommand.class, GanCommand.class, CommandLine.HelpCommand.class})
public final class RegulaCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Creates the command (picocli instantiates it). */
    public RegulaCommand() {
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: list, train, compare or gan");
    }

    /**
     * @param args command-line arguments
     * @return the exit code
     */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new RegulaCommand());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            int code = exitCode(e);
            if (code == ExitCode.INTERNAL) {
                e.printStackTrace(cmd.getErr());
            } else {
                cmd.getErr().println("regula: " + e.getMessage());
            }
            return code;
        });
        return cli.execute(args);
    }

    static int exitCode(Throwable e) {
        return switch (e) {
            case SpecException s -> ExitCode.USAGE;
            case IllegalArgumentException s -> ExitCode.USAGE;
            case DataNotFoundException d -> ExitCode.DATA;
            case CorruptDataException d -> ExitCode.DATA;
            case ShapeMismatchException d -> ExitCode.DATA;
            case NumericalFaultException n -> ExitCode.NUMERICAL;
            case IOException io -> ExitCode.IO;
            case UncheckedIOException io -> ExitCode.IO;
            default -> ExitCode.INTERNAL;
        };
    }

    /**
     * Entry point.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(execute(args));
    }
}
