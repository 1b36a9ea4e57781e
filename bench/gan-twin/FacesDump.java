/**
 * The face case study's training set for a PyTorch twin (bench/gan-twin/run): renders the same
 * 8,192 synthetic 32×32 faces (seed 1) and their limited prior c (the four binary attributes) and
 * writes them as little-endian float32 files x.f32 [N, 3, 32, 32] in [-1, 1] and c.f32 [N, 4].
 */
import dev.regula.gan.faces.FaceAttributes;
import dev.regula.gan.faces.FaceDataset;
import dev.regula.gan.faces.SyntheticFaces;
import dev.regula.gan.prior.FacePrior;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

public class FacesDump {
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : ".");
        FaceDataset faces = SyntheticFaces.generate(8192, 32, 1);
        write(out.resolve("x.f32"), faces.images().data());
        write(out.resolve("c.f32"), FacePrior.conditions(faces.labels(), FaceAttributes.BINARY_NAMES).data());
    }

    private static void write(Path file, float[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        Files.write(file, b.array());
    }
}
