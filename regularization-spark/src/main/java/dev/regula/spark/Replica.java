package dev.regula.spark;

import dev.regula.api.RegulaException;
import dev.regula.api.model.Model;
import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.LearnableRegularizer;
import dev.regula.api.regularizer.OutputRegularizer;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Regularizer;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.regularizer.WeightAverager;
import dev.regula.api.StepContext;
import dev.regula.api.tensor.Tensor;
import dev.regula.api.regularizer.AnchoredRegularizer;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JVM's copy of the run: the model (with activation-regularizer layers inserted exactly as a
 * single-machine {@link Trainer} inserts them), its pipeline, optimizer and regularizer instances.
 * The driver holds one for the whole run; a worker builds one per synchronisation job and loads
 * the broadcast {@link Snapshot} into it.
 */
final class Replica {
    final Trainer trainer;
    final Model model;
    final List<Parameter> parameters;
    final TrainingConfig config;
    /** Every regularizer of the configuration, by its position there (null where this replica left one out). */
    final List<Regularizer> regularizers;

    private Replica(Trainer trainer, List<Regularizer> regularizers) {
        this.trainer = trainer;
        this.model = trainer.model();
        this.parameters = trainer.model().parameters();
        this.config = trainer.config();
        this.regularizers = regularizers;
    }

    /** Which regularizers a replica runs itself. */
    enum Role {
        /** The driver: all of them. */
        DRIVER,
        /** A gradient-averaging worker: all of them too, but it only runs forward and backward. */
        GRADIENT_WORKER,
        /** A local-SGD worker: all but the PROXIMAL and CONSTRAINT stages and the weight averagers, which the driver runs. */
        LOCAL_SGD_WORKER
    }

    static Replica build(SparkTrainingConfig c, int[] inputShape, int outputs, Role role, int threads) {
        Model model = c.model().build(inputShape, outputs, c.seed());
        List<Regularizer> all = new ArrayList<>();
        TrainingConfig.Builder b = TrainingConfig.builder().optimizer(c.optimizer()).loss(LossName.create(c.loss()))
                .epochs(c.epochs()).batchSize(c.batchSize()).seed(c.seed()).shuffle(c.shuffle()).threads(threads);
        for (RegularizerSource s : c.regularizers()) {
            Regularizer r = s.create();
            if (role == Role.LOCAL_SGD_WORKER && drivenByDriver(r)) {
                all.add(null);
                continue;
            }
            all.add(r);
            b.regularizer(r);
        }
        Replica replica = new Replica(new Trainer(model, b.build()), all);
        if (role == Role.DRIVER) replica.checkSupported();
        return replica;
    }

    /** @return true for the regularizers that local SGD runs on the driver, on the averaged parameters */
    static boolean drivenByDriver(Regularizer r) {
        return r instanceof WeightAverager
                || r instanceof ParameterRegularizer pr && (pr.stage() == Stage.PROXIMAL || pr.stage() == Stage.CONSTRAINT);
    }

    private void checkSupported() {
        for (Regularizer r : regularizers) {
            if (r instanceof OutputRegularizer o && !o.ownParameters().isEmpty()) {
                throw new RegulaException("output regularizer " + r.spec() + " learns parameters of its own, which Spark training does "
                        + "not support: its own update reads what its last apply computed, and on the driver no apply runs; "
                        + "train it on one machine or fix its parameters");
            }
        }
    }

    /** @return the positions of the anchored regularizers */
    Map<Integer, AnchoredRegularizer> anchored() {
        Map<Integer, AnchoredRegularizer> out = new HashMap<>();
        for (int i = 0; i < regularizers.size(); i++) {
            if (regularizers.get(i) instanceof AnchoredRegularizer a) out.put(i, a);
        }
        return out;
    }

    /** @return the positions of the learnable regularizers */
    Map<Integer, LearnableRegularizer> learnables() {
        Map<Integer, LearnableRegularizer> out = new HashMap<>();
        for (int i = 0; i < regularizers.size(); i++) {
            if (regularizers.get(i) instanceof LearnableRegularizer l) out.put(i, l);
        }
        return out;
    }

    /** @return the parameters a parameter regularizer acts on */
    List<Parameter> targets(ParameterRegularizer r) {
        return parameters.stream().filter(r.selector()::test).toList();
    }

