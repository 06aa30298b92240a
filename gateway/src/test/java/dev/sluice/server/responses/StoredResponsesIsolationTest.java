package dev.sluice.server.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Json;
import dev.sluice.store.StoredResponseRow;
import dev.sluice.testing.Await;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.KeysApi;
import dev.sluice.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import dev.sluice.config.ConfigLoader;
import dev.sluice.testing.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stored responses belong to the client key that created them, end to end over real sockets: the
 * creator reads, lists and deletes them; any other key gets the same 404 as for an id nobody stored,
 * and the fake OpenAI is never asked for it; the owner survives a restart on the same SQLite file;
 * {@code store: false} and translated answers record nothing.
 */
class StoredResponsesIsolationTest {
  static final String KEY_B = "sk-test-other-key-456";

  @RegisterExtension
  final FakeUpstream openai = new FakeUpstream();

  @TempDir
  Path dir;

  private static String stored(String id) {
    return """
        {"id":"%s","object":"response","created_at":1741476542,"status":"completed","model":"gpt-4.1","output":[
         {"type":"message","id":"msg_1","status":"completed","role":"assistant",
          "content":[{"type":"output_text","text":"Hi.","annotations":[]}]}],"store":true,
         "usage":{"input_tokens":3,"output_tokens":2,"total_tokens":5}}""".formatted(id);
  }

  private TestGateway gateway() throws Exception {
    return TestGateway.start(config("sk-openai-secret-0123456789"));
  }

  private String config(String openAiKey) {
    return """
        server: { host: 127.0.0.1, master_key: %s }
        store: { url: "sqlite:%s" }
        providers:
          - { name: oai, type: openai, base_url: "%s", api_key: %s }
        models:
          - name: gpt
            targets: [ { provider: oai, model: gpt-4.1 } ]
        keys:
          - { key: %s, name: alice }
          - { key: %s, name: bob }
        """.formatted(KeysApi.MASTER, dir.resolve("owners.db"), openai.baseUrl(), openAiKey, TestGateway.KEY, KEY_B);
  }

  /** OpenAI's side: creates (whole or streamed) with the id the test names in the input, and holds every id. */
  private void fakeOpenAi() {
    openai.dispatch(r -> {
      if (r.method().equals("POST")) {
        JsonNode body = r.json();
        String id = body.path("input").asText();
        if (body.path("stream").asBoolean()) {
          return FakeResponse.sse(List.of(
              "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\""
                  + id + "\",\"object\":\"response\",\"status\":\"in_progress\",\"output\":[]}}",
              "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":1,\"response\":{\"id\":\""
                  + id + "\",\"object\":\"response\",\"status\":\"completed\",\"output\":[],\"usage\":{\"input_tokens\":5,"
                  + "\"output_tokens\":1,\"total_tokens\":6}}}"));
        }
        return FakeResponse.json(200, stored(id));
      }
      String id = r.uri().replaceFirst("^/v1/responses/", "").replaceFirst("[/?].*$", "");
      if (r.method().equals("DELETE")) {
        return FakeResponse.json(200, "{\"id\":\"" + id + "\",\"object\":\"response.deleted\",\"deleted\":true}");
      }
      return r.uri().contains("/input_items") ? FakeResponse.json(200, "{\"object\":\"list\",\"data\":[]}")
          : FakeResponse.json(200, stored(id));
    });
  }

  @Test
  void onlyTheCreatingKeyReadsListsAndDeletesItsStoredResponse() throws Exception {
    fakeOpenAi();
    try (TestGateway gw = gateway()) {
      assertThat(gw.post("/v1/responses", "{\"model\":\"gpt\",\"input\":\"resp_alice1\",\"store\":true}").statusCode())
          .isEqualTo(200);
      awaitRecorded(gw, "resp_alice1");
      int asked = openai.requestCount();

      for (String path : List.of("/v1/responses/resp_alice1", "/v1/responses/resp_alice1/input_items")) {
        assertNotFound(call(gw, "GET", path, KEY_B), "resp_alice1");
      }
      assertNotFound(call(gw, "DELETE", "/v1/responses/resp_alice1", KEY_B), "resp_alice1");
      assertThat(openai.requestCount()).as("another key's id never reaches OpenAI").isEqualTo(asked);
      assertNotFound(call(gw, "GET", "/v1/responses/resp_nobody", KEY_B), "resp_nobody"); // same answer

      HttpResponse<String> got = call(gw, "GET", "/v1/responses/resp_alice1", TestGateway.KEY);
      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(got.body()).isEqualTo(stored("resp_alice1"));
      assertThat(got.headers().firstValue("x-sluice-provider")).contains("oai");
      assertThat(call(gw, "GET", "/v1/responses/resp_alice1/input_items?limit=2", TestGateway.KEY).body())
          .isEqualTo("{\"object\":\"list\",\"data\":[]}");
      assertThat(call(gw, "DELETE", "/v1/responses/resp_alice1", TestGateway.KEY).statusCode()).isEqualTo(200);

      // Deleted: the row went with it, so even its creator now gets the 404 without OpenAI being asked.
      Await.until("row removed", () -> Await.await(gw.gateway().store().storedResponses().find("resp_alice1")).isEmpty(),
          Duration.ofSeconds(15));
      int before = openai.requestCount();
      assertNotFound(call(gw, "GET", "/v1/responses/resp_alice1", TestGateway.KEY), "resp_alice1");
      assertThat(openai.requestCount()).isEqualTo(before);
    }
  }

