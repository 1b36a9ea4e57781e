package dev.regula.api.model;

import dev.regula.api.param.Parameter;
import dev.regula.api.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network: a layer made of layers, with a known input shape. Its parameters are those of its
 * layers, with unique names.
 */
public interface Model extends Layer {
    /** @return the layers in order of application */
    List<Layer> layers();

    /** @return the shape of one input example, without the batch dimension */
    int[] inputShape();

    @Override
    default List<Parameter> parameters() {
        return layers().stream().flatMap(l -> l.parameters().stream()).toList();
    }

    /** @return the state of its layers, in layer order (see {@link Layer#state()}) */
    @Override
    default Map<String, Tensor> state() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        for (Layer l : layers()) all.putAll(l.state());
        return all;
    }
}
