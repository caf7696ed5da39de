package io.wsk.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.util.function.Consumer;

/**
 * What the transports of one client share: its I/O thread, the server's address, the options,
 * and how a TCP (or TLS) connection to the server is made.
 */
final class TransportContext {

    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    /**
     * Unpooled buffers for everything the client allocates. Netty's pooled allocator gives each
     * event-loop thread a buffer cache of about 110 KB of heap (measured: 166 KB of live heap per
     * idle client with it, most of it those caches), and every client has its own I/O thread;
     * a client's traffic is small enough that allocating each buffer anew costs nothing that shows.
     */
    static final ByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

    final EventLoop loop;
    final ServerAddress address;
    final ClientOptions options;
    final ObjectMapper mapper;
    private final Class<? extends SocketChannel> channelType;
    private final SslContext ssl;

    TransportContext(EventLoop loop, Class<? extends SocketChannel> channelType, ServerAddress address,
                     ClientOptions options, ObjectMapper mapper, SslContext ssl) {
        this.loop = loop;
        this.channelType = channelType;
        this.address = address;
        this.options = options;
        this.mapper = mapper;
        this.ssl = ssl;
    }

    /** Connects to the server; {@code pipeline} adds the handlers after TLS (when TLS is on). */
    ChannelFuture connect(Consumer<ChannelPipeline> pipeline) {
        return new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, ALLOC)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast("tls", tlsHandler(ch));
                        }
                        pipeline.accept(ch.pipeline());
                    }
                })
                .connect(address.host(), address.port());
    }

    /** TLS with the host name checked against the certificate (Netty does not by default). */
    private SslHandler tlsHandler(SocketChannel ch) {
        SslHandler handler = ssl.newHandler(ch.alloc(), address.host(), address.port());
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        return handler;
    }
}