  @Test
  void afterAReloadThatRotatesTheOpenAiKeyAStoredResponseIsReadWithTheNewKey() throws Exception {
    fakeOpenAi();
    try (TestGateway gw = gateway()) {
      assertThat(gw.post("/v1/responses", "{\"model\":\"gpt\",\"input\":\"resp_rotated\",\"store\":true}")
          .statusCode()).isEqualTo(200);
      awaitRecorded(gw, "resp_rotated");
      Path file = dir.resolve("sluice.yaml");
      Files.writeString(file, config("sk-openai-rotated-9876543210"));
      String store = gw.gateway().config().storeUrl();
      gw.gateway().configFile(file, new ConfigLoader(Map.<String, String>of()::get),
          c -> c.withPort(0).withStoreUrl(store));
      HttpResponse<String> reloaded = gw.http().send(HttpRequest.newBuilder(URI.create(gw.url("/admin/config/reload")))
          .header("authorization", "Bearer " + KeysApi.MASTER).POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);

      assertThat(call(gw, "GET", "/v1/responses/resp_rotated", TestGateway.KEY).statusCode()).isEqualTo(200);
      List<RecordedRequest> seen = openai.received();
      assertThat(seen.get(seen.size() - 1).header("authorization"))
          .as("the stored response is read through the reloaded provider").isEqualTo("Bearer sk-openai-rotated-9876543210");
    }
  }

  @Test
  void aStreamedCreationIsRecordedAndTheOwnerSurvivesARestart() throws Exception {
    fakeOpenAi();
    try (TestGateway gw = gateway()) {
      HttpResponse<String> res = gw.post("/v1/responses", "{\"model\":\"gpt\",\"input\":\"resp_bobs\",\"stream\":true,"
          + "\"tools\":[{\"type\":\"web_search\"}]}"); // store absent: OpenAI stores by default
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(res.body()).contains("response.completed");
      StoredResponseRow row = awaitRecorded(gw, "resp_bobs");
      assertThat(row.provider()).isEqualTo("oai");
    }
    try (TestGateway gw = gateway()) { // same SQLite file
      assertThat(call(gw, "GET", "/v1/responses/resp_bobs", TestGateway.KEY).statusCode()).isEqualTo(200);
      assertNotFound(call(gw, "GET", "/v1/responses/resp_bobs", KEY_B), "resp_bobs");
    }
  }

  @Test
  void aResponseOpenAiDoesNotStoreIsNotRecorded() throws Exception {
    fakeOpenAi();
    try (TestGateway gw = gateway()) {
      assertThat(gw.post("/v1/responses", "{\"model\":\"gpt\",\"input\":\"resp_unkept\",\"store\":false,"
          + "\"tools\":[{\"type\":\"web_search\"}]}").statusCode()).isEqualTo(200);
      assertThat(gw.post("/v1/responses", "{\"model\":\"gpt\",\"input\":\"resp_kept\",\"store\":true}").statusCode())
          .isEqualTo(200);
      awaitRecorded(gw, "resp_kept"); // recorded after the unkept one was answered (and passed over)
      assertThat(Await.await(gw.gateway().store().storedResponses().find("resp_unkept"))).isEmpty();
      assertNotFound(call(gw, "GET", "/v1/responses/resp_unkept", TestGateway.KEY), "resp_unkept");
    }
  }

  private static StoredResponseRow awaitRecorded(TestGateway gw, String id) {
    StoredResponseRow[] found = new StoredResponseRow[1];
    Await.until(id + " recorded", () -> {
      Optional<StoredResponseRow> r = Await.await(gw.gateway().store().storedResponses().find(id));
      found[0] = r.orElse(null);
      return r.isPresent();
    }, Duration.ofSeconds(15));
    return found[0];
  }

  private static HttpResponse<String> call(TestGateway gw, String method, String path, String key) throws Exception {
    return gw.http().send(HttpRequest.newBuilder(URI.create(gw.url(path))).timeout(Duration.ofSeconds(20))
        .header("authorization", "Bearer " + key).method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void assertNotFound(HttpResponse<String> res, String id) throws Exception {
    assertThat(res.statusCode()).isEqualTo(404);
    JsonNode error = Json.MAPPER.readTree(res.body()).path("error");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("message").asText()).isEqualTo("Response with id '" + id + "' not found.");
  }
}
