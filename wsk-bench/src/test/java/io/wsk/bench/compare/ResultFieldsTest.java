package io.wsk.bench.compare;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResultFieldsTest {

    @Test
    void readsKeysAndNumbers() {
        ResultFields result = ResultFields.parse("RESULT scenario=fanout deliveries_per_s=123456 ratio=0.9990 stalled=false");
        assertThat(result.fields()).containsEntry("scenario", "fanout");
        assertThat(result.number("deliveries_per_s")).isEqualTo(123456);
        assertThat(result.number("ratio")).isEqualTo(0.999);
        assertThat(result.flag("stalled")).isFalse();
    }

    @Test
    void aMissingFieldSaysWhich() {
        ResultFields result = ResultFields.parse("RESULT scenario=echo");
        assertThatThrownBy(() -> result.number("acks_per_s")).hasMessageContaining("acks_per_s");
        assertThatThrownBy(() -> ResultFields.parse("opened 3 of 3")).isInstanceOf(IllegalArgumentException.class);
    }
}
