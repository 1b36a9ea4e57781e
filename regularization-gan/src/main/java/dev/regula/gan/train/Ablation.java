package dev.regula.gan.train;

import dev.regula.core.io.AtomicFiles;
import dev.regula.core.io.JsonText;
import dev.regula.gan.eval.GanScores;
import dev.regula.gan.eval.MeanSd;
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

    /**
     * @return λ as the shortest plain decimal, e.g. {@code 0}, {@code 1}, {@code 0.25} (used in
     *     directory names); beyond 100 characters in scientific form ({@code 1E+300}, {@code 1E-300}),
     *     so that an extreme but valid λ still names a folder the file system takes (and every λ
     *     a folder was named after before keeps its name)
     */
    static String format(double lambda) {
        if (lambda == 0) return "0";
        BigDecimal d = BigDecimal.valueOf(lambda).stripTrailingZeros();
        String plain = d.toPlainString();
        return plain.length() <= 100 ? plain : d.toString();
    }

    /**
     * @param trainFaces the real faces the generators trained on (fewer than --train-images asked for
     *     when the data holds fewer)
     */
    static void write(FaceCaseStudy.Config config, String kernels, CaseStudyResult result, int trainFaces) throws IOException {
        Path dir = result.directory();
        List<String> attributes = config.attributes();
        StringBuilder md = new StringBuilder();
        md.append("# Face case study: ablation of the prior-guided penalty\n\n");
        md.append(String.format(Locale.ROOT, "%s data, %dx%d images (%d training faces, %d for the evaluation classifier, %d reference"
                        + " and %d held-out faces), prior c = {%s} (tolerance %s), %d iterations per run, batch %d, width %d, "
                        + "latent %d, %s discriminator%s, R1 γ = %s every %d steps, %s, %d seed(s) from %d, kernels %s; total %.1f s.%n%n",
                config.data(), config.imageSize(), config.imageSize(), trainFaces, config.classifierImages(), config.evalImages(),
                config.evalImages(), String.join(", ", attributes), config.tolerance(), config.iterations(),
                config.batchSize(), config.width(), config.latent(),
                config.conditionalDiscriminator() ? "projection (conditional)" : "unconditional",
                config.minibatchGroup() > 0 ? " with a minibatch standard-deviation channel (groups of " + config.minibatchGroup() + ")" : "",
                format(config.r1Gamma()), config.r1Every(),
                config.diversity() > 0 ? "diversity term w = " + format(config.diversity()) + " (cap " + format(DiversityTerm.DEFAULT_CAP) + ")"
                        : "no diversity term",
                config.seeds(), config.seed(), kernels, result.seconds()));
        md.append("## Per setting (mean ± sd over seeds)\n\n");
        header(md, attributes, "setting", "seeds");
        row(md, "real vs real (baseline)", "", List.of(result.baseline()), attributes);
        Map<String, List<CaseStudyResult.Run>> bySetting = new LinkedHashMap<>();
        for (CaseStudyResult.Run r : result.runs()) bySetting.computeIfAbsent(r.key().setting(), k -> new ArrayList<>()).add(r);
        for (Map.Entry<String, List<CaseStudyResult.Run>> e : bySetting.entrySet()) {
            row(md, e.getKey(), Integer.toString(e.getValue().size()), e.getValue().stream().map(CaseStudyResult.Run::scores).toList(),
                    attributes);
        }
        md.append("\n## Per run\n\n");
        header(md, attributes, "run", "seconds");
        for (CaseStudyResult.Run r : result.runs()) {
            row(md, r.key().setting() + ", seed " + r.key().seed(), String.format(Locale.ROOT, "%.1f", r.seconds()),
                    List.of(r.scores()), attributes);
        }
        md.append("\nAttribute accuracy: an MLP trained on real faces of a separate set (not the probe φ of the penalty) reads "
                + "the attributes of faces generated from the conditions of held-out real faces (chance 0.5). Fréchet, KID, "
                + "precision and recall (k = 3): against a third, reference set of real faces, in that classifier's "
                + "standardised embedding. Diversity: mean pairwise distance between faces generated from the same condition "
                + "with different z (8×8 pooled RGB); for the baseline, between real faces with the same four labels. "
                + "Feature error: mean ‖φ(x) − c‖ with φ the penalty's fixed linear probe.\n");
        AtomicFiles.writeString(dir.resolve("ablation.md"), md.toString());

        Map<String, Object> json = new LinkedHashMap<>();
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("data", config.data());
        cfg.put("image_size", config.imageSize());
        cfg.put("train_images", trainFaces);
        cfg.put("classifier_images", config.classifierImages());
        cfg.put("eval_images", config.evalImages());
        cfg.put("attributes", attributes);
        cfg.put("tolerance", config.tolerance());
        cfg.put("iterations", config.iterations());
        cfg.put("batch", config.batchSize());
        cfg.put("width", config.width());
        cfg.put("latent", config.latent());
        cfg.put("ema_decay", config.emaDecay());
        cfg.put("upsampling", config.upsampling().name().toLowerCase(Locale.ROOT));
        cfg.put("conditional_discriminator", config.conditionalDiscriminator());
        cfg.put("minibatch_stddev_group", config.minibatchGroup());
        cfg.put("diversity", config.diversity());
        cfg.put("diversity_cap", DiversityTerm.DEFAULT_CAP);
        cfg.put("r1_gamma", config.r1Gamma());
        cfg.put("r1_every", config.r1Every());
        cfg.put("seed", config.seed());
        cfg.put("seeds", config.seeds());
        cfg.put("threads", config.threads());
        cfg.put("kernels", kernels);
        cfg.put("optimizer", config.optimizer());
        cfg.put("generator_regularizers", config.generatorRegularizers());
        cfg.put("discriminator_regularizers", config.discriminatorRegularizers());
        json.put("config", cfg);
        Map<String, Object> base = new LinkedHashMap<>();
        putScores(base, attributes, result.baseline());
        json.put("baseline", base);
        List<Object> runs = new ArrayList<>();
        for (CaseStudyResult.Run r : result.runs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lambda", r.key().lambda());
            m.put("prior", r.key().learnable() ? "learnable" : "fixed");
            m.put("seed", r.key().seed());
            putScores(m, attributes, r.scores());
            if (r.priorWeights() != null) m.put("prior_weights", java.util.Arrays.stream(r.priorWeights()).boxed().toList());
            m.put("seconds", r.seconds());
            runs.add(m);
        }
        json.put("runs", runs);
        json.put("seconds", result.seconds());
        AtomicFiles.writeString(dir.resolve("ablation.json"), JsonText.write(json) + "\n");
    }

    /** Puts every score under its JSON key. */
    static void putScores(Map<String, Object> m, List<String> attributes, GanScores s) {
        m.put("feature_error", s.featureError());
        m.put("attribute_accuracy", s.meanAccuracy());
        double[] acc = s.attributeAccuracy();
        for (int i = 0; i < acc.length; i++) m.put("accuracy_" + attributes.get(i), acc[i]);
        m.put("frechet", s.frechet());
        m.put("kid", s.kid());
        m.put("precision", s.precision());
        m.put("recall", s.recall());
        m.put("diversity", s.diversity());
    }

    private static void header(StringBuilder md, List<String> attributes, String first, String last) {
        md.append("| ").append(first).append(" | attribute accuracy ↑ |");
        for (String a : attributes) md.append(' ').append(a).append(" |");
        md.append(" Fréchet ↓ | KID ↓ | precision ↑ | recall ↑ | diversity ↑ | feature error ↓ | ").append(last).append(" |\n|---|---:|");
        for (int i = 0; i < attributes.size(); i++) md.append("---:|");
        md.append("---:|---:|---:|---:|---:|---:|---:|\n");
    }

    private static void row(StringBuilder md, String name, String last, List<GanScores> s, List<String> attributes) {
        md.append("| ").append(name).append(" | ").append(stat(s, GanScores::meanAccuracy, 3)).append(" |");
        for (int i = 0; i < attributes.size(); i++) {
            int a = i;
            md.append(' ').append(stat(s, x -> x.attributeAccuracy()[a], 3)).append(" |");
        }
        md.append(' ').append(stat(s, GanScores::frechet, 2)).append(" | ").append(stat(s, GanScores::kid, 3))
                .append(" | ").append(stat(s, GanScores::precision, 3)).append(" | ").append(stat(s, GanScores::recall, 3))
                .append(" | ").append(stat(s, GanScores::diversity, 3)).append(" | ").append(stat(s, GanScores::featureError, 3))
                .append(" | ").append(last).append(" |\n");
    }

    private static String stat(List<GanScores> s, java.util.function.ToDoubleFunction<GanScores> f, int decimals) {
        double[] v = s.stream().mapToDouble(f).toArray();
        if (v.length == 1) return String.format(Locale.ROOT, "%." + decimals + "f", v[0]);
        return MeanSd.of(v).format(decimals);
    }
}
