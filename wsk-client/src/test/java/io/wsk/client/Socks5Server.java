package io.wsk.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.socksx.SocksMessage;
import io.netty.handler.codec.socksx.SocksPortUnificationServerHandler;
import io.netty.handler.codec.socksx.v5.DefaultSocks5CommandResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5InitialResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5PasswordAuthResponse;
import io.netty.handler.codec.socksx.v5.Socks5AuthMethod;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequest;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5CommandType;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequest;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthRequest;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthStatus;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small SOCKS5 proxy on loopback, built from Netty's own SOCKS codec (the server side of the
 * protocol the client's {@code Socks5ProxyHandler} speaks): CONNECT only, with or without
 * user name and password, relaying bytes both ways. It records each tunnel's destination, so a
 * test can tell that traffic went through it.
 */
final class Socks5Server implements AutoCloseable {

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final String username;
    private final String password;
    private final Channel server;
    /** "host:port" of each CONNECT it carried out. */
    final List<String> tunnels = new CopyOnWriteArrayList<>();
    /** Each refused authentication. */
    final List<String> refusals = new CopyOnWriteArrayList<>();

    Socks5Server(String username, String password) throws InterruptedException {
        this.username = username;
        this.password = password;
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new SocksPortUnificationServerHandler(), new Handshake());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
        return ((java.net.InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Handshake extends SimpleChannelInboundHandler<SocksMessage> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, SocksMessage msg) {
            if (msg instanceof Socks5InitialRequest initial) {
                Socks5AuthMethod wanted = username == null ? Socks5AuthMethod.NO_AUTH : Socks5AuthMethod.PASSWORD;
                if (!initial.authMethods().contains(wanted)) {
                    refusals.add("offered " + initial.authMethods());
                    ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.UNACCEPTED))
                            .addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                ctx.pipeline().addFirst(wanted == Socks5AuthMethod.NO_AUTH
                        ? new Socks5CommandRequestDecoder() : new Socks5PasswordAuthRequestDecoder());
                ctx.writeAndFlush(new DefaultSocks5InitialResponse(wanted));
            } else if (msg instanceof Socks5PasswordAuthRequest auth) {
                if (!auth.username().equals(username) || !auth.password().equals(password)) {
                    refusals.add("user " + auth.username());
                    ctx.writeAndFlush(new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.FAILURE))
                            .addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                ctx.pipeline().addFirst(new Socks5CommandRequestDecoder());
                ctx.writeAndFlush(new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.SUCCESS));
            } else if (msg instanceof Socks5CommandRequest command && command.type() == Socks5CommandType.CONNECT) {
                connect(ctx, command);
            } else {
                ctx.close();
            }
        }

        private void connect(ChannelHandlerContext ctx, Socks5CommandRequest command) {
            Channel inbound = ctx.channel();
            inbound.config().setAutoRead(false);
            new Bootstrap().group(inbound.eventLoop()).channel(NioSocketChannel.class)
                    .handler(new Relay(inbound))
                    .connect(command.dstAddr(), command.dstPort())
                    .addListener((ChannelFutureListener) f -> {
                        if (!f.isSuccess()) {
                            ctx.writeAndFlush(new DefaultSocks5CommandResponse(Socks5CommandStatus.FAILURE,
                                    command.dstAddrType())).addListener(ChannelFutureListener.CLOSE);
                            return;
                        }
                        tunnels.add(command.dstAddr() + ":" + command.dstPort());
                        ctx.writeAndFlush(new DefaultSocks5CommandResponse(Socks5CommandStatus.SUCCESS,
                                command.dstAddrType(), command.dstAddr(), command.dstPort()))
                                .addListener(done -> {
                                    // From here on only bytes: the codec goes, the relay comes.
                                    ctx.pipeline().remove(Handshake.this);
                                    ctx.pipeline().forEach(e -> {
                                        if (e.getValue() != null && e.getKey() != null
                                                && e.getValue().getClass().getName().contains("socksx")) {
                                            ctx.pipeline().remove(e.getValue());
                                        }
                                    });
                                    ctx.pipeline().addLast(new Relay(f.channel()));
                                    inbound.config().setAutoRead(true);
                                });
                    });
        }
    }

    /** Writes whatever it reads to {@code to}; closes it when its own side closes. */
    private static final class Relay extends ChannelInboundHandlerAdapter {
        private final Channel to;

        Relay(Channel to) {
            this.to = to;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            to.writeAndFlush(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
