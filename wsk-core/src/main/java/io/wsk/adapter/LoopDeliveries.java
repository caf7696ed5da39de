package io.wsk.adapter;

import io.netty.util.concurrent.EventExecutor;
import io.wsk.protocol.EncodedPacket;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local recipients of one broadcast, grouped by the event loop each socket lives on. A
 * recipient on the broadcasting thread's own loop gets the packet at once; the others get it in
 * one task per loop rather than one task (and one wake-up) per recipient. Each loop runs its
 * tasks in order, so every recipient still sees broadcasts in the order one thread sent them.
 */
final class LoopDeliveries {

    private final EncodedPacket packet;
    private final boolean volatileDelivery;
    /** Most broadcasts touch one or two other loops: the first is kept without a map. */
    private EventExecutor firstLoop;
    private List<AdapterSocket> firstRecipients;
    private Map<EventExecutor, List<AdapterSocket>> moreLoops;

    LoopDeliveries(EncodedPacket packet, boolean volatileDelivery) {
        this.packet = packet;
        this.volatileDelivery = volatileDelivery;
    }

    void add(AdapterSocket socket) {
        EventExecutor loop = socket.eventLoop();
        if (loop.inEventLoop()) {
            socket.deliver(packet, volatileDelivery);
        } else if (firstLoop == null || firstLoop == loop) {
            if (firstLoop == null) {
                firstLoop = loop;
                firstRecipients = new ArrayList<>();
            }
            firstRecipients.add(socket);
        } else {
            if (moreLoops == null) {
                moreLoops = new IdentityHashMap<>(4);
            }
            moreLoops.computeIfAbsent(loop, l -> new ArrayList<>()).add(socket);
        }
    }

    /** Hands each other loop its recipients; the caller keeps its own reference to the packet. */
    void dispatch() {
        if (firstLoop != null) {
            dispatch(firstLoop, firstRecipients);
        }
        if (moreLoops != null) {
            moreLoops.forEach(this::dispatch);
        }
    }

    private void dispatch(EventExecutor loop, List<AdapterSocket> recipients) {
        packet.retain();
        loop.execute(() -> {
            try {
                for (AdapterSocket socket : recipients) {
                    socket.deliver(packet, volatileDelivery);
                }
            } finally {
                packet.release();
            }
        });
    }
}
