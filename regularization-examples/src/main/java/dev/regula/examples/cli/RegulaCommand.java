package dev.regula.examples.cli;

import dev.regula.api.CorruptDataException;
import dev.regula.api.NumericalFaultException;
import dev.regula.api.PluginException;
import dev.regula.api.ShapeMismatchException;
import dev.regula.api.UnsupportedShapeException;
import dev.regula.api.spec.SpecException;
import dev.regula.core.data.DataNotFoundException;
import dev.regula.core.io.MemoryBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code regula} command line: {@code list}, {@code train}, {@code compare} and {@code gan}. Errors a user can act on are
 * printed as one line (no stack trace) with the exit codes of {@link ExitCode}.
 */
@Command(name = "regula", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = "Regula: deep-learning regularization on the JVM.",
        subcommands = {ListCommand.class, TrainCommand.class, CompareCommand.class, CompressCommand.class, GanCommand.class, CommandLine.HelpCommand.class})
public final class RegulaCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Creates the command (picocli instantiates it). */
    public RegulaCommand() {
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: list, train, compare, compress or gan");
    }

    /**
     * @param args command-line arguments
     * @return the exit code
     */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new RegulaCommand());
        // An argument starting with @ is taken as it is: picocli's argument files would read any
        // file named there whole before validation, and a directory or an unreadable file made the
        // parser fail with a stack trace instead of a usage error.
        cli.setExpandAtFiles(false);
        // An empty path would resolve to the current folder: --out "" wrote a run's files there.
        cli.registerConverter(java.nio.file.Path.class, RegulaCommand::path);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            int code = exitCode(e);
            if (code == ExitCode.INTERNAL) {
                e.printStackTrace(cmd.getErr());
            } else {
                cmd.getErr().println("regula: " + message(e));
            }
            return code;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // the sizes an option or file claims are checked up front; this is the safety net
            cli.getErr().println("regula: out of memory (" + e.getMessage() + "); this JVM's heap is "
                    + MemoryBudget.human(Runtime.getRuntime().maxMemory()) + ": use smaller sizes or raise -Xmx (JAVA_OPTS=-Xmx...)");
            cli.getErr().flush();
            return ExitCode.USAGE;
        }
    }

    /**
     * A path option's value: refused when empty or blank (it would mean the current folder), so
     * that picocli reports it as a usage error naming the option.
     *
     * @param text the value as given
     * @return the path
     */
    static java.nio.file.Path path(String text) {
        if (text.isBlank()) {
            throw new CommandLine.TypeConversionException("an empty path; give a file or folder name (e.g. ./out)");
        }
        return java.nio.file.Path.of(text);
    }

    /**
     * @param e what a command threw
     * @return a one-line message for it: file-system errors, whose own message is often only a
     *     path, get the path and the reason; a plugin's fault gets its cause
     */
    static String message(Throwable e) {
        if (e instanceof FileSystemException f) {
            String reason = dev.regula.core.io.IoReasons.of(f);
            return "cannot " + (exitCode(e) == ExitCode.IO ? "write or read " : "read ") + f.getFile()
                    + (f.getOtherFile() == null ? "" : " (" + f.getOtherFile() + ")") + ": " + reason;
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    static int exitCode(Throwable e) {
        return switch (e) {
            case PluginException p -> ExitCode.USAGE;
            case SpecException s -> ExitCode.USAGE;
            case IllegalArgumentException s -> ExitCode.USAGE;
            case DataNotFoundException d -> ExitCode.DATA;
            case CorruptDataException d -> ExitCode.DATA;
            case UnsupportedShapeException u -> ExitCode.USAGE; // the choice of regularizer, layer or loss
            case ShapeMismatchException d -> ExitCode.DATA;
            case NumericalFaultException n -> ExitCode.NUMERICAL;
            case IOException io -> ExitCode.IO;
            case UncheckedIOException io when io.getCause() instanceof CorruptDataException -> ExitCode.DATA;
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
