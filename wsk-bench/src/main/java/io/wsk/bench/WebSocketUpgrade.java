package io.wsk.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The client side of the WebSocket handshake, as cheap as it can be: one pre-built upgrade request
 * shared by every connection, and a scan for the end of the {@code 101} response. A handshake
 * scenario opens thousands of connections a second from one core, and Netty's HTTP client codec
 * and handshaker (a key, a SHA-1 and a header map per connection) made the generator the limit.
 * The server's accept key is not checked: the generator trusts the server under test, and the
 * interop tests check the handshake with the official clients. Then {@link FrameReader} takes
 * over, with any frame bytes that came along with the response.
 */
final class WebSocketUpgrade extends ByteToMessageDecoder {

    private static final byte[] END_OF_HEADERS = {'\r', '\n', '\r', '\n'};
    private static final int MAX_RESPONSE_HEAD = 8192;

    private final ByteBuf request;
    private final FrameReader.Sink sink;

    WebSocketUpgrade(ByteBuf request, FrameReader.Sink sink) {
        this.request = request;
        this.sink = sink;
    }

    /** The upgrade request for {@code uri}, to share between connections (never released). */
    static ByteBuf request(URI uri) {
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String text = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: d3NrLWJlbmNoLWtleS0wMQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        return Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII).asReadOnly());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ctx.writeAndFlush(request.duplicate());
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        int end = ByteBufUtil.indexOf(Unpooled.wrappedBuffer(END_OF_HEADERS), in);
        if (end < 0) {
            if (in.readableBytes() > MAX_RESPONSE_HEAD) {
                throw new WebSocketHandshakeException("no end to the response head after " + MAX_RESPONSE_HEAD + " bytes");
            }
            return;
        }
        String statusLine = in.toString(in.readerIndex(), Math.min(end - in.readerIndex(), 64), StandardCharsets.US_ASCII);
        if (!statusLine.startsWith("HTTP/1.1 101")) {
            int lineEnd = statusLine.indexOf('\r');
            throw new WebSocketHandshakeException("upgrade refused: " + (lineEnd < 0 ? statusLine : statusLine.substring(0, lineEnd)));
        }
        in.readerIndex(end + END_OF_HEADERS.length);
        // The bytes left in this decoder go on to the reader that replaces it.
        ctx.pipeline().replace(this, "frame-reader", new FrameReader(sink));
    }
}
