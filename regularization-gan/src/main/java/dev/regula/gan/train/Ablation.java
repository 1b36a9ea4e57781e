package dev.regula.gan.train;

import dev.regula.core.io.AtomicFiles;
import dev.regula.core.io.JsonText;
import dev.regula.gan.eval.GanScores;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes the ablation table ({@code ablation.md}, {@code ablation.json}) and the JSON of metric lines. */
final class Ablation {
    private Ablation() {
    }

    /** @return λ as the shortest plain decimal, e.g. {@code 0}, {@code 1}, {@code 0.25} (used in directory names) */
    static String format(double lambda) {
        if (lambda == 0) return "0";
        return BigDecimal.valueOf(lambda).stripTrailingZeros().toPlainString();
    }

    static void write(FaceCaseStudy.Config config, String kernels, CaseStudyResult result) throws IOException {
        Path dir = result.directory();
        StringBuilder md = new StringBuilder();
        md.append("# Face case study: ablation of the prior-guided penalty\n\n");
        md.append(String.format(Locale.ROOT, "%s data, %dx%d images, %d iterations per run, batch %d, width %d, seed %d, "
                        + "kernels %s; total %.1f s.%n%n", config.data(), config.imageSize(), config.imageSize(),
                config.iterations(), config.batchSize(), config.width(), config.seed(), kernels, result.seconds()));
        md.append("| run | feature error ↓ | attribute accuracy ↑ | Fréchet ↓ | KID ↓ | seconds |\n");
        md.append("|---|---:|---:|---:|---:|---:|\n");
        row(md, "real vs real (baseline)", result.baseline(), Double.NaN);
        for (CaseStudyResult.Run r : result.runs()) row(md, "λ = " + format(r.lambda()), r.scores(), r.seconds());
        md.append("\nFeature error: mean ‖φ(G(z, c)) − c‖ on held-out conditions. Attribute accuracy: an MLP trained on "
                + "real faces only (not φ) reads the four attributes of the generated faces, compared with the labels of the "
                + "faces whose c was given (chance 0.5). Fréchet and KID: distances to real faces in that classifier's "
                + "standardised embedding.\n");
        AtomicFiles.writeString(dir.resolve("ablation.md"), md.toString());

        Map<String, Object> json = new LinkedHashMap<>();
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("data", config.data());
        cfg.put("image_size", config.imageSize());
        cfg.put("iterations", config.iterations());
        cfg.put("batch", config.batchSize());
        cfg.put("width", config.width());
        cfg.put("latent", config.latent());
        cfg.put("ema_decay", config.emaDecay());
        cfg.put("upsampling", config.upsampling().name().toLowerCase(Locale.ROOT));
        cfg.put("seed", config.seed());
        cfg.put("threads", config.threads());
        cfg.put("kernels", kernels);
        cfg.put("optimizer", config.optimizer());
        cfg.put("generator_regularizers", config.generatorRegularizers());
        cfg.put("discriminator_regularizers", config.discriminatorRegularizers());
        json.put("config", cfg);
        json.put("baseline", scores(result.baseline(), Double.NaN, null));
        List<Object> runs = new ArrayList<>();
        for (CaseStudyResult.Run r : result.runs()) runs.add(scores(r.scores(), r.seconds(), r.lambda()));
        json.put("runs", runs);
        json.put("seconds", result.seconds());
        AtomicFiles.writeString(dir.resolve("ablation.json"), JsonText.write(json) + "\n");
    }

    private static Map<String, Object> scores(GanScores s, double seconds, Double lambda) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (lambda != null) m.put("lambda", lambda);
        m.put("feature_error", s.featureError());
        m.put("attribute_accuracy", s.attributeAccuracy());
        m.put("frechet", s.frechet());
        m.put("kid", s.kid());
        if (!Double.isNaN(seconds)) m.put("seconds", seconds);
        return m;
    }

    private static void row(StringBuilder md, String name, GanScores s, double seconds) {
        md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.2f | %.4f | %s |%n", name, s.featureError(),
                s.attributeAccuracy(), s.frechet(), s.kid(), Double.isNaN(seconds) ? "" : String.format(Locale.ROOT, "%.1f", seconds)));
    }
}
