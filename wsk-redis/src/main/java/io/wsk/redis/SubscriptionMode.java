package io.wsk.redis;

/**
 * How many sharded channels the sharded adapter uses per namespace, as in
 * {@code createShardedAdapter}'s {@code subscriptionMode}.
 */
public enum SubscriptionMode {
    /** Two channels per namespace: the main one and this node's response channel. */
    STATIC,
    /**
     * Also one channel per public room (not a socket id), subscribed while the room has local
     * members: a room broadcast reaches only the nodes that hold members of it.
     */
    DYNAMIC
}
