package dev.regula.examples.cli;

import dev.regula.core.io.AtomicFiles;
import dev.regula.core.io.JsonText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The report of {@code regula compare}: one row per setting, as Markdown, CSV and JSON. */
final class Report {
    static final String MD = "report.md";
    static final String CSV = "report.csv";
    static final String JSON = "report.json";
    static final String CSV_HEADER = "setting,regularizers,train_accuracy,test_accuracy,generalization_gap,test_loss,sparsity,weight_l2,weight_l1,seconds,"
            + "train_loss,diverged";

    /** The last column: the model each setting trained (a spec holds commas, so it goes after every number). */
    static final String CSV_MODEL = ",model";

    /** Appended to {@link #CSV_HEADER} with {@code --gradients}, before {@link #CSV_MODEL}. */
    static final String CSV_GRADIENTS = ",first_grad_rms,last_grad_rms,first_last_ratio,skipped_steps";

    private final List<CompareCommand.Result> results;
    private final TrainingOptions recipe;
    private final boolean gradients;

    Report(List<CompareCommand.Result> results, TrainingOptions recipe, boolean gradients) {
        this.results = List.copyOf(results);
        this.recipe = recipe;
        this.gradients = gradients;
    }

    /**
     * @return the table as GitHub Markdown, one row per setting; a regression has no accuracy, so
     *     its table shows the train and test loss and the gap test − train loss instead
     */
    String markdownTable() {
        boolean regression = recipe.regression();
        StringBuilder sb = new StringBuilder(regression ? "| setting | train loss | test loss | gap |"
                : "| setting | train acc | test acc | gap | test loss |");
        sb.append(" sparsity | ‖w‖₂ | ‖w‖₁ |").append(gradients ? " first grad RMS | last grad RMS | first/last | skipped |" : "")
                .append(" time |\n");
        sb.append(regression ? "|---|---:|---:|---:|" : "|---|---:|---:|---:|---:|").append("---:|---:|---:|")
                .append(gradients ? "---:|---:|---:|---:|" : "").append("---:|\n");
        for (CompareCommand.Result r : results) {
            sb.append(regression
                    ? String.format(Locale.ROOT, "| %s | %.4f | %.4f | %+.4f |", label(r), r.trainLoss(), r.testLoss(), r.gap())
                    : String.format(Locale.ROOT, "| %s | %.4f | %.4f | %+.4f | %.4f |", label(r), r.trainAccuracy(), r.testAccuracy(),
                            r.gap(), r.testLoss()));
            sb.append(String.format(Locale.ROOT, " %.4f | %.2f | %.1f |", r.sparsity(), r.l2(), r.l1()));
            if (gradients) {
                CompareCommand.Health h = r.health();
                sb.append(String.format(Locale.ROOT, " %.2e | %.2e | %.2e | %d |", h.firstRms(), h.lastRms(), h.ratio(), h.skippedSteps()));
            }
            sb.append(String.format(Locale.ROOT, " %.1f s |%n", r.seconds()));
        }
        return sb.toString();
    }

    /** @return the model the setting trained: its own {@code model=}, else {@code --model} */
    private String model(CompareCommand.Result r) {
        return r.setting().modelOr(recipe.model);
    }

    private static String label(CompareCommand.Result r) {
        return (r.setting().label() + (r.inactive().isEmpty() ? "" : " (inactive: penalty 0)")
                + (r.fault() == null ? "" : " (diverged)")).replace("|", "\\|");
    }

