package io.wsk.adapter;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who is subscribed, counted by the bus just before a request: a request waits for
 * {@code servers - 1} answers less the nodes left out, and a known node whose own response channel
 * has lost its subscriber has left the cluster (it must not be counted out of a count it is no
 * longer in, nor named silent).
 *
 * @param servers   nodes subscribed to the namespace's requests, this one included
 * @param listening of the uids asked about, those whose response channel still has a subscriber
 * @param gone      of the uids asked about, the others
 */
public record ClusterCensus(int servers, Set<String> listening, Set<String> gone) {

    /**
     * From one NUMSUB (or SHARDNUMSUB) reply: {@code counts} holds the request channel's count,
     * then that of each of {@code asked}'s response channels, in order.
     */
    public static ClusterCensus fromCounts(List<String> asked, List<Long> counts) {
        Set<String> listening = new TreeSet<>();
        Set<String> gone = new TreeSet<>();
        for (int i = 0; i < asked.size(); i++) {
            (counts.get(i + 1) > 0 ? listening : gone).add(asked.get(i));
        }
        return new ClusterCensus((int) Math.max(1, counts.get(0)), listening, gone);
    }

    /** When nobody can be counted but the servers: everyone asked about is taken to listen. */
    public static ClusterCensus assumingAllListen(int servers, Set<String> asked) {
        return new ClusterCensus(servers, asked, Set.of());
    }
}
