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
    static final String CSV_HEADER = "setting,regularizers,train_accuracy,test_accuracy,generalization_gap,test_loss,sparsity,weight_l2,weight_l1,seconds";

    private final List<CompareCommand.Result> results;
    private final TrainingOptions recipe;

    Report(List<CompareCommand.Result> results, TrainingOptions recipe) {
        this.results = List.copyOf(results);
        this.recipe = recipe;
    }

    /** @return the table as GitHub Markdown, one row per setting */
    String markdownTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("| setting | train acc | test acc | gap | test loss | sparsity | ‖w‖₂ | ‖w‖₁ | time |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (CompareCommand.Result r : results) {
            sb.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %+.4f | %.4f | %.4f | %.2f | %.1f | %.1f s |%n",
                    (r.setting().label() + (r.inactive().isEmpty() ? "" : " (inactive: penalty 0)")).replace("|", "\\|"),
                    r.trainAccuracy(), r.testAccuracy(), r.gap(), r.testLoss(),
                    r.sparsity(), r.l2(), r.l1(), r.seconds()));
        }
        return sb.toString();
    }

    void write(Path dir) throws IOException {
        String md = "# regula compare\n\n"
                + String.format(Locale.ROOT, "Model `%s`, optimizer `%s`, %d epochs, batch %d, seed %d, data %s.%n%n",
                        recipe.model, recipe.optimizer, recipe.epochs, recipe.batch, recipe.seed,
                        recipe.csv != null ? "`" + recipe.csv + "`" : "Fashion-MNIST `" + recipe.data + "`"
                                + (recipe.limit != null ? " (first " + recipe.limit + " training examples)" : ""))
                + markdownTable()
                + "\nTrain accuracy is measured in evaluation mode (no dropout noise); gap = train − test; sparsity is the "
                + "fraction of weights with |w| < 1e-8 (biases excluded); norms are over all weights.\n\n"
                + "![test accuracy per epoch](" + CompareCommand.LEARNING_CURVES + ")\n\n![training loss per epoch](" + CompareCommand.LOSS_CURVES + ")\n";
        AtomicFiles.writeString(dir.resolve(MD), md);
        StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
        for (CompareCommand.Result r : results) {
            csv.append(csvCell(r.setting().label())).append(',').append(csvCell(String.join("; ", r.setting().specs()))).append(',')
                    .append(String.join(",", JsonText.number(r.trainAccuracy()), JsonText.number(r.testAccuracy()), JsonText.number(r.gap()),
                            JsonText.number(r.testLoss()), JsonText.number(r.sparsity()), JsonText.number(r.l2()), JsonText.number(r.l1()),
                            JsonText.number(r.seconds())))
                    .append('\n');
        }
        AtomicFiles.writeString(dir.resolve(CSV), csv.toString());
        String json = results.stream().map(r -> "  {\"setting\":" + JsonText.quote(r.setting().label())
                + ",\"regularizers\":" + r.setting().specs().stream().map(JsonText::quote).collect(Collectors.joining(",", "[", "]"))
                + ",\"folder\":" + JsonText.quote(r.folder().getFileName().toString())
                + ",\"train_accuracy\":" + JsonText.number(r.trainAccuracy()) + ",\"test_accuracy\":" + JsonText.number(r.testAccuracy())
                + ",\"generalization_gap\":" + JsonText.number(r.gap()) + ",\"test_loss\":" + JsonText.number(r.testLoss())
                + ",\"sparsity\":" + JsonText.number(r.sparsity()) + ",\"weight_l2\":" + JsonText.number(r.l2())
                + ",\"weight_l1\":" + JsonText.number(r.l1()) + ",\"seconds\":" + JsonText.number(r.seconds()) + "}")
                .collect(Collectors.joining(",\n", "[\n", "\n]\n"));
        AtomicFiles.writeString(dir.resolve(JSON), json);
    }

    /** Quotes a CSV cell when it holds a comma, quote or line break (RFC 4180). */
    static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

}
