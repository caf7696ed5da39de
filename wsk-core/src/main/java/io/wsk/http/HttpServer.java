package io.wsk.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.wsk.limits.BreachLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Netty listener: accepts connections, decodes HTTP, and routes each request by path prefix
 * to a mounted {@link HttpEndpoint}. Uses the native epoll transport where available.
 *
 * <p>A connection's pipeline while it speaks HTTP is {@code codec → aggregator → router}; an
 * endpoint that upgrades it to a WebSocket replaces all three, so idle WebSocket connections keep
 * no HTTP state.
 */
public final class HttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    private static final RecvByteBufAllocator SHARED_RECEIVE_ALLOCATOR = new AdaptiveRecvByteBufAllocator();

    private final Builder config;
    private final EventLoops loops;
    /** Whether {@link #loops} are this server's own (closed with it) rather than given by the builder. */
    private final boolean ownLoops;
    private final ChannelGroup connections = new DefaultChannelGroup("connections", GlobalEventExecutor.INSTANCE);
    private final BreachLog refusedConnections = new BreachLog(log, "connections closed at accept (max open connections reached)");
    private final BreachLog acceptFailures = new BreachLog(log, "accepting connections failed (out of file descriptors?)");
    private Channel serverChannel;

    private HttpServer(Builder config) {
        this.config = config;
        this.ownLoops = config.loops == null;
        this.loops = ownLoops ? EventLoops.create(config.ioThreads, config.nativeTransport) : config.loops;
    }

    public static Builder builder() {
        return new Builder();
    }

    private HttpServer bind() throws InterruptedException {
        Routes routes = new Routes(config.routes);
        // The listening channel runs on one of the I/O loops, not on a thread of its own: a separate
        // acceptor woke for each burst of connections and handed each to an I/O loop through its
        // task queue. On one core, 15,000 handshakes cost 27,926 context switches that way and
        // 9,262 this way (perf stat), and about 8 % less server CPU. An I/O loop that accepts
        // registers its own share of the children inline.
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops.group(), loops.group())
                .channel(loops.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, config.backlog)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // One allocator for every connection: it is only settings (each connection still
                // gets its own read-size handle from it), yet Netty gives each a copy by default.
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, SHARED_RECEIVE_ALLOCATOR)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 256 * 1024))
                .handler(new AcceptFailures(acceptFailures))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (connections.size() >= config.maxOpenConnections) {
                            // Closed at once: the descriptor is free again before the process
                            // can run out, and the client learns now rather than by a timeout.
                            refusedConnections.record(ch.remoteAddress());
                            ch.close();
                            return;
                        }
                        connections.add(ch);
                        ChannelPipeline p = ch.pipeline();
                        if (config.tls != null) {
                            p.addLast("tls", config.tls.newHandler(ch.alloc()));
                        }
                        p.addLast("http", new HttpServerCodec(8192, config.maxHeaderBytes, 8192));
                        p.addLast("aggregator", new HttpObjectAggregator(config.maxBodyBytes));
                        p.addLast("router", new HttpRouter(routes, config.requestTimeout.toNanos()));
                    }
                });
        InetSocketAddress address = config.host == null || config.host.isEmpty()
                ? new InetSocketAddress(config.port) : new InetSocketAddress(config.host, config.port);
        serverChannel = bootstrap.bind(address).sync().channel();
        log.info("listening on {} ({} transport, {} I/O threads{})", url(),
                loops.isEpoll() ? "epoll" : "nio", ioThreadCount(), config.tls == null ? "" : ", TLS by " + config.tls.provider());
        return this;
    }

    /**
     * Where to point a browser or client: {@code http://localhost:3000} for a server on every
     * interface, else its address ({@code https://} with TLS).
     */
    public String url() {
        InetSocketAddress bound = (InetSocketAddress) serverChannel.localAddress();
        String host = bound.getAddress() == null || bound.getAddress().isAnyLocalAddress() ? "localhost"
                : bound.getAddress() instanceof java.net.Inet6Address ? "[" + bound.getAddress().getHostAddress() + "]"
                : bound.getAddress().getHostAddress();
        return (config.tls == null ? "http://" : "https://") + host + ":" + bound.getPort();
    }

    /** The bound port (useful when started on port 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public EventLoopGroup ioGroup() {
        return loops.group();
    }

    /** Every open client connection. */
    public ChannelGroup connections() {
        return connections;
    }

    public int ioThreadCount() {
        return loops.size();
    }

    /** Connections closed as soon as accepted, because {@link Builder#maxOpenConnections} were open. */
    public BreachLog refusedConnections() {
        return refusedConnections;
    }

    /** Accepts that failed (the process out of file descriptors). */
    public BreachLog acceptFailures() {
        return acceptFailures;
    }

    /** Stops accepting new connections; existing ones stay open. */
    public void stopAccepting() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
    }

    /**
     * Closes the listener and every connection, then stops the event loops, unless they were given
     * to the builder ({@link Builder#eventLoops}): those go on for whatever else runs on them, until
     * their owner closes them.
     */
    @Override
    public void close() {
        stopAccepting();
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        if (ownLoops) {
            loops.close();
        }
    }

    /** Configuration of the listener, and the endpoints it serves. */
    public static final class Builder {
        private String host;
        private int port = 3000;
        private int backlog = 4096;
        private int ioThreads = 0;
        private boolean nativeTransport = true;
        private EventLoops loops;
        private int maxHeaderBytes = 16 * 1024;
        private int maxBodyBytes = 1_000_000;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private int maxOpenConnections = FileDescriptors.defaultConnectionLimit();
        private final List<Routes.Route> routes = new ArrayList<>();
        private TlsFiles tls;

        private Builder() {
        }

        /** The address to bind; {@code null} or empty binds every interface. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The listen backlog (the kernel caps it at {@code net.core.somaxconn}). */
        public Builder backlog(int backlog) {
            this.backlog = backlog;
            return this;
        }

        /** I/O threads; 0 means Netty's default (twice the cores). */
        public Builder ioThreads(int ioThreads) {
            this.ioThreads = ioThreads;
            return this;
        }

        /** Whether to use epoll where available (default true). */
        public Builder nativeTransport(boolean nativeTransport) {
            this.nativeTransport = nativeTransport;
            return this;
        }

        /**
         * Runs the connections on {@code loops}, which others share (a Redis bus), instead of loops
         * of the server's own; {@link #ioThreads} and {@link #nativeTransport} are then theirs. The
         * server leaves them running when it closes: their owner closes them, after it.
         */
        public Builder eventLoops(EventLoops loops) {
            this.loops = loops;
            return this;
        }

        /** Larger request headers get {@code 431}. */
        public Builder maxHeaderBytes(int maxHeaderBytes) {
            this.maxHeaderBytes = maxHeaderBytes;
            return this;
        }

        /**
         * The largest request body read at all; larger bodies get {@code 413}. Endpoints may set
         * lower limits of their own. Raised automatically to cover every mounted Engine.IO endpoint.
         */
        public Builder maxBodyBytes(int maxBodyBytes) {
            this.maxBodyBytes = Math.max(this.maxBodyBytes, maxBodyBytes);
            return this;
        }

        /**
         * How long a connection may go without completing a request (unless the server holds one,
         * a long-poll) before it is closed: bounds idle keep-alive connections and slowloris
         * clients. Default 30 s.
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /**
         * The most connections of any kind open at once; one more is closed as soon as it is
         * accepted. Default: the open-files limit less 64, so the process never runs out of
         * descriptors (the cap on sessions, {@code EngineOptions.maxConnections}, is lower, so
         * health checks and polling requests still find room past it).
         */
        public Builder maxOpenConnections(int maxOpenConnections) {
            if (maxOpenConnections <= 0) {
                throw new IllegalArgumentException("maxOpenConnections must be positive, got " + maxOpenConnections);
            }
            this.maxOpenConnections = maxOpenConnections;
            return this;
        }

        /** Mounts {@code endpoint} at exactly {@code path} (e.g. {@code /health}, {@code /}). */
        /** Serves HTTPS (and so {@code wss://}) with these files; see {@link TlsFiles}. */
        public Builder tls(TlsFiles tls) {
            this.tls = tls;
            return this;
        }

        public Builder route(String path, HttpEndpoint endpoint) {
            return add(new Routes.Route(path, false, endpoint));
        }

        /** Mounts {@code endpoint} for every path starting with {@code prefix} (e.g. {@code /socket.io/}). */
        public Builder routePrefix(String prefix, HttpEndpoint endpoint) {
            return add(new Routes.Route(prefix, true, endpoint));
        }

        private Builder add(Routes.Route route) {
            for (Routes.Route existing : routes) {
                if (existing.path().equals(route.path()) && existing.prefix() == route.prefix()) {
                    throw new IllegalArgumentException("path already mounted: " + route.path());
                }
            }
            routes.add(route);
            return this;
        }

        /** Binds and starts serving. */
        public HttpServer start() throws InterruptedException {
            HttpServer server = new HttpServer(this);
            try {
                return server.bind();
            } catch (InterruptedException | RuntimeException e) {
                server.close();
                throw e;
            }
        }
    }
}
