package io.wsk.engine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.wsk.protocol.EngineFrame;
import io.wsk.protocol.EnginePacketDecoder;
import io.wsk.protocol.EnginePacketType;
import io.wsk.protocol.InboundPacketHandler;
import io.wsk.protocol.PacketParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A session's WebSocket: one Engine.IO packet per frame, text frames as {@code <type><data>},
 * binary frames as binary messages. It is also the last handler of its channel, so an idle
 * WebSocket session costs this one object beyond Netty's own.
 *
 * <p>Frames arrive on the channel's loop; they are handed to the session on its loop (the same
 * loop, except for a WebSocket that upgraded a polling session started elsewhere).
 *
 * <p><b>Backpressure.</b> Frames are written only while the connection is writable (its outbound
 * buffer under Netty's high water mark); the rest waits in the session's bounded queue. While the
 * connection is not writable it is not read either, so a client that sends requests faster than
 * it reads the replies is slowed by its own TCP window, not served into the node's memory.
 */
final class WebSocketTransport extends ChannelInboundHandlerAdapter implements Transport, InboundPacketHandler {

    private static final Logger log = LoggerFactory.getLogger(WebSocketTransport.class);

    private final Channel channel;
    private final EngineSession session;
    private final boolean sameLoop;
    /** A close frame was sent or answered; written on either loop of an upgraded session. */
    private volatile boolean closing;
    /** What a closing connection will still read, other than the peer's close frame, before it is reset. */
    private static final int MAX_IGNORED_WHILE_CLOSING = 64 * 1024;
    /** Bytes read (and dropped) since this side sent or answered a close frame; on the channel's loop. */
    private int ignoredWhileClosing;
    /** In {@link #send}: a writability change fired by its own flush must not start another. */
    private boolean writing;

    WebSocketTransport(Channel channel, EngineSession session) {
        this.channel = channel;
        this.session = session;
        this.sameLoop = channel.eventLoop() == session.eventLoop();
    }

    @Override
    public TransportName name() {
        return TransportName.WEBSOCKET;
    }

    // ---- outbound, on the session's loop ----

    @Override
    public boolean isWritable() {
        return !closing && channel.isActive() && channel.isWritable();
    }

    @Override
    public boolean acceptsVolatile() {
        return channel.isWritable();
    }

    @Override
    public void send(OutboundQueue frames) {
        if (closing) {
            frames.clear(); // nothing may follow a close frame (RFC 6455 5.5.1)
            return;
        }
        if (writing) {
            return;
        }
        writing = true;
        long count = 0;
        long bytes = 0;
        try {
            // Flushing may make room at once (the socket took it all); then carry on.
            while (!frames.isEmpty() && channel.isWritable()) {
                do {
                    bytes += writeFrame(frames.poll());
                    count++;
                } while (!frames.isEmpty() && channel.isWritable());
                channel.flush();
            }
        } finally {
            writing = false;
            session.engine().stats().sent(count, bytes);
        }
    }

    /** Writes {@code frame} (without flushing) and returns its size on the wire. */
    private int writeFrame(EngineFrame frame) {
        ByteBuf bytes = wireBytes(frame);
        int size = bytes.readableBytes();
        channel.write(bytes, channel.voidPromise());
        frame.release();
        return size;
    }

    /** Sends one frame now, outside the session's buffer (the probe reply during an upgrade). */
    void sendDirect(EngineFrame frame) {
        channel.writeAndFlush(wireBytes(frame), channel.voidPromise());
    }

    /** The whole WebSocket frame, shared with every other recipient of the same packet. */
    private static ByteBuf wireBytes(EngineFrame frame) {
        return frame.framed(WebSocketFraming.INSTANCE).retainedDuplicate();
    }

    @Override
    public void close(Closing why, OutboundQueue pending, String reason) {
        if (!closing && channel.isActive()) {
            // A deliberate close sends what was queued before it, however full the buffer: the
            // queue is bounded, and the close deadline bounds how long it may take.
            EngineFrame frame;
            long count = 0;
            long bytes = 0;
            while ((frame = pending.poll()) != null) {
                bytes += writeFrame(frame);
                count++;
            }
            session.engine().stats().sent(count, bytes);
        } else {
            pending.clear();
        }
        close(EngineSession.REASON_SLOW_CLIENT.equals(reason)
                ? new CloseWebSocketFrame(WebSocketCloseStatus.POLICY_VIOLATION, reason)
                : new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE));
    }

    /** Closes the connection without a session reason (an aborted upgrade, a second WebSocket). */
    void close() {
        close(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE));
    }

    /** Sends a close frame, then waits for the peer's (see {@link #closeAfter}). */
    private void close(CloseWebSocketFrame frame) {
        if (closing) {
            frame.release();
            return;
        }
        closing = true;
        if (channel.isActive()) {
            // Read again if backpressure had stopped it: the peer's close frame is what we wait for.
            channel.config().setAutoRead(true);
            closeAfter(channel.writeAndFlush(frame), true);
        } else {
            frame.release();
        }
    }

    /**
     * Ends the connection after {@code lastWrite}, a close frame: at once when it answers the
     * peer's; else once the peer answers it (RFC 6455 7.1.1: the peer closes first), as a closed
     * socket would reset the connection under the peer's last reads. A peer that does not answer
     * within the close timeout, typically because it does not read, so the frame still sits
     * behind what it never read, is reset (SO_LINGER 0): a plain close would leave those bytes
     * to the kernel, for as long as the peer keeps its window shut.
     */
    private void closeAfter(ChannelFuture lastWrite, boolean awaitPeer) {
        if (!awaitPeer) {
            lastWrite.addListener(ChannelFutureListener.CLOSE);
        }
        long timeout = session.options().closeTimeoutMillis();
        channel.eventLoop().schedule(() -> {
            if (channel.isOpen()) {
                log.debug("websocket {}: reset, no close handshake within {} ms", session.id(), timeout);
                reset();
            }
        }, timeout, TimeUnit.MILLISECONDS);
    }

    /** Closes the connection with a reset, dropping whatever is still on its way either way. */
    private void reset() {
        if (!channel.isOpen()) {
            return; // frames of the same read still arriving after it
        }
        try {
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (ChannelException e) {
            // closed under us by the peer: closing is all that is left
        }
        channel.close();
    }

    @Override
    public void discard() {
        close();
    }

    // ---- inbound, on the channel's loop ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        WebSocketFrame frame = (WebSocketFrame) msg;
        try {
            if (closing && !(frame instanceof CloseWebSocketFrame)) {
                // Read only for the peer's close frame now. What an honest peer still had on its
                // way is little; a peer that keeps sending (a flood) is reset rather than read on.
                ignoredWhileClosing += frame.content().readableBytes();
                if (ignoredWhileClosing > MAX_IGNORED_WHILE_CLOSING) {
                    reset();
                }
                return;
            }
            if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
                session.engine().stats().received(frame.content().readableBytes());
                if (sameLoop) {
                    receive(frame);
                } else {
                    frame.retain();
                    session.eventLoop().execute(() -> {
                        try {
                            receive(frame);
                        } finally {
                            frame.release();
                        }
                    });
                }
            } else if (frame instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()), ctx.voidPromise());
            } else if (frame instanceof CloseWebSocketFrame close) {
                if (closing) {
                    // The answer to our close frame: the handshake is complete.
                    ctx.close();
                    return;
                }
                closing = true;
                // Echo the client's status code (RFC 6455 5.5.1); a close without one gets an empty close.
                int status = close.statusCode();
                CloseWebSocketFrame reply = status < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(status, null);
                closeAfter(ctx.writeAndFlush(reply), false);
            }
        } finally {
            frame.release();
        }
    }

    /** On the session's loop. */
    private void receive(WebSocketFrame frame) {
        if (frame instanceof BinaryWebSocketFrame) {
            session.receive(this, EnginePacketType.MESSAGE, frame.content(), true);
            return;
        }
        try {
            EnginePacketDecoder.decodeText(frame.content(), this);
        } catch (PacketParseException e) {
            session.receiveMalformed(this);
        }
    }

    @Override
    public void onPacket(EnginePacketType type, ByteBuf data, boolean binary) {
        session.receive(this, type, data, binary);
    }

    /**
     * Reads only while the connection can be written to (see the class comment); once it can,
     * the session's queue goes on where it stopped.
     */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = ctx.channel().isWritable();
        ctx.channel().config().setAutoRead(writable || closing);
        if (writable) {
            if (sameLoop) {
                session.flush();
            } else {
                session.eventLoop().execute(session::flush);
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (sameLoop) {
            session.transportClosed(this, EngineSession.REASON_TRANSPORT_CLOSE);
        } else {
            session.eventLoop().execute(() -> session.transportClosed(this, EngineSession.REASON_TRANSPORT_CLOSE));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException || cause instanceof CorruptedFrameException) {
            // The frame decoder has already sent the close frame (1009 too big, 1002 protocol error,
            // 1007 bad UTF-8); the session ends when the channel closes.
            log.debug("websocket {} rejected a frame: {}", session.id(), cause.toString());
        } else if (cause instanceof IOException) {
            log.debug("websocket {} I/O error: {}", session.id(), cause.toString());
        } else {
            session.engine().unexpectedErrors().record("websocket " + session.id(), cause);
        }
        ctx.close();
    }
}
