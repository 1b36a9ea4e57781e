package dev.regula.gan.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.spec.SpecException;
import dev.regula.gan.eval.GanScores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaceCaseStudyTest {
    /** A listener that adds every phase's description to {@code phases}. */
    private static CaseStudyListener phasesInto(List<String> phases) {
        return new CaseStudyListener() {
            @Override
            public void onPhase(String description) {
                phases.add(description);
            }
        };
    }

    private static FaceCaseStudy.Builder tiny(Path out) {
        return FaceCaseStudy.Config.builder()
                .output(out).imageSize(16).width(8).batchSize(8).iterations(6).sampleEvery(3).logEvery(2)
                .trainImages(64).evalImages(64).classifierImages(64).classifierEpochs(1).threads(1).lambdas(List.of(0.0, 0.5))
                .priors(List.of(false));
    }

    @Test
    void writesGridsMetricsCheckpointsAndTheAblation(@TempDir Path out) throws Exception {
        List<String> events = new ArrayList<>();
        CaseStudyResult result = new FaceCaseStudy(tiny(out).build()).run(new CaseStudyListener() {
            @Override
            public void onRunStart(FaceCaseStudy.RunKey key, int run, int runs, int iterations) {
                events.add("start " + key.lambda() + " " + run + "/" + runs + " " + iterations);
            }

            @Override
            public void onEvaluation(FaceCaseStudy.RunKey key, long iteration, GanScores scores) {
                events.add("eval " + key.lambda() + " " + iteration);
            }
        });
        assertEquals(List.of("start 0.0 0/2 6", "eval 0.0 3", "eval 0.0 6", "start 0.5 1/2 6", "eval 0.5 3", "eval 0.5 6"), events);
        assertTrue(Files.size(out.resolve("real.png")) > 0);
        for (String run : List.of("lambda-0/seed-1", "lambda-0.5/seed-1")) {
            Path dir = out.resolve(run);
            for (String f : List.of("samples-3.png", "samples-6.png", "gan.safetensors")) {
                assertTrue(Files.size(dir.resolve(f)) > 0, run + "/" + f);
            }
            List<String> lines = Files.readAllLines(dir.resolve("metrics.jsonl"));
            assertEquals(4, lines.size(), "lines at iterations 2, 3 (evaluation), 4, 6: " + lines);
            assertTrue(lines.get(0).startsWith("{\"iteration\":2,\"d_loss\":"), lines.get(0));
            assertTrue(lines.get(1).contains("\"attribute_accuracy\":") && lines.get(1).contains("\"kid\":"), lines.get(1));
            assertTrue(lines.get(3).contains("\"seconds\":"), lines.get(3));
        }
        assertEquals(2, result.runs().size());
        assertEquals(0.5, result.runs().get(1).lambda());
        assertEquals(6, result.runs().get(1).iterations());
        String md = Files.readString(out.resolve("ablation.md"));
        assertTrue(md.contains("| real vs real (baseline) |") && md.contains("| λ = 0.5, fixed | ") && md.contains("precision"), md);
        String json = Files.readString(out.resolve("ablation.json"));
        assertTrue(json.contains("\"baseline\":{\"feature_error\":") && json.contains("\"lambda\":0.5")
                && json.contains("\"accuracy_smiling\":") && json.contains("\"recall\":"), json);
        assertTrue(json.contains("\"train_images\":64,\"classifier_images\":64,\"eval_images\":64"), "the faces each set held: " + json);
        assertTrue(md.contains("(64 training faces, 64 for the evaluation classifier, 64 reference and 64 held-out faces)"), md);
    }

    @Test
    void theFullAblationCoversTheDefaultRunAndBothPriorForms() {
        assertTrue(FaceCaseStudy.Config.ABLATION_LAMBDAS.containsAll(FaceCaseStudy.Config.DEFAULT_LAMBDAS),
                "ablation " + FaceCaseStudy.Config.ABLATION_LAMBDAS + " must contain the defaults " + FaceCaseStudy.Config.DEFAULT_LAMBDAS);
        assertTrue(FaceCaseStudy.Config.ABLATION_LAMBDAS.contains(0.0), "the unregularised control");
        assertEquals(List.of(false, true), FaceCaseStudy.Config.ABLATION_PRIORS, "the fixed and the learnable prior");
        assertTrue(FaceCaseStudy.Config.ABLATION_PRIORS.containsAll(FaceCaseStudy.Config.DEFAULT_PRIORS), "the default form");
        assertTrue(FaceCaseStudy.Config.ABLATION_SEEDS >= 3, "mean and sd need at least 3 seeds");
    }

    @Test
    void theSameSeedGivesTheSameScores(@TempDir Path out) throws Exception {
        FaceCaseStudy.Config config = tiny(out.resolve("a")).lambdas(List.of(1.0)).iterations(3).build();
        CaseStudyResult a = new FaceCaseStudy(config).run(CaseStudyListener.NONE);
        CaseStudyResult b = new FaceCaseStudy(tiny(out.resolve("b")).lambdas(List.of(1.0)).iterations(3).build())
                .run(CaseStudyListener.NONE);
        assertEquals(a.runs().get(0).scores(), b.runs().get(0).scores());
        assertEquals(a.runs().get(0).scores().frechet(), b.runs().get(0).scores().frechet());
        assertEquals(a.baseline().kid(), b.baseline().kid());
    }

    /**
     * With two threads the runs train two at a time on one thread each: the same scores as one run
     * after the other (a run does not depend on its thread count), each wave's starts announced
     * before its runs iterate and its ends after, in run order.
     */
    @Test
    void runsTrainedAtOnceScoreAsRunsTrainedOneAfterTheOther(@TempDir Path out) throws Exception {
        List<Double> lambdas = List.of(0.0, 0.5, 1.0);
        CaseStudyResult one = new FaceCaseStudy(tiny(out.resolve("one")).lambdas(lambdas).build()).run(CaseStudyListener.NONE);
        List<String> events = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        FaceCaseStudy twoAtOnce = new FaceCaseStudy(tiny(out.resolve("two")).lambdas(lambdas).threads(2).build());
        assertEquals(2, twoAtOnce.parallelRuns(3));
        CaseStudyResult two = twoAtOnce.run(new CaseStudyListener() {
            @Override
            public void onRunStart(FaceCaseStudy.RunKey key, int run, int runs, int iterations) {
                events.add("start " + run);
            }

            @Override
            public void onIteration(FaceCaseStudy.RunKey key, GanStep step) {
                if (step.step() == 1) events.add("iterate " + key.lambda());
            }

            @Override
            public void onRunEnd(CaseStudyResult.Run run) {
                events.add("end " + run.key().lambda());
            }
        });
        for (int r = 0; r < lambdas.size(); r++) {
            assertEquals(one.runs().get(r).key(), two.runs().get(r).key());
            assertEquals(one.runs().get(r).scores(), two.runs().get(r).scores(), "run " + r);
        }
        assertEquals(List.of("start 0", "start 1"), events.subList(0, 2));
        assertEquals(java.util.Set.of("iterate 0.0", "iterate 0.5"), java.util.Set.copyOf(events.subList(2, 4)));
        assertEquals(List.of("end 0.0", "end 0.5", "start 2", "iterate 1.0", "end 1.0"), events.subList(4, 9));
        assertTrue(Files.readString(out.resolve("two").resolve("ablation.md")).contains("x 2 runs at once"));
    }

    /**
     * A run's state is not resumed by a study of another seed: its run seed may be the same, but
     * the study's seed drew other faces (and the evaluator's sets), so it would train on other data.
     */
    @Test
    void aRunIsNotResumedByAStudyThatDrewOtherFaces(@TempDir Path out) throws Exception {
        new FaceCaseStudy(tiny(out).lambdas(List.of(0.5)).seeds(2).iterations(3).build()).run(CaseStudyListener.NONE);
        FaceCaseStudy otherFaces = new FaceCaseStudy(tiny(out).lambdas(List.of(0.5)).seed(2).seeds(1).iterations(3).build(), true);
        List<String> phases = new ArrayList<>();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> otherFaces.run(phasesInto(phases)));
        assertTrue(e.getMessage().contains("data_seed"), e.getMessage());
        assertEquals(List.of(), phases, "refused before any face is rendered or network trained");
    }

    /**
     * The evaluator's sizes score the faces: a run is not resumed by a study whose evaluator has
     * other sets (its metric file would mix two scorings), nor with fewer iterations than its state
     * has reached; both refused before any face is rendered.
     */
    @Test
    void aRunIsNotResumedWithAnotherEvaluatorOrFewerIterations(@TempDir Path out) throws Exception {
        new FaceCaseStudy(tiny(out).lambdas(List.of(0.5)).iterations(3).build()).run(CaseStudyListener.NONE);
        List<String> phases = new ArrayList<>();
        for (FaceCaseStudy.Builder other : List.of(tiny(out).lambdas(List.of(0.5)).iterations(6).evalImages(128),
                tiny(out).lambdas(List.of(0.5)).iterations(6).classifierImages(128))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new FaceCaseStudy(other.build(), true).run(phasesInto(phases)));
            assertTrue(e.getMessage().contains("eval_images") || e.getMessage().contains("classifier_images"), e.getMessage());
        }
        IllegalArgumentException fewer = assertThrows(IllegalArgumentException.class,
                () -> new FaceCaseStudy(tiny(out).lambdas(List.of(0.5)).iterations(2).build(), true).run(phasesInto(phases)));
        assertTrue(fewer.getMessage().contains("past the 2 iterations asked for"), fewer.getMessage());
        assertEquals(List.of(), phases, "refused before any face is rendered or network trained");
    }

    /**
     * Runs the one-run study {@code cut} (λ = 0.5, seed 1) and removes {@code key} from the
     * metadata of the state it saved, as a version that did not record it would have written it.
     *
     * @return the value the state recorded (null if none)
     */
    private static String runAndForget(Path out, FaceCaseStudy.Builder cut, String key) throws Exception {
        new FaceCaseStudy(cut.build()).run(CaseStudyListener.NONE);
        Path state = out.resolve("lambda-0.5").resolve("seed-1").resolve(FaceCaseStudy.RESUME_STATE);
        dev.regula.core.checkpoint.Safetensors.Contents c = dev.regula.core.checkpoint.Safetensors.read(state);
        java.util.Map<String, String> older = new java.util.TreeMap<>(c.metadata());
        String recorded = older.remove(key);
        dev.regula.core.checkpoint.Safetensors.write(state, c.tensors(), c.float64(), older);
        return recorded;
    }

    /**
     * A run saved before the minibatch standard-deviation option existed does not record its group,
     * and necessarily had none: it resumes without it, and a run asking for a group is refused.
     */
    @Test
    void aStateThatDoesNotRecordTheMinibatchStddevGroupHadNone(@TempDir Path out) throws Exception {
        FaceCaseStudy.Builder cut = tiny(out).lambdas(List.of(0.5)).iterations(3);
        assertEquals("0", runAndForget(out, cut, "minibatch_stddev_group"), "the state records the group");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FaceCaseStudy(cut.iterations(6).minibatchGroup(2).build(), true).run(CaseStudyListener.NONE));
        assertTrue(e.getMessage().contains("minibatch_stddev_group=0 but this run has minibatch_stddev_group=2"), e.getMessage());
        List<String> phases = new ArrayList<>();
        new FaceCaseStudy(cut.iterations(6).minibatchGroup(0).build(), true).run(phasesInto(phases));
        assertTrue(phases.stream().anyMatch(p -> p.contains("resumed lambda-0.5/seed-1 at iteration 3")), phases.toString());
    }

    /**
     * A run saved before the diversity term existed does not record it, and trained without it: it
     * resumes with the term off, and a run asking for it is refused.
     */
    @Test
    void aStateThatDoesNotRecordTheDiversityTermHadNone(@TempDir Path out) throws Exception {
        FaceCaseStudy.Builder cut = tiny(out).lambdas(List.of(0.5)).iterations(3).diversity(0);
        assertEquals("0.0", runAndForget(out, cut, "diversity"), "the state records the term");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FaceCaseStudy(cut.iterations(6).diversity(0.3).build(), true).run(CaseStudyListener.NONE));
        assertTrue(e.getMessage().contains("diversity=0.0 but this run has diversity=0.3/" + DiversityTerm.DEFAULT_CAP), e.getMessage());
        List<String> phases = new ArrayList<>();
        new FaceCaseStudy(cut.iterations(6).diversity(0).build(), true).run(phasesInto(phases));
        assertTrue(phases.stream().anyMatch(p -> p.contains("resumed lambda-0.5/seed-1 at iteration 3")), phases.toString());
    }

    /**
     * A run saved before generated faces were scored one per held-out face does not record its
     * scoring: it is not resumed, so that no metrics file mixes two scorings.
     */
    @Test
    void aStateScoredTheOldWayIsNotResumed(@TempDir Path out) throws Exception {
        FaceCaseStudy.Builder cut = tiny(out).lambdas(List.of(0.5)).iterations(3);
        assertEquals(FaceCaseStudy.SCORING, runAndForget(out, cut, "scoring"), "the state records its scoring");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FaceCaseStudy(cut.iterations(6).build(), true).run(CaseStudyListener.NONE));
        assertTrue(e.getMessage().contains("scoring=" + FaceCaseStudy.SCORING_BEFORE + " but this run has scoring=" + FaceCaseStudy.SCORING),
                e.getMessage());
    }

    /**
     * Minibatch standard-deviation groups that the training faces' conditions cannot fill fail
     * before any work: no probe fitted, no evaluator trained.
     */
    @Test
    void groupsTheConditionsCannotFillFailBeforeAnyWork(@TempDir Path out) {
        for (int[] batchAndGroup : new int[][] {{8, 8}, {8, 2}}) {
            List<String> phases = new ArrayList<>();
            FaceCaseStudy study = new FaceCaseStudy(tiny(out).trainImages(8).batchSize(batchAndGroup[0])
                    .minibatchGroup(batchAndGroup[1]).build());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> study.run(phasesInto(phases)));
            assertTrue(phases.stream().noneMatch(p -> p.contains("probe") || p.contains("classifier")), phases.toString());
            assertTrue(e.getMessage().contains(batchAndGroup[1] == 8 ? "no condition is shared by 8 training faces"
                    : "do not fill one batch of 8"), e.getMessage());
            assertTrue(e.getMessage().contains("use more training faces"), e.getMessage());
        }
    }

    /** A run that fails stops the other run of its wave, and its error is what the study throws. */
    @Test
    void aFailingRunStopsItsWaveAndItsErrorIsThrown(@TempDir Path out) {
        FaceCaseStudy study = new FaceCaseStudy(tiny(out).lambdas(List.of(0.0, 0.5)).threads(2).iterations(200).build());
        java.util.concurrent.atomic.AtomicLong otherSteps = new java.util.concurrent.atomic.AtomicLong();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> study.run(new CaseStudyListener() {
            @Override
            public void onIteration(FaceCaseStudy.RunKey key, GanStep step) {
                if (key.lambda() == 0.5 && step.step() == 2) throw new IllegalStateException("boom at 2");
                if (key.lambda() == 0.0) otherSteps.set(step.step());
            }
        }));
        assertEquals("boom at 2", e.getMessage());
        assertTrue(otherSteps.get() < 200, "the other run stopped early, at " + otherSteps.get());
    }

    /**
     * Resuming a finished run scores its restored generator again: with the averaged generator's
     * standing statistics recomputed from the same inputs, the scores are those the run ended with
     * (so a study assembled from finished runs reports what each run measured).
     */
    @Test
    void resumingAFinishedRunReproducesItsScores(@TempDir Path out) throws Exception {
        FaceCaseStudy.Config config = tiny(out).lambdas(List.of(0.0, 1.0)).iterations(3).build();
        assertTrue(config.emaDecay() > 0, "the average is what needs its statistics back");
        CaseStudyResult first = new FaceCaseStudy(config).run(CaseStudyListener.NONE);
        CaseStudyResult again = new FaceCaseStudy(config, true).run(CaseStudyListener.NONE);
        assertEquals(first.runs().size(), again.runs().size());
        for (int i = 0; i < first.runs().size(); i++) {
            assertEquals(first.runs().get(i).scores(), again.runs().get(i).scores(), first.runs().get(i).key().directory());
            // the run's time is its training's, not the few seconds of scoring it again
            assertTrue(again.runs().get(i).seconds() >= first.runs().get(i).seconds() * 0.9,
                    again.runs().get(i).seconds() + " s against " + first.runs().get(i).seconds() + " s");
        }
    }

    /** A study interrupted after its first evaluation and resumed ends with the same networks and metrics. */
    @Test
    void aResumedStudyEndsBitIdenticalToAnUninterruptedOne(@TempDir Path out) throws Exception {
        FaceCaseStudy.Builder whole = tiny(out.resolve("whole")).lambdas(List.of(0.5)).priors(List.of(true)).iterations(6);
        new FaceCaseStudy(whole.build()).run(new CaseStudyListener() { });
        FaceCaseStudy.Builder cut = tiny(out.resolve("cut")).lambdas(List.of(0.5)).priors(List.of(true));
        new FaceCaseStudy(cut.iterations(3).build()).run(new CaseStudyListener() { });
        List<String> phases = new ArrayList<>();
        new FaceCaseStudy(cut.iterations(6).build(), true).run(phasesInto(phases));
        assertTrue(phases.stream().anyMatch(p -> p.contains("at iteration 3")), phases.toString());
        assertTrue(phases.stream().noneMatch(p -> p.contains("lacks")), "a whole log: " + phases);
        String run = "lambda-0.5-learnable/seed-1";
        dev.regula.core.checkpoint.Checkpoint a = dev.regula.core.checkpoint.Checkpoint.load(out.resolve("whole").resolve(run).resolve("gan.safetensors"));
        dev.regula.core.checkpoint.Checkpoint b = dev.regula.core.checkpoint.Checkpoint.load(out.resolve("cut").resolve(run).resolve("gan.safetensors"));
        assertEquals(a.parameters().keySet(), b.parameters().keySet());
        for (String k : a.parameters().keySet()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(a.parameters().get(k).data(), b.parameters().get(k).data(), k);
        }
        for (String k : a.extraState().keySet()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(a.extraState().get(k).data(), b.extraState().get(k).data(), k);
        }
        List<String> x = Files.readAllLines(out.resolve("whole").resolve(run).resolve("metrics.jsonl"));
        List<String> y = Files.readAllLines(out.resolve("cut").resolve(run).resolve("metrics.jsonl"));
        assertEquals(x.size(), y.size());
        for (int i = 0; i < x.size(); i++) assertEquals(x.get(i).replaceAll(",\"seconds\":[^,}]*", ""), y.get(i).replaceAll(",\"seconds\":[^,}]*", ""));
    }

    /** A resume whose metrics log lost lines since (deleted, cut, edited) says which iterations, instead of a silent gap. */
    @Test
    void aResumeSaysWhichIterationsItsLogLacks(@TempDir Path out) throws Exception {
        FaceCaseStudy.Builder cut = tiny(out).lambdas(List.of(0.0)).iterations(3);
        new FaceCaseStudy(cut.build()).run(CaseStudyListener.NONE);
        Path log = out.resolve("lambda-0/seed-1/metrics.jsonl");
        List<String> lines = Files.readAllLines(log);
        Files.write(log, lines.subList(1, lines.size())); // the first line deleted
        List<String> phases = new ArrayList<>();
        new FaceCaseStudy(cut.iterations(5).build(), true).run(phasesInto(phases));
        String first = lines.getFirst().replaceAll("^\\{\"iteration\":([0-9]+).*", "$1");
        assertTrue(phases.stream().anyMatch(p -> p.contains("lacks the line(s) of iteration(s) [" + first)), phases.toString());
    }

    @Test
    void badSpecsFailBeforeAnyWork(@TempDir Path out) {
        FaceCaseStudy study = new FaceCaseStudy(tiny(out.resolve("x")).discriminatorRegularizers(List.of("spectral-nrom")).build());
        assertThrows(SpecException.class, () -> study.run(CaseStudyListener.NONE));
        assertTrue(Files.notExists(out.resolve("x")), "nothing written");
    }

    @Test
    void configurationErrorsNameTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FaceCaseStudy.Config.builder().lambdas(List.of(0.0, -1.0)).build());
        assertTrue(e.getMessage().contains("-1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FaceCaseStudy.Config.builder().lambdas(List.of(1.0, 1.00)).build());
        assertTrue(e.getMessage().contains("distinct"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FaceCaseStudy.Config.builder().data("imagenet").build());
        assertTrue(e.getMessage().contains("celeba:<directory>"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FaceCaseStudy.Config.builder().width(10).build());
        assertTrue(e.getMessage().contains("multiple of 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FaceCaseStudy.Config.builder().width(1_000_000).build());
        assertTrue(e.getMessage().contains("at most 1024"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FaceCaseStudy.Config.builder().latent(Integer.MAX_VALUE).build());
        assertTrue(e.getMessage().contains("latent (--latent) must be at most 4096, got 2147483647"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FaceCaseStudy.Config.builder().evalImages(Integer.MAX_VALUE).build());
        assertTrue(e.getMessage().contains("at most 200000"), e.getMessage());
        assertThrows(dev.regula.api.spec.SpecException.class, () -> FaceCaseStudy.Config.builder().attributes(List.of("beard")).build());
        assertEquals("0.1+0.2+0.3+0.4", FaceCaseStudy.Config.builder().tolerance("0.1+0.2+0.3+0.4").build().tolerance(),
                "one tolerance per attribute, as the penalty's own parser allows");
        assertThrows(dev.regula.api.spec.SpecException.class, () -> FaceCaseStudy.Config.builder().tolerance("0.1+0.2").build());
        assertThrows(dev.regula.api.spec.SpecException.class, () -> FaceCaseStudy.Config.builder().tolerance("wide").build());
        e = assertThrows(IllegalArgumentException.class, () -> FaceCaseStudy.Config.builder().seeds(0).build());
        assertTrue(e.getMessage().contains("seeds"), e.getMessage());
    }

    @Test
    void runsEverySeedLambdaAndPriorFormOnceAndLambdaZeroOncePerSeed() {
        FaceCaseStudy study = new FaceCaseStudy(FaceCaseStudy.Config.builder().lambdas(List.of(0.0, 1.0))
                .priors(List.of(false, true)).seeds(2).seed(5).build());
        assertEquals(List.of(new FaceCaseStudy.RunKey(0, false, 5), new FaceCaseStudy.RunKey(1, false, 5),
                new FaceCaseStudy.RunKey(1, true, 5), new FaceCaseStudy.RunKey(0, false, 6), new FaceCaseStudy.RunKey(1, false, 6),
                new FaceCaseStudy.RunKey(1, true, 6)), study.runKeys());
        assertEquals("lambda-1-learnable/seed-6", study.runKeys().get(5).directory());
    }

    @Test
    void lambdaDirectoryNamesAreShortDecimals() {
        assertEquals("0", Ablation.format(0.0));
        assertEquals("1", Ablation.format(1.0));
        assertEquals("0.25", Ablation.format(0.25));
        assertEquals("0.0001", Ablation.format(1e-4));
        assertEquals("1E+300", Ablation.format(1e300), "an extreme lambda still names a folder of a sane length");
        assertEquals("1E-300", Ablation.format(1e-300));
    }

    /** A symbolic link planted in the output folder does not redirect the study's writes outside it. */
    @Test
    void aLinkInTheOutputFolderIsRefusedAndNothingIsWrittenThroughIt(@TempDir Path tmp) throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(out.resolve("lambda-0"), outside);
        java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> new FaceCaseStudy(tiny(out).lambdas(List.of(0.0)).iterations(2).build()).run(CaseStudyListener.NONE));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        try (var files = Files.list(outside)) {
            assertEquals(0, files.count(), "nothing written through the link");
        }
        Path metrics = Files.createDirectories(tmp.resolve("out2/lambda-0/seed-1")).resolve("metrics.jsonl");
        Path target = Files.createFile(tmp.resolve("target.txt"));
        Files.createSymbolicLink(metrics, target);
        assertThrows(java.io.IOException.class,
                () -> new FaceCaseStudy(tiny(tmp.resolve("out2")).lambdas(List.of(0.0)).iterations(2).build()).run(CaseStudyListener.NONE));
        assertEquals(0, Files.size(target), "the metrics file is not opened through a link");
    }

    /** A run started afresh over an earlier one replaces it whole: no grid or state of the earlier run is left beside the new one. */
    @Test
    void aFreshRunOverAnEarlierOneLeavesNoneOfItsFiles(@TempDir Path out) throws Exception {
        new FaceCaseStudy(tiny(out).lambdas(List.of(0.0)).iterations(6).build()).run(CaseStudyListener.NONE);
        Path run = out.resolve("lambda-0/seed-1");
        assertTrue(Files.exists(run.resolve("samples-6.png")));
        new FaceCaseStudy(tiny(out).lambdas(List.of(0.0)).iterations(3).build()).run(CaseStudyListener.NONE);
        assertTrue(Files.exists(run.resolve("samples-3.png")));
        assertTrue(!Files.exists(run.resolve("samples-6.png")), "the earlier run's later grid is gone");
        assertEquals(2, Files.readAllLines(run.resolve("metrics.jsonl")).size(), "lines at 2 and 3");
        // only the run's own names: a file of the user's named like a grid stays, a folder in a grid's place is refused
        Path mine = Files.writeString(run.resolve("samples-3-copy.png"), "mine");
        new FaceCaseStudy(tiny(out).lambdas(List.of(0.0)).iterations(3).build()).run(CaseStudyListener.NONE);
        assertEquals("mine", Files.readString(mine));
        Files.createDirectories(run.resolve("samples-2.png"));
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> new FaceCaseStudy(tiny(out).lambdas(List.of(0.0)).iterations(3).build()).run(CaseStudyListener.NONE));
        assertTrue(e.getMessage().contains("samples-2.png: it is not a regular file"), e.getMessage());
        assertTrue(Files.isDirectory(run.resolve("samples-2.png")), "never deleted");
        Files.delete(run.resolve("samples-2.png"));
        // the study's own files too: a link in the table's place is refused, not replaced
        Path elsewhere = Files.writeString(out.resolve("elsewhere.md"), "mine");
        Files.delete(out.resolve("ablation.md"));
        Files.createSymbolicLink(out.resolve("ablation.md"), elsewhere);
        e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> new FaceCaseStudy(tiny(out).lambdas(List.of(0.0)).iterations(3).build()).run(CaseStudyListener.NONE));
        assertTrue(e.getMessage().contains("ablation.md is not a regular file"), e.getMessage());
        assertTrue(Files.isSymbolicLink(out.resolve("ablation.md")) && Files.readString(elsewhere).equals("mine"));
    }
}
