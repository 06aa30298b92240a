package dev.sluice.observe.requestlog;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Collects one request's bodies for the request log, when its key or team asks for them: the start
 * of the request, and the start of the answer as it is written (a whole answer, or a stream's
 * events), each up to the policy's window; {@link #finish()} redacts and cuts them. Requests whose
 * bodies are not logged have no capture at all (null), so they copy nothing.
 *
 * <p>Lives on the request's event loop; not thread-safe. Its work is bounded by the policy's
 * window, not by the size of the bodies.
 */
public final class BodyCapture {
  private final BodyPolicy policy;
  private final int window;
  private final byte[] request;
  private final boolean requestCut;
  private Buffer answer;
  private boolean answerCut;

  private BodyCapture(BodyPolicy policy, Buffer requestBody) {
    this.policy = policy;
    this.window = policy.windowBytes();
    int length = requestBody == null ? 0 : requestBody.length();
    this.request = requestBody == null ? null : requestBody.getBytes(0, Math.min(length, window));
    this.requestCut = length > window;
  }

  /** Starts capturing under {@code policy}, with the request's body as received (null for none). */
  public static BodyCapture start(BodyPolicy policy, Buffer requestBody) {
    return new BodyCapture(policy, requestBody);
  }

  /** The whole answer, written at once (a JSON answer or an error); replaces anything captured before. */
  public void answer(Buffer whole) {
    answer = null;
    answerCut = false;
    answerPart(whole);
  }

  /** The next part of a streamed answer, as written to the client. */
  public void answerPart(Buffer part) {
    if (answer == null) {
      answer = Buffer.buffer(Math.min(window, Math.max(256, part.length())));
    }
    int room = window - answer.length();
    if (part.length() <= room) {
      answer.appendBuffer(part);
    } else {
      if (room > 0) {
        answer.appendBuffer(part, 0, room);
      }
      answerCut = true;
    }
  }

  /** Redacts and cuts what was captured. Call once, when the request ends. */
  public CapturedBodies finish() {
    BodyPolicy.Kept req = request == null ? null
        : policy.keep(new String(request, StandardCharsets.UTF_8), requestCut);
    BodyPolicy.Kept res = answer == null ? null : policy.keep(answer.toString(StandardCharsets.UTF_8), answerCut);
    return new CapturedBodies(req == null ? null : req.text(), res == null ? null : res.text(),
        req != null && req.truncated(), res != null && res.truncated());
  }
}
