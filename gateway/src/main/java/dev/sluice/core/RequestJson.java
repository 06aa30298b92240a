package dev.sluice.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.openai.BufferBytes;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * The parser of client request bodies: strict UTF-8 and Jackson's {@link StreamReadConstraints}
 * set to the server's client limits (nesting depth, digits in a number, characters in a string).
 * Only request bodies go through here; {@link Json#MAPPER} (provider answers, the store, tools)
 * keeps Jackson's defaults. Immutable and thread-safe.
 */
public final class RequestJson {
  /** Jackson's own limits (depth 1000, 1000 digits, 20 M characters): for parsing outside a gateway. */
  public static final RequestJson DEFAULTS = new RequestJson(StreamReadConstraints.defaults());

  private final ObjectMapper mapper;
  private final StreamReadConstraints limits;

  private RequestJson(StreamReadConstraints limits) {
    this.limits = limits;
    this.mapper = new ObjectMapper(JsonFactory.builder().streamReadConstraints(limits).build());
  }

  /**
   * @param maxDepth nesting of objects and arrays (a top-level object is depth 1)
   * @param maxNumberLength characters in one number
   * @param maxStringLength characters in one string value (bytes, for ASCII text such as base64)
   */
  public static RequestJson of(int maxDepth, int maxNumberLength, int maxStringLength) {
    return new RequestJson(StreamReadConstraints.builder().maxNestingDepth(maxDepth).maxNumberLength(maxNumberLength)
        .maxStringLength(maxStringLength).build());
  }

  /**
   * Parses a request body, reading a heap buffer's bytes in place.
   *
   * @throws Refused with a reason fit for the client: malformed JSON, bytes that are not UTF-8, or
   *     a limit exceeded
   */
  public JsonNode parse(Buffer body) throws Refused {
    BufferBytes range = BufferBytes.of(body);
    byte[] bytes = range.bytes();
    int from = range.from();
    int length = range.length();
    int bad = Utf8.firstInvalid(bytes, from, from + length);
    if (bad >= 0) {
      throw new Refused(Refused.Kind.NOT_UTF8, String.format("the body is not valid UTF-8 (byte 0x%02X at offset %d)",
          bytes[bad] & 0xff, bad - from));
    }
    try {
      return mapper.readTree(bytes, from, length);
    } catch (StreamConstraintsException e) {
      throw limitExceeded(e);
    } catch (IOException e) {
      if (e.getCause() instanceof StreamConstraintsException c) {
        throw limitExceeded(c);
      }
      throw new Refused(Refused.Kind.MALFORMED, firstLine(e.getMessage()));
    }
  }

  private Refused limitExceeded(StreamConstraintsException e) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    // Jackson names the limit only in its message ("Document nesting depth (65) exceeds ...").
    if (m.startsWith("Document nesting depth")) {
      return new Refused(Refused.Kind.TOO_DEEP,
          "objects and arrays are nested deeper than the limit of " + limits.getMaxNestingDepth() + " levels");
    }
    if (m.startsWith("Number value length")) {
      return new Refused(Refused.Kind.NUMBER_TOO_LONG,
          "a number is longer than the limit of " + limits.getMaxNumberLength() + " characters");
    }
    if (m.startsWith("String value length")) {
      return new Refused(Refused.Kind.STRING_TOO_LONG,
          "a string is longer than the limit of " + limits.getMaxStringLength() + " characters");
    }
    if (m.startsWith("Name length")) {
      return new Refused(Refused.Kind.STRING_TOO_LONG,
          "a field name is longer than the limit of " + limits.getMaxNameLength() + " characters");
    }
    return new Refused(Refused.Kind.MALFORMED, firstLine(m));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "malformed JSON";
    }
    int nl = message.indexOf('\n');
    String line = nl < 0 ? message : message.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) : line;
  }

  /** A body this parser will not accept; {@link #getMessage()} is a reason fit for the client. */
  public static final class Refused extends IOException {
    /** Why the body was refused. */
    public enum Kind { MALFORMED, NOT_UTF8, TOO_DEEP, NUMBER_TOO_LONG, STRING_TOO_LONG }

    private final Kind kind;

    Refused(Kind kind, String reason) {
      super(reason, null);
      this.kind = kind;
    }

    public Kind kind() {
      return kind;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this; // a client's mistake, not ours: no stack to capture
    }

    /** Not malformed JSON but a rule of this gateway: bytes that are not UTF-8, or a limit. */
    public boolean limit() {
      return kind != Kind.MALFORMED;
    }
  }
}
