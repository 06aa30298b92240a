package dev.sluice.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A bare HTTP/1.1 client on a socket, for what java.net.http hides: reading a stream a few bytes at
 * a time, not reading at all (backpressure), and hanging up mid-stream.
 */
public final class RawHttpClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();

  public RawHttpClient(int port, int receiveBuffer) throws IOException {
    this(port, receiveBuffer, 10_000);
  }

  /** @param readTimeoutMs how long one read may wait before the test fails with a timeout */
  public RawHttpClient(int port, int receiveBuffer, int readTimeoutMs) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(readTimeoutMs);
    in = socket.getInputStream();
  }

  public void post(String path, String key, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
    socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().write(body);
    socket.getOutputStream().flush();
  }

  /** Reads until {@code marker} has been received; returns everything received so far. */
  public String readUntil(String marker) throws IOException {
    byte[] buf = new byte[4096];
    while (!received.toString(StandardCharsets.UTF_8).contains(marker)) {
      int n = in.read(buf);
      if (n < 0) {
        throw new IOException("connection closed before '" + marker + "'; got: " + received.toString(StandardCharsets.UTF_8));
      }
      received.write(buf, 0, n);
    }
    return received.toString(StandardCharsets.UTF_8);
  }

  /** Reads until the server closes or {@code marker} arrives; returns the byte count read. */
  public long drainUntil(String marker) throws IOException {
    byte[] buf = new byte[65536];
    long total = 0;
    String tail = "";
    while (true) {
      int n = in.read(buf);
      if (n < 0) {
        return total;
      }
      total += n;
      tail = (tail + new String(buf, 0, n, StandardCharsets.ISO_8859_1));
      if (tail.contains(marker)) {
        return total;
      }
      tail = tail.substring(Math.max(0, tail.length() - marker.length()));
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
