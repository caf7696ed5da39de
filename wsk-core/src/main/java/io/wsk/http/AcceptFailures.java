package io.wsk.http;

import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.wsk.limits.BreachLog;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * On the listening channel: a failure to accept (the process or the system out of file
 * descriptors) pauses accepting for a moment, as Netty's own acceptor does so as not to spin on
 * a listener that keeps failing, but is counted and logged once per interval. Left to Netty, each
 * failure also reached the end of the pipeline and logged a warning with a full stack trace,
 * every second for as long as the descriptors stayed exhausted.
 */
final class AcceptFailures extends ChannelInboundHandlerAdapter {

    private static final long PAUSE_MILLIS = 1_000;

    private final BreachLog failures;

    AcceptFailures(BreachLog failures) {
        this.failures = failures;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        failures.record(cause.getMessage());
        ChannelConfig config = ctx.channel().config();
        if (config.isAutoRead()) {
            config.setAutoRead(false);
            ctx.channel().eventLoop().schedule(() -> config.setAutoRead(true), PAUSE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }
}
