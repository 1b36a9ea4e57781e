package dev.regula.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.regula.examples.cli.RegulaCommand;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Fuzzes the {@code regula} command line with arbitrary argument arrays. The contract: the
 * command never lets an exception escape and never answers with exit code 1 ("internal error, a
 * bug"); usage, data, numerical and I/O problems have their own codes.
 *
 * <p>The input is split at newlines into arguments. If the first is {@code train}, the run is
 * pointed at a tiny CSV data set and a temporary output folder for one epoch, so a valid
 * command trains in milliseconds; inputs with a number of four to eight digits are skipped, because
 * a slow but legitimate run (a wide model, many threads within the limit) is not a bug. Longer
 * numbers stay in: every size an option or spec claims is bounded up front, so they must be
 * refused at once (exit 2), not run out of memory or threads.
 */
class CliFuzzTest {
    private static final Pattern BIG_NUMBER = Pattern.compile("(?<!\\d)\\d{4,8}(?!\\d)");
    private static final int INTERNAL = 1;
    private static final Path DIR = setUp();

    private static Path setUp() {
        try {
            Path dir = Files.createTempDirectory("regula-cli-fuzz");
            StringBuilder csv = new StringBuilder("a,b,label\n");
            for (int i = 0; i < 20; i++) csv.append(i % 5).append(',').append(i % 3).append(',').append(i % 2).append('\n');
            Files.writeString(dir.resolve("tiny.csv"), csv);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RegulaCommand.execute on newline-separated arguments. */
    @FuzzTest(maxDuration = "10s")
    void cli(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        if (BIG_NUMBER.matcher(text).find()) return;
        List<String> args = new ArrayList<>(List.of(text.split("\n", -1)));
        if (args.size() > 64) return;
        if (!args.isEmpty() && args.get(0).equals("train")) {
            args.addAll(1, List.of("--csv", DIR.resolve("tiny.csv").toString(), "--out", DIR.resolve("out").toString(),
                    "--epochs", "1", "--threads", "1"));
        }
        PrintStream out = System.out;
        PrintStream err = System.err;
        int code;
        try (PrintStream sink = new PrintStream(OutputStream.nullOutputStream())) {
            System.setOut(sink);
            System.setErr(sink);
            code = RegulaCommand.execute(args.toArray(String[]::new));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        if (code == INTERNAL) {
            // run again with the error visible, so the finding shows the stack trace
            RegulaCommand.execute(args.toArray(String[]::new));
            throw new AssertionError("regula " + args + " exited with 1 (internal error)");
        }
    }
}
