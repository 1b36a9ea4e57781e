package dev.regula.examples;

import dev.regula.api.kernels.KernelsProvider;
import dev.regula.api.kernels.KernelsSelection;
import dev.regula.api.model.Models;
import dev.regula.api.optim.Optimizers;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.spec.NamedProvider;
import java.io.PrintStream;
import java.util.List;

/**
 * Placeholder entry point of the {@code regula} command line: prints the regularizers, optimizers,
 * models and kernels found by {@link java.util.ServiceLoader} in the boot layer, with their
 * example specs. The full command line comes later.
 */
public final class Main {
    private Main() {
    }

    /**
     * Prints what is installed to standard output.
     *
     * @param args ignored for now
     */
    public static void main(String[] args) {
        list(System.out);
    }

    /**
     * Prints every installed provider, one per line, grouped by service.
     *
     * @param out where to print
     */
    static void list(PrintStream out) {
        section(out, "Regularizers", Regularizers.installed().providers());
        section(out, "Optimizers", Optimizers.installed().providers());
        section(out, "Models", Models.installed().providers());
        out.println("Kernels:");
        for (KernelsProvider k : KernelsSelection.providers()) {
            out.printf("  %-20s priority %d, %s%n", k.name(), k.priority(),
                    k.isSupported() ? "supported" : "not supported: " + k.unsupportedReason());
        }
    }

    private static void section(PrintStream out, String title, List<? extends NamedProvider<?>> providers) {
        out.println(title + ":");
        if (providers.isEmpty()) out.println("  (none installed)");
        for (NamedProvider<?> p : providers) {
            out.printf("  %-20s %s%n  %-20s e.g. %s%n", p.name(), p.description(), "", p.schema().example());
        }
    }
}
