package dev.sluice.observe.ledger;

import dev.sluice.store.BatchRow;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spill journal: JSON lines in a folder. New rows are appended to the active file, which is
 * fsynced after every append. To replay, the active file is sealed (renamed to the next numbered
 * segment, so appends go on into a fresh file meanwhile), segments are read in order, and each is
 * deleted only after all its rows are in the store.
 *
 * <p>Blocking file I/O: call only from the writer's journal worker, never an event loop. Methods
 * are synchronized, so appends and sealing never interleave.
 */
final class Journal {
  private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
  static final String ACTIVE = "ledger-journal.active.jsonl";
  private static final String SEGMENT_PREFIX = "ledger-journal.";
  private static final String SEGMENT_SUFFIX = ".sealed.jsonl";

  static final String LOCK = "ledger-journal.lock";

  private final Path dir;
  private FileChannel lockChannel;
  private FileLock lock;
  private FileChannel active;
  private long nextSegment = -1;

  Journal(Path dir) {
    this.dir = dir;
  }

  /**
   * Takes the folder's lock file, so that two writers (two processes) never share a journal.
   * Idempotent; released by {@link #close()} or when the process dies.
   */
  synchronized void lock() throws IOException {
    if (lock != null) {
      return;
    }
    Files.createDirectories(dir);
    FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock taken;
    try {
      taken = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      taken = null;
    }
    if (taken == null) {
      channel.close();
      throw new IOException("the ledger journal in " + dir + " is in use by another writer");
    }
    lockChannel = channel;
    lock = taken;
  }

  /** Appends the rows to the active file and fsyncs it. */
  synchronized void append(List<BatchRow> rows) throws IOException {
    if (rows.isEmpty()) {
      return;
    }
    StringBuilder text = new StringBuilder(rows.size() * 512);
    for (BatchRow r : rows) {
      text.append(JournalCodec.encode(r)).append('\n');
    }
    write(StandardCharsets.UTF_8.encode(text.toString()));
  }

  /**
   * Whether the journal takes writes again (after an append failed): appends one blank line of a
   * file-system block's size and fsyncs it. A block, not a byte: a full disk still takes a byte that
   * fits in the last block's slack. Replay skips blank lines.
   */
  synchronized void probe() throws IOException {
    byte[] blank = new byte[PROBE_BYTES];
    Arrays.fill(blank, (byte) ' ');
    blank[blank.length - 1] = '\n';
    write(ByteBuffer.wrap(blank));
  }

  private static final int PROBE_BYTES = 4096;

  /**
   * Writes and fsyncs {@code bytes} at the active file's end. A write that fails (a full disk) is cut
   * back off, so the part that did reach the file cannot glue itself to the next line as one torn line
   * (which would lose the next row too), and the file is reopened by the next write.
   */
  private void write(ByteBuffer bytes) throws IOException {
    if (active == null) {
      Files.createDirectories(dir);
      active = FileChannel.open(dir.resolve(ACTIVE), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND);
    }
    long before = active.size();
    try {
      while (bytes.hasRemaining()) {
        active.write(bytes);
      }
      active.force(false);
    } catch (IOException | RuntimeException e) {
      FileChannel failed = active;
      active = null;
      try (failed) {
        failed.truncate(before);
      } catch (IOException | RuntimeException cut) {
        e.addSuppressed(cut);
      }
      throw e;
    }
  }

  /** Seals a non-empty active file into the next segment. */
  synchronized void sealActive() throws IOException {
    closeActive();
    Path file = dir.resolve(ACTIVE);
    if (!Files.exists(file) || Files.size(file) == 0) {
      return;
    }
    Path segment = dir.resolve(String.format("%s%020d%s", SEGMENT_PREFIX, nextSegmentNumber(), SEGMENT_SUFFIX));
    Files.move(file, segment, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory();
  }

  /** Sealed segments, oldest first. */
  synchronized List<Path> segments() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Journal::isSegment).sorted().toList();
    }
  }

  /** Deletes a segment whose rows are all in the store. */
  synchronized void delete(Path segment) throws IOException {
    Files.deleteIfExists(segment);
    syncDirectory();
  }

  /** Closes the active file and releases the folder lock. */
  synchronized void close() throws IOException {
    try {
      closeActive();
    } finally {
      if (lockChannel != null) {
        lockChannel.close(); // releases the lock
        lockChannel = null;
        lock = null;
      }
    }
  }

  private void closeActive() throws IOException {
    if (active != null) {
      try {
        active.force(false);
      } finally {
        active.close();
        active = null;
      }
    }
  }

  private long nextSegmentNumber() throws IOException {
    if (nextSegment < 0) {
      nextSegment = 0;
      for (Path p : segments()) {
        String n = p.getFileName().toString();
        nextSegment = Math.max(nextSegment,
            Long.parseLong(n.substring(SEGMENT_PREFIX.length(), n.length() - SEGMENT_SUFFIX.length())) + 1);
      }
    }
    return nextSegment++;
  }

  private static boolean isSegment(Path p) {
    String n = p.getFileName().toString();
    return n.startsWith(SEGMENT_PREFIX) && n.endsWith(SEGMENT_SUFFIX)
        && n.substring(SEGMENT_PREFIX.length(), n.length() - SEGMENT_SUFFIX.length()).matches("\\d{20}");
  }

  /** Makes a rename or delete durable (best effort: not every file system can fsync a folder). */
  private void syncDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("Cannot fsync {}: {}", dir, e.toString());
    }
  }

  /** Reads one segment in chunks. Not thread-safe; used by one replay at a time. */
  static final class SegmentReader implements AutoCloseable {
    private final Path path;
    private final BufferedReader reader;
    private long line;
    private long unreadable;

    SegmentReader(Path path) throws IOException {
      this.path = path;
      this.reader = Files.newBufferedReader(path, StandardCharsets.UTF_8);
    }

    Path path() {
      return path;
    }

    /** Up to {@code max} rows; empty at the end. Lines that do not decode (a write torn by a crash) are skipped. */
    List<BatchRow> next(int max) throws IOException {
      List<BatchRow> rows = new ArrayList<>(max);
      String text;
      while (rows.size() < max && (text = reader.readLine()) != null) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        try {
          rows.add(JournalCodec.decode(text));
        } catch (IllegalArgumentException e) {
          unreadable++;
          LOG.warn("Skipping unreadable line {} of ledger journal {} ({}): the row it held is lost", line, path,
              e.getMessage());
        }
      }
      return rows;
    }

    long unreadable() {
      return unreadable;
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }
}
