package dev.regula.core.io;

import dev.regula.api.CorruptDataException;
import dev.regula.core.data.DataNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Checks an input path before it is opened: only a regular file is read. A FIFO would block the
 * open or the first read forever, a device such as {@code /dev/zero} never ends, and a directory
 * fails with an {@link IOException} that names nothing; all three are refused at once with a
 * message naming the path and what it is. Symbolic links to regular files are followed (an input
 * is only read).
 */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * @param file the path to read
     * @param what what the file is for, e.g. {@code "CSV file"}, used in messages
     * @return the file's size in bytes
     * @throws DataNotFoundException if nothing exists at {@code file}
     * @throws CorruptDataException if it is a directory, FIFO, device or socket, or cannot be read
     * @throws IOException if its attributes cannot be read
     */
    public static long requireRegularFile(Path file, String what) throws IOException {
        // notExists, not !exists: a path that cannot be checked (no permission on its folder) is
        // left to the reading below, whose error says so
        if (Files.notExists(file)) {
            throw new DataNotFoundException(what + " " + file + " does not exist");
        }
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        if (!a.isRegularFile()) {
            throw new CorruptDataException(what + " " + file + " is " + kind(a) + ", not a regular file; expected a file to read");
        }
        if (!Files.isReadable(file)) { // an input that cannot be read is the data's fault (exit 3), not an output's
            throw new CorruptDataException(what + " " + file + " cannot be read: permission denied (check its permissions)");
        }
        return a.size();
    }

    /**
     * @param a attributes of a path
     * @return "a directory", "a FIFO, device or socket" or "a regular file", for messages
     */
    public static String kind(BasicFileAttributes a) {
        if (a.isDirectory()) return "a directory";
        if (a.isRegularFile()) return "a regular file";
        if (a.isSymbolicLink()) return "a symbolic link";
        return "a FIFO, device or socket";
    }
}
