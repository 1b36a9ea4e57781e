package dev.regula.core.io;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * The reason of an I/O failure in words, for messages: the JDK's file-system exceptions carry
 * only the path (their reason is null for the common ones), and a decoding failure only
 * "Input length = 1".
 */
public final class IoReasons {
    private IoReasons() {
    }

    /**
     * @param e an I/O failure
     * @return e.g. "no such file or folder", "permission denied", "not UTF-8 text (...)"
     */
    public static String of(IOException e) {
        if (e instanceof NoSuchFileException) return "no such file or folder";
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof FileAlreadyExistsException) return "already exists";
        if (e instanceof FileSystemException f) return f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
        if (e instanceof CharacterCodingException) return "not UTF-8 text (" + e.getMessage() + ")";
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
