package io.wsk.bench;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Local addresses to connect from, taken in turn. Each loopback source address has its own
 * ~28,000 ephemeral ports, so rotating over 127.0.0.x lifts the per-address port limit.
 */
public final class SourceAddresses {

    private final List<InetSocketAddress> addresses = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    /** {@code count} addresses from 127.0.0.{first}. */
    public SourceAddresses(int first, int count) {
        for (int i = 0; i < count; i++) {
            addresses.add(new InetSocketAddress("127.0.0." + (first + i), 0));
        }
    }

    public InetSocketAddress next() {
        return addresses.get(Math.floorMod(next.getAndIncrement(), addresses.size()));
    }
}