    /** Writes report.csv, report.json and, last, report.md. */
    void write(Path dir) throws IOException {
        String md = "# regula compare\n\n"
                + String.format(Locale.ROOT, "Model `%s, optimizer `%s`, %d epochs, batch %d, seed %d, data %s.%n%n",
                        recipe.model + (results.stream().anyMatch(r -> r.setting().model() != null) ? "` (or the setting's `model=`)" : "`"),
                        recipe.optimizer, recipe.epochs, recipe.batch, recipe.seed,
                        recipe.csv != null ? "`" + recipe.csv + "`" : recipe.dataset.equalsIgnoreCase("diabetes") ? "diabetes (scikit-learn)"
                                : "Fashion-MNIST `" + recipe.data + "`"
                                + (recipe.limit != null ? " (first " + recipe.limit + " training examples)" : ""))
                + (recipe.evalWeights() == dev.regula.core.train.EvalWeights.LIVE ? "" : "Test figures of the settings that keep a `"
                        + recipe.evalWeights().word() + "(...)` average are of its averaged weights (--eval-weights "
                        + recipe.evalWeights().word() + "); the other settings' figures, and every setting's norms and sparsity, are"
                        + " of the live weights.\n\n")
                + markdownTable()
                + (results.stream().anyMatch(r -> r.setting().model() != null) ? "\nModels: " + results.stream()
                        .map(r -> r.setting().label() + " `" + model(r) + "`").collect(Collectors.joining(", ")) + ".\n" : "")
                + (recipe.regression()
                        ? "\nTrain loss (" + recipe.loss + ") is measured in evaluation mode (no dropout noise); gap = test − train loss; "
                        : "\nTrain accuracy is measured in evaluation mode (no dropout noise); gap = train − test; ")
                + "sparsity is the fraction of weights with |w| < 1e-8 (biases excluded); norms are over all weights.\n"
                + (gradients ? "Grad RMS is ‖∂L/∂W‖/√n of the first and the last weight, the data-loss gradient before penalties and clipping, "
                        + "mean over epoch 1's steps; skipped counts steps dropped for a NaN/Inf (--nan skip-step).\n" : "")
                + (results.stream().anyMatch(r -> r.fault() != null) ? "A setting marked (diverged) stopped on a numerical fault: "
                        + results.stream().filter(r -> r.fault() != null).map(r -> r.setting().label() + ": " + r.fault())
                        .collect(Collectors.joining("; ")) + "\n" : "") + "\n"
                + "![test " + (recipe.regression() ? "loss" : "accuracy") + " per epoch](" + CompareCommand.LEARNING_CURVES + ")\n\n![training loss per epoch](" + CompareCommand.LOSS_CURVES + ")\n";
        StringBuilder csv = new StringBuilder(CSV_HEADER).append(gradients ? CSV_GRADIENTS : "").append(CSV_MODEL).append('\n');
        for (CompareCommand.Result r : results) {
            csv.append(csvCell(r.setting().label())).append(',').append(csvCell(String.join("; ", r.setting().specs()))).append(',')
                    .append(String.join(",", JsonText.number(r.trainAccuracy()), JsonText.number(r.testAccuracy()), JsonText.number(r.gap()),
                            JsonText.number(r.testLoss()), JsonText.number(r.sparsity()), JsonText.number(r.l2()), JsonText.number(r.l1()),
                            JsonText.number(r.seconds()), JsonText.number(r.trainLoss()), Boolean.toString(r.fault() != null)));
            if (gradients) {
                CompareCommand.Health h = r.health();
                csv.append(',').append(String.join(",", JsonText.number(h.firstRms()), JsonText.number(h.lastRms()), JsonText.number(h.ratio()),
                        Integer.toString(h.skippedSteps())));
            }
            csv.append(',').append(csvCell(model(r))).append('\n');
        }
        AtomicFiles.writeString(dir.resolve(CSV), csv.toString());
        String json = results.stream().map(r -> "  {\"setting\":" + JsonText.quote(r.setting().label())
                + ",\"regularizers\":" + r.setting().specs().stream().map(JsonText::quote).collect(Collectors.joining(",", "[", "]"))
                + ",\"folder\":" + JsonText.quote(r.folder().getFileName().toString())
                + ",\"train_accuracy\":" + JsonText.number(r.trainAccuracy()) + ",\"test_accuracy\":" + JsonText.number(r.testAccuracy())
                + ",\"generalization_gap\":" + JsonText.number(r.gap()) + ",\"test_loss\":" + JsonText.number(r.testLoss())
                + ",\"sparsity\":" + JsonText.number(r.sparsity()) + ",\"weight_l2\":" + JsonText.number(r.l2())
                + ",\"weight_l1\":" + JsonText.number(r.l1()) + ",\"seconds\":" + JsonText.number(r.seconds())
                + ",\"train_loss\":" + JsonText.number(r.trainLoss()) + ",\"diverged\":" + (r.fault() != null)
                + ",\"model\":" + JsonText.quote(model(r))
                + (r.fault() == null ? "" : ",\"fault\":" + JsonText.quote(r.fault()))
                + (gradients ? ",\"first_grad_rms\":" + JsonText.number(r.health().firstRms()) + ",\"last_grad_rms\":"
                        + JsonText.number(r.health().lastRms()) + ",\"first_last_ratio\":" + JsonText.number(r.health().ratio())
                        + ",\"skipped_steps\":" + r.health().skippedSteps() : "") + "}")
                .collect(Collectors.joining(",\n", "[\n", "\n]\n"));
        AtomicFiles.writeString(dir.resolve(JSON), json);
        AtomicFiles.writeString(dir.resolve(MD), md); // last: compare's marker that the run's results are whole
    }

    /** Quotes a CSV cell when it holds a comma, quote or line break (RFC 4180). */
    static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

}
