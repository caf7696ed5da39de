package io.wsk.adapter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * The other nodes of one namespace's cluster, by uid: when each was last heard from, and which
 * ones stopped answering. Cluster requests use it to name the nodes that stayed silent, and to stop
 * waiting for a node that is still subscribed but hung (a stopped process, a stalled event loop):
 * after {@link #MISSES_TO_LEAVE_OUT} requests in a row without a word from it, a node is
 * <em>left out</em>, and requests complete as soon as the other nodes answered. Any message from it
 * counts it again.
 *
 * <p>Only nodes that name themselves in their responses may be known here, or a node could never
 * be seen answering and would be left out for nothing: the adapter decides which messages teach a
 * uid ({@link #heard}) and which only refresh a known one ({@link #heardAgain}).
 *
 * <p>Nodes leave this map when they leave the cluster: before each request the adapter counts the
 * subscribers of every known node's own response channel, and reports those without one to
 * {@link #forget}. Not by time: a node that hangs while no request runs would be forgotten exactly
 * when it matters, and then could never be named nor left out again (a hung node says nothing to be
 * learnt from). {@link #MAX_NODES} bounds the map should nodes come and go while no request runs.
 * Thread-safe: messages arrive on the bus's thread, timeouts on a timer.
 */
public final class ClusterNodes {

    private static final Logger log = LoggerFactory.getLogger(ClusterNodes.class);

    /** Requests in a row a node may miss before it is left out; one miss may be a pause (GC, load). */
    public static final int MISSES_TO_LEAVE_OUT = 2;
    /** Far above any real cluster: past it, learning a node forgets the one heard from longest ago. */
    public static final int MAX_NODES = 1024;

    private static final class Node {
        long lastHeard;
        /** Requests that timed out without this node's answer since it was last heard. */
        int misses;
        boolean leftOut;
    }

    private final String nsp;
    private final String ownUid;
    private final LongSupplier nanoClock;
    private final int maxNodes;
    private final ClusterStats stats;
    /** Guarded by this. */
    private final Map<String, Node> nodes = new HashMap<>();

    /** The nodes of namespace {@code nsp} (for the logs), as seen by the node {@code ownUid}. */
    public ClusterNodes(String nsp, String ownUid) {
        this(nsp, ownUid, new ClusterStats());
    }

    /** As above, counting missed answers into {@code stats}. */
    public ClusterNodes(String nsp, String ownUid, ClusterStats stats) {
        this(nsp, ownUid, System::nanoTime, MAX_NODES, stats);
    }

    ClusterNodes(String nsp, String ownUid, LongSupplier nanoClock, int maxNodes) {
        this(nsp, ownUid, nanoClock, maxNodes, new ClusterStats());
    }

    private ClusterNodes(String nsp, String ownUid, LongSupplier nanoClock, int maxNodes, ClusterStats stats) {
        this.nsp = nsp;
        this.ownUid = ownUid;
        this.nanoClock = nanoClock;
        this.maxNodes = maxNodes;
        this.stats = stats;
    }

    /** A message from {@code uid}, a node that names itself in its responses: known from now on. */
    public synchronized void heard(String uid) {
        if (uid == null || uid.isEmpty() || uid.equals(ownUid)) {
            return;
        }
        Node node = nodes.get(uid);
        if (node == null) {
            if (nodes.size() >= maxNodes) {
                forgetLongestSilent();
            }
            node = new Node();
            nodes.put(uid, node);
        }
        refresh(uid, node);
    }

    /** A message from {@code uid}: it counts if the node is known, and teaches nothing otherwise. */
    public synchronized void heardAgain(String uid) {
        Node node = uid == null ? null : nodes.get(uid);
        if (node != null) {
            refresh(uid, node);
        }
    }

    private void refresh(String uid, Node node) {
        node.lastHeard = nanoClock.getAsLong();
        node.misses = 0;
        if (node.leftOut) {
            node.leftOut = false;
            log.info("cluster node {} on {} is heard from again: requests wait for it again", uid, nsp);
        }
    }

    /** The known nodes, sorted (for stable logs). */
    public synchronized Set<String> known() {
        return new TreeSet<>(nodes.keySet());
    }

    /** The nodes left out of requests: known, subscribed as far as this node knows, and not answering. */
    public synchronized Set<String> leftOut() {
        Set<String> result = new TreeSet<>();
        nodes.forEach((uid, node) -> {
            if (node.leftOut) {
                result.add(uid);
            }
        });
        return result;
    }

    /**
     * What a request expects, at one instant: the known nodes it waits for, and those left out.
     *
     * @param awaited known nodes that are not left out (named if they stay silent)
     * @param leftOut nodes left out of requests (not waited for)
     */
    public record Expected(Set<String> awaited, Set<String> leftOut) {
    }

    public synchronized Expected expected() {
        Set<String> awaited = new TreeSet<>();
        Set<String> leftOut = new TreeSet<>();
        nodes.forEach((uid, node) -> (node.leftOut ? leftOut : awaited).add(uid));
        return new Expected(Collections.unmodifiableSet(awaited), Collections.unmodifiableSet(leftOut));
    }

    /**
     * Nodes that no longer listen (their response channel lost its subscriber): they left the
     * cluster, so a request must not count them out any more, nor name them silent.
     */
    public synchronized void forget(Collection<String> gone) {
        for (String uid : gone) {
            Node node = nodes.remove(uid);
            if (node != null && node.leftOut) {
                log.info("cluster node {} on {}, left out of requests, has left the cluster", uid, nsp);
            }
        }
    }

    /** A request timed out without an answer from {@code silent}: each misses one more. */
    public synchronized void missed(Collection<String> silent) {
        stats.missed(silent.size());
        for (String uid : silent) {
            Node node = nodes.get(uid);
            if (node == null || node.leftOut) {
                continue;
            }
            node.misses++;
            if (node.misses >= MISSES_TO_LEAVE_OUT) {
                node.leftOut = true;
                log.warn("cluster node {} on {} missed {} requests in a row: left out of requests until it is heard"
                        + " from again", uid, nsp, node.misses);
            }
        }
    }

    private void forgetLongestSilent() {
        String oldest = null;
        long oldestHeard = 0;
        for (Map.Entry<String, Node> entry : nodes.entrySet()) {
            if (oldest == null || entry.getValue().lastHeard - oldestHeard < 0) {
                oldest = entry.getKey();
                oldestHeard = entry.getValue().lastHeard;
            }
        }
        nodes.remove(oldest);
    }
}
