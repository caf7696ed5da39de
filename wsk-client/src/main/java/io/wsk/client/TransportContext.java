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
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.proxy.ProxyConnectException;
import io.netty.handler.proxy.ProxyHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.net.InetSocketAddress;
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
    /** Kept across every request of this client, polling and WebSocket handshakes alike. */
    final CookieJar cookies = new CookieJar();
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

    /**
     * Connects to the server, directly or through the proxy; {@code pipeline} adds the handlers
     * after the proxy and TLS (when on). Through a proxy the future completes once the tunnel is
     * open (not when the TCP connection to the proxy is), and fails with a message naming it.
     */
    ChannelFuture connect(Consumer<ChannelPipeline> pipeline) {
        ClientProxy proxy = options.proxy();
        ProxyHandler proxyHandler = proxy == null ? null : proxy.newHandler(CONNECT_TIMEOUT_MILLIS);
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, ALLOC)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (proxyHandler != null) {
                            // First: everything after it, TLS included, runs inside the tunnel.
                            ch.pipeline().addLast("proxy", proxyHandler);
                            ch.pipeline().addLast("proxy-errors", new ProxyErrors(proxy));
                        }
                        if (ssl != null) {
                            ch.pipeline().addLast("tls", tlsHandler(ch));
                        }
                        pipeline.accept(ch.pipeline());
                    }
                });
        if (proxyHandler == null) {
            return bootstrap.connect(address.host(), address.port());
        }
        // Unresolved, and not resolved here: the proxy resolves the server's name.
        ChannelFuture tcp = bootstrap.resolver(NoopAddressResolverGroup.INSTANCE)
                .connect(InetSocketAddress.createUnresolved(address.host(), address.port()));
        ChannelPromise tunnel = tcp.channel().newPromise();
        tcp.addListener(f -> {
            if (!f.isSuccess()) {
                tunnel.tryFailure(new TransportException("cannot connect to " + proxy + ": " + f.cause(), f.cause()));
            }
        });
        proxyHandler.connectFuture().addListener(f -> {
            if (f.isSuccess()) {
                tunnel.trySuccess();
            } else {
                tunnel.tryFailure(ProxyErrors.describe(proxy, f.cause()));
            }
        });
        return tunnel;
    }

    /** Turns the proxy handler's failures into ones that say which proxy and what it answered. */
    private static final class ProxyErrors extends ChannelInboundHandlerAdapter {
        private final ClientProxy proxy;

        ProxyErrors(ClientProxy proxy) {
            this.proxy = proxy;
        }

        static Throwable describe(ClientProxy proxy, Throwable cause) {
            if (cause instanceof TransportException) {
                return cause;
            }
            // Netty's message: "http, basic, /127.0.0.1:3128 => host:port, status: 407 ...".
            String what = cause instanceof ProxyConnectException ? "refused the tunnel" : "failed";
            return new TransportException(proxy + " " + what + ": " + cause.getMessage(), cause);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.fireExceptionCaught(cause instanceof ProxyConnectException ? describe(proxy, cause) : cause);
        }
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
