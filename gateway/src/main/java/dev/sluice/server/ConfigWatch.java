package dev.sluice.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Watches the config file by its content ({@code server.config_watch}): each {@link #check} reads
 * the file and hashes it; a new content must be seen by two checks in a row, unchanged, before it
 * triggers a reload. So an editor that saves in two steps (truncate then write, or write a
 * temporary file then rename it over) never reloads a half-written file, and a rename over the file
 * is seen as surely as a write in place (the path is read each time; no inode is held). A file that
 * cannot be read is a change like any other (the reload then says why it was refused). Checks run on
 * a timer, on a worker: they block. Thread-safe.
 */
final class ConfigWatch {
  private final Path file;
  private final Runnable onChange;
  /** The content last reloaded (or read at start). */
  private byte[] current;
  /** A new content seen once, waiting for a second look. */
  private byte[] candidate;

  /** Reads the file now (blocking): its content is the one running. */
  ConfigWatch(Path file, Runnable onChange) {
    this.file = file;
    this.onChange = onChange;
    this.current = digest(file);
  }

  /** One look at the file; true when it triggered a reload. Blocking. */
  synchronized boolean check() {
    byte[] seen = digest(file);
    if (Arrays.equals(seen, current)) {
      candidate = null;
      return false;
    }
    if (!Arrays.equals(seen, candidate)) {
      candidate = seen; // still being written, perhaps: look again next time
      return false;
    }
    current = seen;
    candidate = null;
    onChange.run();
    return true;
  }

  private static byte[] digest(Path file) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    } catch (IOException e) {
      return new byte[0]; // unreadable (mid-rename, deleted): a content of its own
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
