package dev.sluice.server;

import dev.sluice.core.ChatRequest;
import dev.sluice.core.ChatResponse;
import io.vertx.core.buffer.Buffer;

/**
 * Reaches the package-private front-door steps of a non-streamed request for {@code RequestBench}
 * (same package name, same class loader: the benchmark jar sits next to sluice.jar on the class path).
 */
public final class ServerBenchAccess {
  private ServerBenchAccess() {}

  public static ChatRequest parse(Buffer body) {
    return OpenAiFrontDoor.INSTANCE.parse(body);
  }

  public static Buffer encodeResponse(ChatRequest request, ChatResponse response) {
    return OpenAiFrontDoor.INSTANCE.encodeResponse(request, response);
  }
}
