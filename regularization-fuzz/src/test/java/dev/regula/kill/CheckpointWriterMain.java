package dev.regula.kill;

import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.checkpoint.Checkpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Child process of {@link CheckpointKillTest}: saves versions 1, 2, 3, ... of a checkpoint to the
 * same path, forever. Version v has metadata {@code version=v} and every element of both tensors
 * equal to v, so a reader can tell a complete file of one version from a mixed or torn one.
 */
public final class CheckpointWriterMain {
    /** Elements per tensor: 4 MiB of float32 each, so that a save takes a few milliseconds. */
    static final int SIZE = 1 << 20;

    private CheckpointWriterMain() {}

    /**
     * @param args the checkpoint path and the first version number
     * @throws Exception on failure (the parent sees a non-zero exit)
     */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long first = Long.parseLong(args[1]);
        Tensor a = Tensor.zeros(SIZE / 1024, 1024);
        Tensor b = Tensor.zeros(SIZE);
        List<Parameter> params = List.of(new Parameter("dense", "weight", ParameterRole.WEIGHT, a));
        System.out.println("ready");
        System.out.flush();
        for (long v = first; ; v++) {
            a.fill(v);
            b.fill(v);
            Checkpoint.save(file, params, Map.of("adam.m.dense.weight", b), Map.of("version", Long.toString(v)));
        }
    }
}