    /** Copies broadcast values into this replica. */
    void load(Snapshot s, boolean withOptimizerState) {
        if (s.parameters().length != parameters.size()) {
            throw new IllegalStateException("the broadcast holds " + s.parameters().length + " parameters, this model " + parameters.size());
        }
        for (int i = 0; i < parameters.size(); i++) {
            System.arraycopy(s.parameters()[i], 0, parameters.get(i).value().data(), 0, parameters.get(i).size());
        }
        loadLayerState(s.layerState());
        if (withOptimizerState && !s.optimizerState().isEmpty()) config.optimizer().loadState(Array.tensors(s.optimizerState()));
        for (Map.Entry<Integer, AnchoredRegularizer> e : anchored().entrySet()) {
            Map<String, Array> anchors = s.anchors().get(e.getKey());
            if (anchors != null) anchors.forEach((name, a) -> e.getValue().setAnchor(name, a.tensor()));
        }
        for (Map.Entry<Integer, LearnableRegularizer> e : learnables().entrySet()) {
            Map<String, float[]> own = s.ownParameters().get(e.getKey());
            if (own == null) continue;
            for (Parameter p : e.getValue().ownParameters()) {
                float[] v = own.get(p.name());
                if (v != null) System.arraycopy(v, 0, p.value().data(), 0, p.size());
            }
        }
    }

    /**
     * @param localSgd whether the workers take steps themselves (local SGD): then they also need the
     *     optimizer state and the driver-owned regularizer state; gradient-averaging workers only
     *     run forward and backward and get the parameters alone
     * @return this replica's values as a broadcast
     */
    Snapshot snapshot(boolean localSgd) {
        float[][] values = new float[parameters.size()][];
        for (int i = 0; i < values.length; i++) values[i] = parameters.get(i).value().data().clone();
        Map<String, float[]> layers = layerState();
        if (!localSgd) return new Snapshot(values, layers, Map.of(), Map.of(), Map.of());
        Map<String, Array> state = Array.of(config.optimizer().state());
        Map<Integer, Map<String, Array>> anchors = new HashMap<>();
        for (Map.Entry<Integer, AnchoredRegularizer> e : anchored().entrySet()) {
            Map<String, Array> m = new HashMap<>();
            for (Parameter p : parameters) {
                e.getValue().anchor(p.name()).ifPresent(t -> m.put(p.name(), Array.of(t)));
            }
            anchors.put(e.getKey(), m);
        }
        Map<Integer, Map<String, float[]>> own = new HashMap<>();
        for (Map.Entry<Integer, LearnableRegularizer> e : learnables().entrySet()) {
            Map<String, float[]> m = new HashMap<>();
            for (Parameter p : e.getValue().ownParameters()) m.put(p.name(), p.value().data().clone());
            own.put(e.getKey(), m);
        }
        return new Snapshot(values, layers, state, anchors, own);
    }

    /** @return a copy of the model's layer state ({@code Model.state()}: BatchNorm's running statistics) by name */
    Map<String, float[]> layerState() {
        Map<String, float[]> out = new LinkedHashMap<>();
        model.state().forEach((name, t) -> out.put(name, t.data().clone()));
        return out;
    }

    /**
     * Copies layer state into the model's live state tensors.
     *
     * @throws IllegalStateException if a name is missing or a size differs (the replicas of one run
     *     are built from the same recipe, so this means the model source is not deterministic)
     */
    void loadLayerState(Map<String, float[]> values) {
        Map<String, Tensor> live = model.state();
        if (!live.keySet().equals(values.keySet())) {
            throw new IllegalStateException("the layer state " + values.keySet() + " does not match this model's " + live.keySet()
                    + "; the model source must build the same model on every JVM");
        }
        for (Map.Entry<String, Tensor> e : live.entrySet()) {
            float[] v = values.get(e.getKey());
            float[] to = e.getValue().data();
            if (v.length != to.length) {
                throw new IllegalStateException("layer state " + e.getKey() + " has " + v.length + " values, this model " + to.length);
            }
            System.arraycopy(v, 0, to, 0, to.length);
        }
    }

    /**
     * Lets every anchored regularizer fix θ₀ now, on the driver's initial weights, the way it does
     * at step 0 on one machine (its penalty on first sight captures {@code to=init}, or zeros): the
     * workers of local SGD then receive these anchors instead of capturing their own from
     * whatever weights a later synchronisation broadcast.
     */
    void captureAnchors(StepContext ctx) {
        for (AnchoredRegularizer a : anchored().values()) {
            for (Parameter p : targets(a)) a.penalty(p, ctx);
        }
    }
}
