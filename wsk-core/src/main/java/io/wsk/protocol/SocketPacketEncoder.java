package io.wsk.protocol;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes Socket.IO v5 packets into the Engine.IO frames that carry them: one text message
 * ({@code 4} + type, {@code <attachments>-} for binary packets, {@code <nsp>,} unless the namespace
 * is {@code /}, the ack id, compact JSON), then one binary message per attachment.
 *
 * <p>This sits on the broadcast path, where a packet is encoded once and shared by every
 * recipient, so it makes a single pass: the header goes straight into the output buffer, Jackson
 * serializes the data behind it, and binary values are swapped for placeholders while they are
 * written (see {@link AttachmentCollectingGenerator}). Only when attachments turned up is the
 * header changed into the binary form, in place: the buffer starts with a few spare bytes so that
 * {@code 5<n>-} fits in front of the namespace without moving anything.
 *
 * <p>Callers pass EVENT or ACK; the encoder picks BINARY_EVENT or BINARY_ACK when the data holds
 * binary values (and the other way round: a binary type without binary data is sent plain). Other
 * packet types never carry attachments: binary values in them come out as Jackson writes them,
 * base64 strings. Data shapes are not checked: the server builds them.
 *
 * <p>Thread-safe: it holds only an {@link ObjectWriter}, taken from the mapper at construction.
 */
public final class SocketPacketEncoder {

    /**
     * Spare bytes before the header, enough for the attachment count of a binary packet: up to
     * ten digits and the {@code -}.
     */
    private static final int HEADER_ROOM = 11;
    private static final int INITIAL_CAPACITY = 256;

    private final ObjectWriter writer;

    /**
     * The mapper should be fully configured. Some of its settings are overridden to write what
     * {@code JSON.stringify} writes: no pretty printing, characters outside the BMP as their four
     * UTF-8 bytes rather than as an escaped surrogate pair, and lower case hex digits in the
     * escapes of control characters and lone surrogates.
     */
    public SocketPacketEncoder(ObjectMapper mapper) {
        this.writer = mapper.writer()
                .without(SerializationFeature.INDENT_OUTPUT)
                .with(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                .without(JsonWriteFeature.WRITE_HEX_UPPER_CASE);
    }

    public EncodedPacket encode(SocketPacket packet, ByteBufAllocator alloc) {
        return encode(packet.type(), packet.nsp(), packet.id(), packet.data(), alloc);
    }

    /**
     * Encodes a packet whose data is any value Jackson can write: a {@link JsonNode}, a POJO, a
     * {@code List} or {@code Object[]} of arguments. {@code byte[]}, {@code ByteBuffer} and
     * {@code BinaryNode} values anywhere in it become attachments of an EVENT or ACK.
     *
     * @param nsp  the namespace; {@code null}, empty and {@code "/"} all mean the main one
     * @param id   the ack id, or {@link SocketPacket#NO_ID}
     * @param data the payload; {@code null} or a JSON null for none
     * @throws IllegalArgumentException when Jackson cannot serialize {@code data}
     */
    public EncodedPacket encode(SocketPacketType type, String nsp, long id, Object data, ByteBufAllocator alloc) {
        SocketPacketType plain = type.plain();
        boolean mayCarryBinary = plain == SocketPacketType.EVENT || plain == SocketPacketType.ACK;
        ByteBuf text = alloc.buffer(INITIAL_CAPACITY);
        AttachmentCollectingGenerator collector = null;
        try {
            text.setIndex(HEADER_ROOM, HEADER_ROOM);
            text.writeByte(EnginePacketType.MESSAGE.digit());
            text.writeByte(plain.digit());
            if (nsp != null && !nsp.isEmpty() && !"/".equals(nsp)) {
                ByteBufUtil.writeUtf8(text, nsp);
                text.writeByte(',');
            }
            if (id >= 0) {
                ByteBufUtil.writeAscii(text, Long.toString(id));
            }
            if (hasPayload(data)) {
                collector = writeJson(text, data, mayCarryBinary, alloc);
            }
        } catch (RuntimeException e) {
            text.release();
            throw e;
        }
        List<ByteBuf> attachments = collector == null ? List.of() : collector.attachments();
        if (attachments.isEmpty()) {
            return new EncodedPacket(EngineFrame.encodedMessage(text), List.of());
        }
        markBinary(text, plain, attachments.size());
        List<EngineFrame> frames = new ArrayList<>(attachments.size());
        for (ByteBuf attachment : attachments) {
            frames.add(EngineFrame.binaryMessage(attachment));
        }
        return new EncodedPacket(EngineFrame.encodedMessage(text), frames);
    }

    private static boolean hasPayload(Object data) {
        return data != null && !(data instanceof JsonNode node && (node.isNull() || node.isMissingNode()));
    }

    /**
     * Appends the JSON of {@code data}; returns the generator that collected attachments, or
     * {@code null} when binary values were written as plain JSON.
     */
    private AttachmentCollectingGenerator writeJson(ByteBuf out, Object data, boolean collect, ByteBufAllocator alloc) {
        AttachmentCollectingGenerator collector = null;
        try (JsonGenerator json = writer.createGenerator(new ByteBufOutputStream(out), JsonEncoding.UTF8)) {
            JsonGenerator target = json;
            if (collect) {
                target = collector = new AttachmentCollectingGenerator(json, alloc);
            }
            writer.writeValue(target, data);
            return collector;
        } catch (IOException e) {
            if (collector != null) {
                collector.releaseAttachments();
            }
            throw new IllegalArgumentException("cannot serialize packet data: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (collector != null) {
                collector.releaseAttachments();
            }
            throw e;
        }
    }

    /**
     * Turns the header {@code 4<type>...} that starts at {@link #HEADER_ROOM} into
     * {@code 4<binary type><n>-...}, writing into the spare bytes before it.
     */
    private static void markBinary(ByteBuf text, SocketPacketType plain, int attachments) {
        SocketPacketType binary = plain == SocketPacketType.EVENT
                ? SocketPacketType.BINARY_EVENT
                : SocketPacketType.BINARY_ACK;
        int digits = decimalLength(attachments);
        int start = HEADER_ROOM - digits - 1;
        text.setByte(start, EnginePacketType.MESSAGE.digit());
        text.setByte(start + 1, binary.digit());
        int dash = HEADER_ROOM + 1;
        text.setByte(dash, '-');
        int n = attachments;
        for (int i = dash - 1; i >= start + 2; i--) {
            text.setByte(i, '0' + n % 10);
            n /= 10;
        }
        text.readerIndex(start);
    }

    private static int decimalLength(int n) {
        int length = 1;
        while (n >= 10) {
            n /= 10;
            length++;
        }
        return length;
    }
}
