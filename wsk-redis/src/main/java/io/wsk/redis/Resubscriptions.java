package io.wsk.redis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How many subscribers this node's channels had while Redis was up, so that after an outage the
 * node can tell when the other nodes have subscribed again: pub/sub reaches only current
 * subscribers, so the publishes queued meanwhile must wait for them, but no longer than they
 * need, as everything published meanwhile waits behind them.
 *
 * <p>A few channels are sampled (every node subscribes to its namespaces' main channels), and only
 * those that others share count. Without a sample (the node has never been connected) nothing
 * can be told, and the caller waits its full grace period.
 */
final class Resubscriptions {

    /** Enough channels to cover the main namespaces; rooms come and go and need not all be counted. */
    private static final int SAMPLED_CHANNELS = 16;

    private final Supplier<List<String>> channels;
    private final Supplier<List<String>> shardChannels;
    private final Function<List<String>, CompletableFuture<List<Long>>> numsub;
    private final Function<List<String>, CompletableFuture<List<Long>>> shardNumsub;
    /** Channel (shard channels prefixed with {@code s:}) to subscribers seen at the last sample; guarded by this. */
    private Map<String, Long> baseline;

    Resubscriptions(Supplier<List<String>> channels, Supplier<List<String>> shardChannels,
                    Function<List<String>, CompletableFuture<List<Long>>> numsub,
                    Function<List<String>, CompletableFuture<List<Long>>> shardNumsub) {
        this.channels = channels;
        this.shardChannels = shardChannels;
        this.numsub = numsub;
        this.shardNumsub = shardNumsub;
    }

    /** Counts the subscribers now (while connected, and not waiting for others to come back). */
    CompletableFuture<Void> sample() {
        List<String> plain = first(channels.get());
        List<String> sharded = first(shardChannels.get());
        return counts(plain, sharded).thenAccept(seen -> {
            Map<String, Long> shared = new HashMap<>();
            seen.forEach((channel, count) -> {
                if (count > 1) {
                    shared.put(channel, count);
                }
            });
            synchronized (this) {
                baseline = shared;
            }
        });
    }

    /**
     * Whether every shared channel has as many subscribers as at the last sample; false when
     * there was no sample, or the count cannot be had.
     */
    CompletableFuture<Boolean> allBack() {
        Map<String, Long> expected;
        synchronized (this) {
            expected = baseline;
        }
        if (expected == null) {
            return CompletableFuture.completedFuture(false);
        }
        if (expected.isEmpty()) {
            return CompletableFuture.completedFuture(true); // nobody else to wait for
        }
        List<String> plain = new ArrayList<>();
        List<String> sharded = new ArrayList<>();
        for (String key : expected.keySet()) {
            if (key.startsWith("s:")) {
                sharded.add(key.substring(2));
            } else {
                plain.add(key.substring(2));
            }
        }
        return counts(plain, sharded)
                .thenApply(now -> expected.entrySet().stream()
                        .allMatch(e -> now.getOrDefault(e.getKey(), 0L) >= e.getValue()))
                .exceptionally(error -> false);
    }

    private CompletableFuture<Map<String, Long>> counts(List<String> plain, List<String> sharded) {
        CompletableFuture<List<Long>> plainCounts = plain.isEmpty()
                ? CompletableFuture.completedFuture(List.of()) : numsub.apply(plain);
        CompletableFuture<List<Long>> shardCounts = sharded.isEmpty()
                ? CompletableFuture.completedFuture(List.of()) : shardNumsub.apply(sharded);
        return plainCounts.thenCombine(shardCounts, (p, s) -> {
            Map<String, Long> all = new HashMap<>();
            for (int i = 0; i < plain.size(); i++) {
                all.put("c:" + plain.get(i), p.get(i));
            }
            for (int i = 0; i < sharded.size(); i++) {
                all.put("s:" + sharded.get(i), s.get(i));
            }
            return all;
        });
    }

    private static List<String> first(List<String> channels) {
        return channels.size() <= SAMPLED_CHANNELS ? channels : channels.subList(0, SAMPLED_CHANNELS);
    }
}
