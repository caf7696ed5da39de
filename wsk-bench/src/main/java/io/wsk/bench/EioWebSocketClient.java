package io.wsk.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Many raw Engine.IO v4 WebSocket connections from one process. The WebSocket handshake and frame
 * reading ({@link WebSocketUpgrade}, {@link FrameReader}) and the Engine.IO part (open packet
 * {@code 0}, answer ping {@code 2} with pong {@code 3}) are written here by hand, independent of
 * the server's code, so a server bug cannot hide behind a shared codec, and lean, so the generator
 * is not what a run measures. Netty's encoder masks the client's frames. Public for {@code abuse},
 * which holds thousands of connections with it.
 */
public final class EioWebSocketClient implements AutoCloseable {

    /** Told once per connection when its Engine.IO open packet arrived, or when it failed. */
    public interface Events {
        void opened(Channel channel);

        void failed(Throwable cause);

        /** A text frame other than the handshake and pings; {@code frame} is only valid during the call. */
        default void message(Channel channel, ByteBuf frame) {
        }

        /**
         * The frames of one read were all handed to {@link #message}: a scenario that answers with
         * {@code write} (not {@code writeAndFlush}) flushes here, once per read, as a server would.
         */
        default void readComplete(Channel channel) {
        }
    }

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final URI uri;

    EioWebSocketClient(URI uri, int threads, Events events) {
        this(uri, threads, null, events);
    }

    /**
     * {@code namespace}: when not {@code null}, each connection then joins that Socket.IO
     * namespace ({@code 40}, or {@code 40/nsp,}) and counts as opened on the CONNECT reply.
     */
    public EioWebSocketClient(URI uri, int threads, String namespace, Events events) {
        this.uri = uri;
        ByteBuf upgradeRequest = WebSocketUpgrade.request(uri);
        boolean epoll = Epoll.isAvailable();
        this.group = epoll ? new EpollEventLoopGroup(threads) : new NioEventLoopGroup(threads);
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // Outbound: client frames must be masked. Inbound: the upgrade, then frames.
                        EioHandler eio = new EioHandler(events, namespace);
                        ch.pipeline().addLast(new WebSocket13FrameEncoder(true), new WebSocketUpgrade(upgradeRequest, eio), eio);
                    }
                });
        if (epoll) {
            // Connections bind a source address before connecting. Without this the kernel picks
            // the port at bind time, not knowing the destination: it cannot reuse ports still in
            // TIME_WAIT from an earlier run and scans for a free one, which made a second run of
            // 15,000 handshakes crawl at 600/s with the generator's core in the kernel.
            bootstrap.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
        }
    }

    /** Opens one connection from {@code source}; the outcome reaches {@link Events}. */
    public void connect(InetSocketAddress source, Consumer<Throwable> connectFailure) {
        ChannelFuture future = bootstrap.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), source);
        future.addListener(f -> {
            if (!f.isSuccess()) {
                connectFailure.accept(f.cause());
            }
        });
    }

    /** Runs {@code task} on one of the client's event loops. */
    public void execute(Runnable task) {
        group.next().execute(task);
    }

    /** Closes every connection now: a finished scenario has nothing left to send, so no quiet period (Netty's is 2 s). */
    @Override
    public void close() {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * The Engine.IO (and Socket.IO CONNECT) side of one connection: {@link FrameReader} calls
     * {@link #text} straight from the received bytes once {@link WebSocketUpgrade} is through.
     */
    private static final class EioHandler extends ChannelInboundHandlerAdapter implements FrameReader.Sink {
        private final Events events;
        /** The Socket.IO CONNECT to send after the Engine.IO open, or {@code null} for raw Engine.IO. */
        private final String connectPacket;
        /** Until the session (and namespace) opened, frames are handshake; after it, traffic. */
        private boolean opened;
        /** A connection's failure is told once. */
        private boolean failed;

        EioHandler(Events events, String namespace) {
            this.events = events;
            this.connectPacket = namespace == null ? null : "/".equals(namespace) ? "40" : "40" + namespace + ",";
        }

        /** Writes go through the channel: {@code ctx} may be the reader's, ahead of the frame encoder. */
        @Override
        public void text(ChannelHandlerContext ctx, ByteBuf data) {
            Channel channel = ctx.channel();
            if (!opened) {
                String text = data.toString(StandardCharsets.UTF_8);
                if (text.startsWith("0{")) {
                    if (connectPacket == null) {
                        opened(channel);
                    } else {
                        channel.writeAndFlush(new TextWebSocketFrame(connectPacket));
                    }
                } else if (connectPacket != null && text.startsWith(connectPacket) && text.contains("\"sid\"")) {
                    opened(channel);
                }
                return;
            }
            if (data.readableBytes() == 1 && data.getByte(data.readerIndex()) == '2') {
                channel.writeAndFlush(new TextWebSocketFrame("3"));
            } else {
                events.message(channel, data);
            }
        }

        @Override
        public void readComplete(ChannelHandlerContext ctx) {
            if (opened) {
                events.readComplete(ctx.channel());
            }
        }

        private void opened(Channel channel) {
            opened = true;
            events.opened(channel);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (!opened) {
                fail(new IOException("connection closed before the session opened"));
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause);
            ctx.close();
        }

        private void fail(Throwable cause) {
            if (!failed) {
                failed = true;
                events.failed(cause);
            }
        }
    }
}
