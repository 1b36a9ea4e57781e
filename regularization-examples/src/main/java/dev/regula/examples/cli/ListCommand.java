package dev.regula.examples.cli;

import dev.regula.api.kernels.KernelsProvider;
import dev.regula.api.kernels.KernelsSelection;
import dev.regula.api.model.Models;
import dev.regula.api.optim.Optimizers;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.spec.NamedProvider;
import dev.regula.api.spec.SpecKey;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code regula list}: every provider found through ServiceLoader, with keys, defaults and ranges. */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = "List regularizers, optimizers, models and kernels found on the module path.")
public final class ListCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Creates the command. */
    public ListCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        section(out, "Regularizers", Regularizers.installed().providers());
        section(out, "Optimizers", Optimizers.installed().providers());
        section(out, "Models", Models.installed().providers());
        out.println("Kernels:");
        String active = KernelsSelection.select().name();
        for (KernelsProvider k : KernelsSelection.providers()) {
            out.printf("  %-20s priority %d, %s%s%n", k.name(), k.priority(),
                    k.isSupported() ? "supported" : "not supported: " + k.unsupportedReason(),
                    k.name().equals(active) ? "  [active]" : "");
        }
        out.flush();
        return ExitCode.OK;
    }

    private static void section(PrintWriter out, String title, List<? extends NamedProvider<?>> providers) {
        out.println(title + ":");
        for (NamedProvider<?> p : providers) {
            out.printf("  %-20s %s%n", p.name(), p.description());
            for (SpecKey k : p.schema().keys()) {
                out.printf("      %-18s %-10s default %-10s allowed %s%s%n", k.key(), k.type().name().toLowerCase(),
                        k.defaultValue() == null ? "(required)" : k.defaultValue(), k.allowed(),
                        k.description().isEmpty() ? "" : "  - " + k.description());
            }
        }
    }
}
