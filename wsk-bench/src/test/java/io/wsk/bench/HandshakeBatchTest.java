package io.wsk.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HandshakeBatch} against a stand-in Engine.IO server (Netty's WebSocket server, answering
 * the open packet and the namespace CONNECT): the count, the in-flight bound, and failures.
 */
class HandshakeBatchTest {

    private final EventLoopGroup serverLoop = new NioEventLoopGroup(1);
    /** Handshakes the stand-in server has under way (upgraded, CONNECT not yet answered), and the most at once. */
    private final AtomicInteger underWay = new AtomicInteger();
    private final AtomicInteger mostUnderWay = new AtomicInteger();
    private final AtomicInteger connects = new AtomicInteger();
    private Channel server;

    @BeforeEach
    void startServer() throws InterruptedException {
        server = new ServerBootstrap().group(serverLoop).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                                new WebSocketServerProtocolHandler("/socket.io/", null, false, 65536, false, true),
                                new StandInEngineIo());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    @AfterEach
    void stopServer() {
        server.close().syncUninterruptibly();
        serverLoop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void opensEveryConnectionWithAtMostInFlightHandshakesUnderWay() throws Exception {
        HandshakeBatch batch = new HandshakeBatch(200, new SourceAddresses(2, 2));
        try (EioWebSocketClient client = new EioWebSocketClient(url(port()), 1, "/", batch)) {
            batch.start(client, 5);
            assertThat(batch.await(Duration.ofSeconds(20))).isTrue();
        }
        assertThat(batch.opened()).isEqualTo(200);
        assertThat(batch.failed()).isZero();
        assertThat(connects.get()).isEqualTo(200);
        assertThat(mostUnderWay.get()).isBetween(1, 5);
        assertThat(batch.seconds()).isPositive();
    }

    @Test
    void countsFailedConnectsAndStillEnds() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        HandshakeBatch batch = new HandshakeBatch(20, new SourceAddresses(2, 1));
        try (EioWebSocketClient client = new EioWebSocketClient(url(closedPort), 1, "/", batch)) {
            batch.start(client, 4);
            assertThat(batch.await(Duration.ofSeconds(20))).isTrue();
        }
        assertThat(batch.opened()).isZero();
        assertThat(batch.failed()).isEqualTo(20);
        assertThat(batch.firstFailure()).isNotNull();
    }

    private int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private static URI url(int port) {
        return URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket");
    }

    /** The Engine.IO open packet once upgraded; the namespace CONNECT answered with a sid. */
    private final class StandInEngineIo extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                mostUnderWay.accumulateAndGet(underWay.incrementAndGet(), Math::max);
                ctx.writeAndFlush(new TextWebSocketFrame(
                        "0{\"sid\":\"s\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}"));
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            if (frame.text().equals("40")) {
                connects.incrementAndGet();
                underWay.decrementAndGet();
                ctx.writeAndFlush(new TextWebSocketFrame("40{\"sid\":\"n\"}"));
            }
        }
    }
}
