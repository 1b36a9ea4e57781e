package dev.regula.examples.cli;

import dev.regula.core.io.InputFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;

/**
 * An output folder owned by one running command. {@link #claim} takes an exclusive
 * {@link FileChannel#tryLock() lock} on {@value #LOCK} in the folder and writes the holder's
 * process id and command into it; the operating system drops the lock when the process ends,
 * however it ends (kill -9 included), so there is never a stale lock to remove. A second run on
 * the same folder is refused at once, naming the holder, instead of both writing interleaved
 * metrics and one another's checkpoints.
 *
 * <p>Files are written only through {@link #file}, which refuses a name that is a symbolic link
 * (it could redirect the write outside the folder), a directory or a FIFO/device (opening one
 * for writing blocks). The lock file itself stays in the folder (deleting it would let a third
 * run lock a different file than the second is waiting on).
 */
final class OutputFolder implements AutoCloseable {
    /** The lock file's name, in the output folder. */
    static final String LOCK = ".regula.lock";

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private OutputFolder(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @param dir the output folder (created unless {@code mustExist})
     * @param mustExist true for a resumed run: a missing folder is refused, not created
     * @param command what holds the folder, written into the lock file, e.g. {@code "regula train"}
     * @return the owned folder; close it to release the lock
     * @throws IllegalArgumentException if {@code dir} is not a folder, or is missing and must exist
     * @throws IOException if another process (or another command in this JVM) holds it, naming it,
     *     or the folder cannot be created or locked
     */
    static OutputFolder claim(Path dir, boolean mustExist, String command) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--out " + dir + " is " + kind(dir) + ", not a folder; give a folder to write into");
        }
        if (!Files.exists(dir)) {
            if (mustExist) {
                throw new IllegalArgumentException("--resume: there is no output folder " + dir
                        + "; run without --resume first or pass the --out of that run");
            }
            try {
                Files.createDirectories(dir);
            } catch (FileSystemException e) {
                throw new IOException("cannot create the output folder " + dir + ": " + dev.regula.core.io.IoReasons.of(e), e);
            }
        }
        Path lockFile = file(dir, LOCK);
        FileChannel ch;
        try {
            ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (FileSystemException e) {
            throw new IOException("cannot create the lock file " + lockFile + " in the output folder: " + dev.regula.core.io.IoReasons.of(e), e);
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another command of this JVM
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            String holder = holder(ch);
            ch.close();
            throw new IOException("the output folder " + dir + " is in use by another run (" + holder
                    + "); wait for it to end or choose another --out");
        }
        String me = "pid " + ProcessHandle.current().pid() + ", " + command + ", started " + Instant.now();
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((me + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(false);
        return new OutputFolder(dir, ch, lock);
    }

    /** @return the folder */
    Path dir() {
        return dir;
    }

    /**
     * Refuses the folder when it holds another command's run whose {@code shared} file this one
     * would replace: a run is never taken for an earlier run of another command.
     *
     * @param other the other command's run, e.g. {@code "regula gan study"}
     * @param itsFiles files only that command writes, any of which marks its run
     * @param shared the name both commands write
     * @param mine this command's run, e.g. {@code "run"}
     * @throws IOException naming the file found
     */
    void refuseRunOf(String other, List<String> itsFiles, String shared, String mine) throws IOException {
        for (String name : itsFiles) {
            if (Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("cannot write output: " + dir + " holds a " + other + " (" + name + "), whose " + shared + " this "
                        + mine + " would replace; choose another --out");
            }
        }
    }

    /**
     * @param name a file name inside the folder
     * @return the path to write, after checking that it is absent or a regular file
     * @throws IOException if it is a symbolic link, a directory, a FIFO or a device, naming it
     */
    Path file(String name) throws IOException {
        return file(dir, name);
    }

    /**
     * @param name a sub-folder name inside the folder
     * @return the sub-folder, created if absent
     * @throws IOException if it is a symbolic link or not a folder
     */
    Path subfolder(String name) throws IOException {
        Path sub = subfolderToBe(name);
        Files.createDirectories(sub);
        return sub;
    }

    /**
     * {@link #subfolder}'s check without creating it, for a folder its writer creates later (after
     * an earlier run's folder of that name was set aside).
     *
     * @param name a sub-folder name inside the folder
     * @return the sub-folder's path, after checking that it is absent or a real folder
     * @throws IOException if it is a symbolic link or not a folder
     */
    Path subfolderToBe(String name) throws IOException {
        Path sub = dir.resolve(name);
        if (Files.isSymbolicLink(sub) || Files.exists(sub, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(sub, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("cannot write output: " + sub + " is " + kind(sub) + "; regula writes only into real folders"
                    + " inside its output folder (a link could send the writes elsewhere): remove it or choose another --out");
        }
        return sub;
    }

    /** The check of {@link #file(String)} for any folder. */
    static Path file(Path dir, String name) throws IOException {
        Path f = dir.resolve(name);
        if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) return f;
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) {
            throw new IOException("cannot write output: " + f + " is " + kind(f) + ", not a regular file; regula writes only regular"
                    + " files inside its output folder (a link could send the write elsewhere, a FIFO would block it): remove it"
                    + " or choose another --out");
        }
        return f;
    }

    private static String kind(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink()) return "a symbolic link (to " + Files.readSymbolicLink(p) + ")";
            return InputFiles.kind(a);
        } catch (IOException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }

    /** @return what the holder wrote into the lock file, or a note that it wrote nothing yet */
    private static String holder(FileChannel ch) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(512);
            int n = ch.read(buf, 0);
            String text = n <= 0 ? "" : new String(buf.array(), 0, n, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "a process that has not written its id yet" : text;
        } catch (IOException e) {
            return "its id is unreadable: " + e.getMessage();
        }
    }

    @Override
    public void close() throws IOException {
        try (channel) {
            lock.release();
        }
    }
}
