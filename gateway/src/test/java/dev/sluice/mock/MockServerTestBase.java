package dev.sluice.mock;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** One Vert.x per test class; a fresh mock (seed 42, no faults) and client per test. */
abstract class MockServerTestBase {

  static Vertx vertx;
  MockUpstream mock;
  MockHttp http;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    MockHttp.await(vertx.close());
  }

  @BeforeEach
  void startMock() {
    mock = start(MockUpstreamOptions.builder().seed(42L).build());
    http = new MockHttp(vertx, mock.baseUrl());
  }

  @AfterEach
  void stopMock() {
    http.close();
    MockHttp.await(mock.close());
  }

  static MockUpstream start(MockUpstreamOptions options) {
    return MockHttp.await(MockUpstream.start(vertx, options));
  }

  static String chatBody(String userText, boolean stream) {
    return "{\"model\":\"gpt-test\",\"stream\":" + stream + ",\"messages\":["
        + "{\"role\":\"system\",\"content\":\"be brief\"},"
        + "{\"role\":\"user\",\"content\":\"" + userText + "\"}]}";
  }

  static String anthropicBody(String userText, boolean stream) {
    return "{\"model\":\"claude-test\",\"max_tokens\":100,\"stream\":" + stream
        + ",\"system\":\"be brief\",\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"" + userText + "\"}]}]}";
  }

  static String geminiBody(String userText) {
    return "{\"systemInstruction\":{\"parts\":[{\"text\":\"be brief\"}]},"
        + "\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"" + userText + "\"}]}]}";
  }
}
