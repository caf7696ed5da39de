package io.wsk.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class FrameFieldsTest {

    private static final byte[] BROADCAST = FrameFields.bytes("42[\"b\"");
    private static final byte[] SEQUENCE = FrameFields.bytes("\"s\":");
    private static final byte[] TIME = FrameFields.bytes("\"t\":");

    private static ByteBuf frame(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    @Test
    void readsTheFieldsOfABroadcastFromTheFrameSliceOnly() {
        // The slice starts inside a bigger buffer, as FrameReader hands payloads over.
        ByteBuf wire = frame("\u0081\u002042[\"b\",{\"room\":\"fan\",\"s\":17,\"t\":123456789,\"p\":\"xx\"}]\"s\":99");
        ByteBuf payload = wire.slice(2, wire.readableBytes() - 2 - 6);

        FrameFields fields = FrameFields.of(payload);

        assertThat(fields.startsWith(BROADCAST)).isTrue();
        assertThat(fields.number(SEQUENCE, BROADCAST.length)).isEqualTo(17);
        assertThat(fields.number(TIME, BROADCAST.length)).isEqualTo(123456789);
    }

    @Test
    void aMissingKeyOrAKeyWithoutDigitsIsMinusOne() {
        FrameFields fields = FrameFields.of(frame("42[\"b\",{\"s\":\"x\",\"u\":5}]"));

        assertThat(fields.number(TIME, 0)).isEqualTo(-1);
        assertThat(fields.number(SEQUENCE, 0)).isEqualTo(-1);
    }

    @Test
    void aKeyBeforeTheStartOffsetIsNotSeen() {
        FrameFields fields = FrameFields.of(frame("\"t\":1,\"t\":2"));

        assertThat(fields.number(TIME, 1)).isEqualTo(2);
    }

    @Test
    void aFrameLongerThanTheFirstArrayIsReadWhole() {
        String pad = "p".repeat(5000);
        FrameFields fields = FrameFields.of(frame("42[\"b\",{\"p\":\"" + pad + "\",\"t\":42}]"));

        assertThat(fields.number(TIME, 0)).isEqualTo(42);
    }

    @Test
    void aShorterFrameAfterALongerOneDoesNotSeeTheOldBytes() {
        FrameFields.of(frame("43[{\"t\":777}]"));
        FrameFields fields = FrameFields.of(frame("43"));

        assertThat(fields.number(TIME, 0)).isEqualTo(-1);
        assertThat(fields.startsWith(FrameFields.bytes("43["))).isFalse();
    }

    @Test
    void readsAckIds() {
        assertThat(FrameFields.of(frame("4312[{\"t\":1}]")).ackId()).isEqualTo(12);
        assertThat(FrameFields.of(frame("43[]")).ackId()).isEqualTo(-1);
        assertThat(FrameFields.of(frame("42[\"b\"]")).ackId()).isEqualTo(-1);
        assertThat(FrameFields.of(frame("4")).ackId()).isEqualTo(-1);
    }
}
