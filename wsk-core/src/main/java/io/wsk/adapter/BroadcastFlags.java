package io.wsk.adapter;

/**
 * Delivery flags of a broadcast, as the reference server names them.
 *
 * @param volatileDelivery drop the packet for clients that cannot take it right now
 * @param compress         the sender's compression wish (no compression is done yet)
 * @param local            deliver on this node only, not to the rest of the cluster
 * @param timeoutMillis    how long to collect acks, or 0 for none
 */
public record BroadcastFlags(boolean volatileDelivery, boolean compress, boolean local, long timeoutMillis) {

    public static final BroadcastFlags NONE = new BroadcastFlags(false, true, false, 0);

    public BroadcastFlags withVolatile() {
        return new BroadcastFlags(true, compress, local, timeoutMillis);
    }

    public BroadcastFlags withCompress(boolean value) {
        return new BroadcastFlags(volatileDelivery, value, local, timeoutMillis);
    }

    public BroadcastFlags withLocal() {
        return new BroadcastFlags(volatileDelivery, compress, true, timeoutMillis);
    }

    public BroadcastFlags withTimeout(long millis) {
        return new BroadcastFlags(volatileDelivery, compress, local, millis);
    }
}
