package io.wsk.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The same JSON reads to the same tree whichever way the reader gets at the bytes: in place from
 * a heap buffer's array, from a per-thread copy (direct buffers up to
 * {@link PayloadReader#SCRATCH_BYTES}), or streamed (larger direct buffers).
 */
class PayloadReaderTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final PayloadReader reader = new PayloadReader(mapper, 32);

    @Test
    void smallDirectPayloadReadsLikeTheHeapOne() throws Exception {
        String json = "[\"chat\",{\"from\":\"ana\",\"text\":\"olá, 世界\",\"n\":42,\"ok\":true}]";
        assertThat(read(direct(json), json)).isEqualTo(read(heap(json), json)).isEqualTo(mapper.readTree(json));
    }

    @Test
    void directPayloadsAroundTheCopyLimitReadWhole() throws Exception {
        for (int size : new int[] {PayloadReader.SCRATCH_BYTES - 1, PayloadReader.SCRATCH_BYTES,
                PayloadReader.SCRATCH_BYTES + 1, 3 * PayloadReader.SCRATCH_BYTES}) {
            String json = stringArrayOfLength(size);
            assertThat(json.getBytes(StandardCharsets.UTF_8)).hasSize(size);
            assertThat(read(direct(json), json)).as("%d bytes", size).isEqualTo(mapper.readTree(json));
        }
    }

    @Test
    void aReadAfterAFailedOneSeesOnlyItsOwnBytes() throws Exception {
        String broken = "[\"a\",{\"long\":\"" + "x".repeat(500) + "\"";
        assertThatThrownBy(() -> read(direct(broken), broken)).isInstanceOf(PacketParseException.class);
        String json = "[\"b\"]";
        assertThat(read(direct(json), json)).isEqualTo(mapper.readTree(json));
    }

    @Test
    void readsOnlyTheGivenRangeOfTheBuffer() throws Exception {
        String json = "{\"k\":[1,2,3]}";
        ByteBuf buf = direct("42" + json + "trailing");
        try {
            assertThat(reader.read(buf, 2, json.length(), null)).isEqualTo(mapper.readTree(json));
        } finally {
            buf.release();
        }
    }

    private JsonNode read(ByteBuf buf, String json) throws PacketParseException {
        try {
            return reader.read(buf, buf.readerIndex(), buf.readableBytes(), null);
        } finally {
            buf.release();
        }
    }

    private static String stringArrayOfLength(int size) {
        return "[\"" + "y".repeat(size - 4) + "\"]";
    }

    private static ByteBuf direct(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = Unpooled.directBuffer(bytes.length);
        assertThat(buf.hasArray()).isFalse();
        return buf.writeBytes(bytes);
    }

    private static ByteBuf heap(String text) {
        return Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8));
    }
}
