package dev.regula.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doNothing;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.regula.api.CorruptDataException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.spi.FileSystemProvider;
import org.junit.jupiter.api.Test;

/**
 * {@link InputFiles#requireRegularFile}'s refusal of an input the user may not read. A file with
 * its permissions removed is readable to root, which CI runs as, so the file system here is a stub
 * that answers as it does for an ordinary user: the file exists, is regular, and READ is denied.
 */
class InputFilesTest {
    @Test
    void anUnreadableFileIsCorruptDataNamingThePermissionWhoeverRunsTheTest() throws Exception {
        FileSystemProvider provider = mock(FileSystemProvider.class);
        FileSystem fs = mock(FileSystem.class);
        Path file = mock(Path.class);
        when(file.getFileSystem()).thenReturn(fs);
        when(fs.provider()).thenReturn(provider);
        when(file.toString()).thenReturn("/data/locked.csv");
        BasicFileAttributes attributes = mock(BasicFileAttributes.class);
        when(attributes.isRegularFile()).thenReturn(true);
        when(attributes.size()).thenReturn(12L);
        when(provider.readAttributes(eq(file), eq(BasicFileAttributes.class), any(LinkOption[].class))).thenReturn(attributes);
        when(provider.readAttributes(eq(file), eq(BasicFileAttributes.class))).thenReturn(attributes);
        doNothing().when(provider).checkAccess(file); // it exists
        doThrow(new AccessDeniedException("/data/locked.csv")).when(provider).checkAccess(file, AccessMode.READ);

        CorruptDataException e = assertThrows(CorruptDataException.class, () -> InputFiles.requireRegularFile(file, "CSV file"));
        assertEquals("CSV file /data/locked.csv cannot be read: permission denied (check its permissions)", e.getMessage());

        // the same file readable: its size, no refusal
        doNothing().when(provider).checkAccess(file, AccessMode.READ);
        assertEquals(12L, InputFiles.requireRegularFile(file, "CSV file"));
        assertTrue(IoReasons.of(new AccessDeniedException("x")).equals("permission denied"));
    }
}
