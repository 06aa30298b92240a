package dev.sluice.observe.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.store.requestlog.RequestQuery;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestLogParamsTest {

  private static RequestQuery parse(String name, String value) {
    return RequestLogParams.parse(MultiMap.caseInsensitiveMultiMap().add(name, value), RequestLogParams.ADMIN, "");
  }

  @ParameterizedTest
  @CsvSource({"429, 429, 429", "5xx, 500, 599", "error, 400, 599", "ERROR, 400, 599", "ok, 100, 399"})
  void statusIsOneCodeAClassOrOkOrError(String status, int from, int to) {
    RequestQuery q = parse("status", status);
    assertThat(q.statusFrom()).isEqualTo(from);
    assertThat(q.statusTo()).isEqualTo(to);
  }

  @Test
  void anyOtherStatusIsABadParamThatSaysWhatIsAccepted() {
    assertThatThrownBy(() -> parse("status", "failed")).isInstanceOf(RequestLogParams.BadParam.class)
        .hasMessageContaining("error").hasMessageContaining("5xx")
        .satisfies(e -> assertThat(((RequestLogParams.BadParam) e).param).isEqualTo("status"));
  }
}
