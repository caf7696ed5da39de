package io.wsk.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.wsk.adapter.BroadcastFlags;
import io.wsk.adapter.BroadcastOptions;
import io.wsk.adapter.SocketDetails;
import io.wsk.protocol.SocketPacket;
import io.wsk.protocol.SocketPacketType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Targets a set of sockets across the cluster: {@code io.to("room").except("muted").emit(...)}.
 * Immutable: each call returns a new operator. The packet is built and encoded once per emit,
 * whatever the number of recipients.
 */
public final class BroadcastOperator {

    private final Namespace nsp;
    private final Set<String> rooms;
    private final Set<String> except;
    private final BroadcastFlags flags;

    BroadcastOperator(Namespace nsp, Set<String> rooms, Set<String> except, BroadcastFlags flags) {
        this.nsp = nsp;
        this.rooms = rooms;
        this.except = except;
        this.flags = flags;
    }

    /** Adds rooms to target (union; each socket receives once). */
    public BroadcastOperator to(String... more) {
        return new BroadcastOperator(nsp, union(rooms, more), except, flags);
    }

    public BroadcastOperator in(String... more) {
        return to(more);
    }

    /** Leaves out sockets in any of these rooms. */
    public BroadcastOperator except(String... more) {
        return new BroadcastOperator(nsp, rooms, union(except, more), flags);
    }

    /** This node's sockets only. */
    public BroadcastOperator local() {
        return new BroadcastOperator(nsp, rooms, except, flags.withLocal());
    }

    /** Dropped for clients that cannot take the packet right now. */
    public BroadcastOperator asVolatile() {
        return new BroadcastOperator(nsp, rooms, except, flags.withVolatile());
    }

    public BroadcastOperator compress(boolean compress) {
        return new BroadcastOperator(nsp, rooms, except, flags.withCompress(compress));
    }

    /** How long {@link #emitWithAck} waits for acknowledgements. */
    public BroadcastOperator timeout(Duration timeout) {
        return new BroadcastOperator(nsp, rooms, except, flags.withTimeout(timeout.toMillis()));
    }

    private static Set<String> union(Set<String> base, String[] more) {
        Set<String> result = new HashSet<>(base);
        result.addAll(Arrays.asList(more));
        return result;
    }

    private BroadcastOptions options() {
        return new BroadcastOptions(rooms, except, flags);
    }

    /** Sends the event to every targeted socket. */
    public void emit(String event, Object... args) {
        ArrayNode data = nsp.eventData(event, args);
        nsp.server().stats().broadcast();
        nsp.adapter().broadcast(new SocketPacket(SocketPacketType.EVENT, nsp.name(), SocketPacket.NO_ID, data), options());
    }

    /**
     * Sends the event and collects every targeted client's ack. Needs {@link #timeout}: completes
     * with all responses once every client of every node answered, or fails with
     * {@link AckTimeoutException} (holding the responses that did arrive) at the timeout.
     */
    public CompletableFuture<List<EventArgs>> emitWithAck(String event, Object... args) {
        if (flags.timeoutMillis() <= 0) {
            throw new IllegalStateException("emitWithAck on a broadcast needs a timeout: use timeout(Duration) first");
        }
        ArrayNode data = nsp.eventData(event, args);
        long ackId = nsp.nextAckId();
        nsp.server().stats().broadcast();
        AckCollector collector = new AckCollector();
        nsp.adapter().serverCount().thenAccept(collector::expectServers);
        nsp.adapter().broadcastWithAck(new SocketPacket(SocketPacketType.EVENT, nsp.name(), ackId, data), options(),
                collector::addClients, collector::addResponse);
        nsp.server().scheduler().schedule(collector::timeout, flags.timeoutMillis(), TimeUnit.MILLISECONDS);
        return collector.result;
    }

    /** Collects broadcast acks: done when every node reported its client count and every client answered. */
    private final class AckCollector {
        final CompletableFuture<List<EventArgs>> result = new CompletableFuture<>();
        private final List<EventArgs> responses = new ArrayList<>();
        private int expectedServers = -1;
        private int reportedServers;
        private int expectedClients;

        synchronized void expectServers(int count) {
            expectedServers = count;
            check();
        }

        synchronized void addClients(int count) {
            reportedServers++;
            expectedClients += count;
            check();
        }

        synchronized void addResponse(JsonNode reply) {
            responses.add(new EventArgs(reply instanceof ArrayNode array ? array : nsp.mapper().createArrayNode().add(reply),
                    nsp.mapper()));
            check();
        }

        synchronized void timeout() {
            if (result.completeExceptionally(new AckTimeoutException(responses))) {
                nsp.server().stats().ackTimedOut(true);
            }
        }

        private void check() {
            if (expectedServers >= 0 && reportedServers >= expectedServers && responses.size() >= expectedClients) {
                result.complete(List.copyOf(responses));
            }
        }
    }

    /** The targeted sockets of every node. */
    public CompletableFuture<List<RemoteSocket>> fetchSockets() {
        return nsp.adapter().fetchSockets(options()).thenApply(list -> {
            List<RemoteSocket> result = new ArrayList<>(list.size());
            for (SocketDetails details : list) {
                result.add(new RemoteSocket(nsp, details));
            }
            return result;
        });
    }

    /** Makes the targeted sockets join {@code joined}. */
    public void socketsJoin(String... joined) {
        nsp.adapter().addSockets(options(), Arrays.asList(joined));
    }

    public void socketsLeave(String... left) {
        nsp.adapter().delSockets(options(), Arrays.asList(left));
    }

    public void disconnectSockets(boolean close) {
        nsp.adapter().disconnectSockets(options(), close);
    }
}
