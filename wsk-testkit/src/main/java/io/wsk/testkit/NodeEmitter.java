package io.wsk.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The official {@code @socket.io/redis-emitter} as a real peer: an outside process that reaches
 * a Socket.IO cluster's clients through Redis without being a server. Drives
 * {@code interop/redis/node-emitter.mjs}.
 *
 * <p>Every method returns once Redis has taken what the emitter published. The emitter speaks the
 * classic adapter's channels only (it has no sharded variant) and takes no acks. Arguments are
 * JSON-serializable values, {@code byte[]} for binary.
 */
public final class NodeEmitter implements AutoCloseable {

    public static final String SCRIPT = "redis/node-emitter.mjs";
    /** How long a command may take unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** How long starting may take (the first start in a JVM may also install the npm packages first). */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final NodeProcess process;
    private final CommandChannel channel;

    private NodeEmitter(NodeProcess process) {
        this.process = process;
        this.channel = new CommandChannel(process);
    }

    /** An emitter publishing to {@code redis} with the default key prefix ({@code socket.io}). */
    public static NodeEmitter start(RedisServer redis) {
        return start(redis.url(), Map.of());
    }

    /** An emitter publishing to the Redis at {@code redisUrl} with Emitter {@code options} (e.g. {@code key}). */
    public static NodeEmitter start(String redisUrl, Map<String, ?> options) {
        NodeProcess process = NodeProcess.start(SCRIPT, List.of(redisUrl, CommandChannel.toJson(options)),
                NodeProcess.DEFAULT_LIFETIME);
        try {
            new CommandChannel(process).awaitEvent("ready", START_TIMEOUT);
            return new NodeEmitter(process);
        } catch (RuntimeException | Error e) {
            process.close();
            throw e;
        }
    }

    /** {@code emitter.emit(event, ...args)}: to every client of {@code /}. */
    public void emit(String event, Object... args) {
        broadcast("/").emit(event, args);
    }

    /** {@code emitter.of(nsp)}. */
    public Broadcast of(String nsp) {
        return broadcast(nsp.startsWith("/") ? nsp : "/" + nsp);
    }

    /** {@code emitter.to(rooms)}. */
    public Broadcast to(String... rooms) {
        return broadcast("/").to(rooms);
    }

    /** {@code emitter.in(rooms)}, the same as {@link #to}. */
    public Broadcast in(String... rooms) {
        return to(rooms);
    }

    /** {@code emitter.except(rooms)}. */
    public Broadcast except(String... rooms) {
        return broadcast("/").except(rooms);
    }

    /** {@code emitter.socketsJoin(rooms)}. */
    public void socketsJoin(String... rooms) {
        broadcast("/").socketsJoin(rooms);
    }

    /** {@code emitter.socketsLeave(rooms)}. */
    public void socketsLeave(String... rooms) {
        broadcast("/").socketsLeave(rooms);
    }

    /** {@code emitter.disconnectSockets(close)}. */
    public void disconnectSockets(boolean close) {
        broadcast("/").disconnectSockets(close);
    }

    /** {@code emitter.serverSideEmit(event, ...args)}: to every server of {@code /} (no ack). */
    public void serverSideEmit(String event, Object... args) {
        broadcast("/").serverSideEmit(event, args);
    }

    /** The script under this emitter, for its exit code and output. */
    public NodeProcess process() {
        return process;
    }

    /** Ends the emitter: stdin closed, so it disconnects and exits; killed if still running after 2 s. */
    @Override
    public void close() {
        process.end(Duration.ofSeconds(2));
    }

    private Broadcast broadcast(String nsp) {
        return new Broadcast(nsp, List.of(), List.of(), false, null);
    }

    /** {@code emitter.of(nsp).to(..).except(..)} and flags: the target of an operation, immutable. */
    public final class Broadcast {
        private final String nsp;
        private final List<String> to;
        private final List<String> except;
        private final boolean isVolatile;
        private final Boolean compress;

        private Broadcast(String nsp, List<String> to, List<String> except, boolean isVolatile, Boolean compress) {
            this.nsp = nsp;
            this.to = to;
            this.except = except;
            this.isVolatile = isVolatile;
            this.compress = compress;
        }

        public Broadcast to(String... rooms) {
            return new Broadcast(nsp, concat(to, rooms), except, isVolatile, compress);
        }

        public Broadcast in(String... rooms) {
            return to(rooms);
        }

        public Broadcast except(String... rooms) {
            return new Broadcast(nsp, to, concat(except, rooms), isVolatile, compress);
        }

        /** The {@code volatile} flag. */
        public Broadcast asVolatile() {
            return new Broadcast(nsp, to, except, true, compress);
        }

        /** The {@code compress} flag. */
        public Broadcast compress(boolean compress) {
            return new Broadcast(nsp, to, except, isVolatile, compress);
        }

        /** {@code emit(event, ...args)}. */
        public void emit(String event, Object... args) {
            ObjectNode command = command("emit").put("event", event);
            command.set("args", CommandChannel.args(args));
            if (isVolatile) {
                command.put("volatile", true);
            }
            if (compress != null) {
                command.put("compress", compress);
            }
            call(command);
        }

        /** {@code socketsJoin(rooms)}. */
        public void socketsJoin(String... rooms) {
            ObjectNode command = command("socketsJoin");
            List.of(rooms).forEach(command.putArray("rooms")::add);
            call(command);
        }

        /** {@code socketsLeave(rooms)}. */
        public void socketsLeave(String... rooms) {
            ObjectNode command = command("socketsLeave");
            List.of(rooms).forEach(command.putArray("rooms")::add);
            call(command);
        }

        /** {@code disconnectSockets(close)}. */
        public void disconnectSockets(boolean close) {
            call(command("disconnectSockets").put("close", close));
        }

        /** {@code of(nsp).serverSideEmit(event, ...args)}; rooms do not apply. */
        public void serverSideEmit(String event, Object... args) {
            if (!to.isEmpty() || !except.isEmpty()) {
                throw new IllegalStateException("serverSideEmit goes to every server: no to / except");
            }
            ObjectNode command = channel.command("serverSideEmit").put("nsp", nsp).put("event", event);
            command.set("args", CommandChannel.args(args));
            call(command);
        }

        private ObjectNode command(String name) {
            return CommandChannel.target(channel.command(name), nsp, to, except);
        }

        private void call(ObjectNode command) {
            channel.call(command, DEFAULT_TIMEOUT);
        }
    }

    private static List<String> concat(List<String> list, String[] more) {
        List<String> all = new ArrayList<>(list);
        all.addAll(List.of(more));
        return List.copyOf(all);
    }
}
