package dev.regula.spark;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;

/** Checks, before any job starts, that what the workers need can be serialised, naming what cannot. */
final class Serialisation {
    private Serialisation() {
    }

    static void check(SparkTrainingConfig c) {
        check(c.model(), "the model " + c.model().describe());
        for (int i = 0; i < c.regularizers().size(); i++) {
            RegularizerSource r = c.regularizers().get(i);
            check(r, "regularizer #" + (i + 1) + " (" + r.describe() + ")");
        }
        check(c, "the training configuration");
    }

    private static void check(Object o, String what) {
        try (ObjectOutputStream out = new ObjectOutputStream(OutputStream.nullOutputStream())) {
            out.writeObject(o);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException(what + " (" + o.getClass().getName() + ") cannot be serialised for the Spark workers: "
                    + "it holds a " + e.getMessage() + ", which is not java.io.Serializable; give a source that creates it on each worker "
                    + "(a spec string, or a serialisable lambda or record that builds it)", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " (" + o.getClass().getName() + ") cannot be serialised for the Spark workers: " + e, e);
        }
    }
}
