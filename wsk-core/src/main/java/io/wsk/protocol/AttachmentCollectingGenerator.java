package io.wsk.protocol;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON generator that writes binary values as Socket.IO placeholders
 * ({@code {"_placeholder":true,"num":N}}) and keeps their bytes as attachments.
 *
 * <p>Jackson routes every binary value through {@code writeBinary}: {@code BinaryNode}s,
 * {@code byte[]} and {@code ByteBuffer} fields, {@code TokenBuffer} replays (through
 * {@link #writeEmbeddedObject}). Catching them here finds the attachments in the same pass that
 * writes the JSON, with no separate walk over the data, and works for trees and POJOs alike.
 *
 * <p>Numbers follow the order the values are written: depth first, arrays in order, object fields
 * in their serialization order. One difference from the reference encoder, on purpose: the same
 * {@code byte[]} written again (same array, whole) reuses its number instead of becoming another
 * attachment. A decoded packet shares one array among all placeholders naming the same
 * attachment, so without this an echo of {@code [p0, p0, p0, ...]} would multiply the attachment's
 * size by the number of references. Repeated numbers are valid: the reference decoder looks
 * each placeholder up by its number.
 *
 * <p>Attachment bytes are copied into buffers from the allocator: the encoded packet is sent
 * later, possibly to many sessions, and must not see later changes to the caller's arrays.
 */
final class AttachmentCollectingGenerator extends JsonGeneratorDelegate {

    private static final SerializableString PLACEHOLDER = new SerializedString("_placeholder");
    private static final SerializableString NUM = new SerializedString("num");

    private final ByteBufAllocator alloc;
    private List<ByteBuf> attachments;
    /** Number already given to a whole {@code byte[]}, by identity. */
    private Map<byte[], Integer> numbers;

    AttachmentCollectingGenerator(JsonGenerator json, ByteBufAllocator alloc) {
        super(json, false);
        this.alloc = alloc;
    }

    /** The attachments, by number; empty when the data held no binary value. */
    List<ByteBuf> attachments() {
        return attachments == null ? List.of() : attachments;
    }

    /** Releases what was collected, when encoding fails before the frames own the buffers. */
    void releaseAttachments() {
        if (attachments != null) {
            attachments.forEach(ByteBuf::release);
            attachments.clear();
        }
    }

    @Override
    public void writeBinary(Base64Variant variant, byte[] data, int offset, int len) throws IOException {
        boolean whole = offset == 0 && len == data.length;
        Integer known = whole && numbers != null ? numbers.get(data) : null;
        if (known != null) {
            writePlaceholder(known);
            return;
        }
        ByteBuf copy = alloc.buffer(len);
        copy.writeBytes(data, offset, len);
        int num = add(copy);
        if (whole) {
            if (numbers == null) {
                numbers = new IdentityHashMap<>();
            }
            numbers.put(data, num);
        }
        writePlaceholder(num);
    }

    @Override
    public int writeBinary(Base64Variant variant, InputStream data, int dataLength) throws IOException {
        ByteBuf copy = alloc.buffer(dataLength >= 0 ? dataLength : 256);
        try {
            if (dataLength >= 0) {
                while (copy.readableBytes() < dataLength) {
                    if (copy.writeBytes(data, dataLength - copy.readableBytes()) < 0) {
                        throw new IOException("binary stream ended after " + copy.readableBytes()
                                + " of " + dataLength + " bytes");
                    }
                }
            } else {
                while (copy.writeBytes(data, Math.max(copy.writableBytes(), 4096)) >= 0) {
                    // until the end of the stream
                }
            }
        } catch (IOException | RuntimeException e) {
            copy.release();
            throw e;
        }
        writePlaceholder(add(copy));
        return copy.readableBytes();
    }

    /** A {@code TokenBuffer} replays binary values as embedded objects. */
    @Override
    public void writeEmbeddedObject(Object object) throws IOException {
        if (object instanceof byte[] bytes) {
            writeBinary(bytes);
        } else {
            super.writeEmbeddedObject(object);
        }
    }

    private int add(ByteBuf attachment) {
        if (attachments == null) {
            attachments = new ArrayList<>(2);
        }
        attachments.add(attachment);
        return attachments.size() - 1;
    }

    private void writePlaceholder(int num) throws IOException {
        delegate.writeStartObject();
        delegate.writeFieldName(PLACEHOLDER);
        delegate.writeBoolean(true);
        delegate.writeFieldName(NUM);
        delegate.writeNumber(num);
        delegate.writeEndObject();
    }
}
