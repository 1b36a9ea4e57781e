package dev.regula.api.model;

import dev.regula.api.param.Parameter;
import java.util.List;

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
}
