package io.wsk.redis;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Subscriber counts on a Redis Cluster, where each node counts only its own clients' subscriptions.
 *
 * <p>PUBSUB NUMSUB (classic channels) is asked of every node that is not failing and summed:
 * a classic subscriber may be on any node (Node's clients pick one; ours sit on masters, but a
 * master demoted by a failover keeps them until they move), and a node that does not answer has
 * no subscriber we could reach anyway. PUBSUB SHARDNUMSUB is asked of each channel's master,
 * the only node its subscribers can be on.
 */
final class ClusterSubscriberCounts {

    /** A node that does not answer a count in this time counts as none (it is failing). */
    private static final long ANSWER_MILLIS = 2_000;

    private final RedisClusterClient topology;
    private final StatefulRedisClusterConnection<byte[], byte[]> connection;

    ClusterSubscriberCounts(RedisClusterClient topology, StatefulRedisClusterConnection<byte[], byte[]> connection) {
        this.topology = topology;
        this.connection = connection;
    }

    CompletableFuture<List<Long>> numsub(List<String> channels) {
        List<CompletableFuture<List<Long>>> perNode = new ArrayList<>();
        for (RedisClusterNode node : topology.getPartitions().getPartitions()) {
            if (node.is(RedisClusterNode.NodeFlag.FAIL) || node.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL)) {
                continue;
            }
            perNode.add(on(node).thenCompose(redis -> redis.async().pubsubNumsub(SubscriberCounts.bytes(channels)))
                    .toCompletableFuture().orTimeout(ANSWER_MILLIS, TimeUnit.MILLISECONDS)
                    .thenApply(counts -> SubscriberCounts.inOrder(channels, counts))
                    .exceptionally(error -> null));
        }
        return CompletableFuture.allOf(perNode.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            long[] sums = new long[channels.size()];
            boolean any = false;
            for (CompletableFuture<List<Long>> answer : perNode) {
                List<Long> counts = answer.join();
                if (counts != null) {
                    any = true;
                    for (int i = 0; i < sums.length; i++) {
                        sums[i] += counts.get(i);
                    }
                }
            }
            if (!any) {
                throw new IllegalStateException("no node of the Redis Cluster answers");
            }
            List<Long> result = new ArrayList<>(sums.length);
            for (long sum : sums) {
                result.add(sum);
            }
            return result;
        });
    }

    CompletableFuture<List<Long>> shardNumsub(List<String> channels) {
        Map<RedisClusterNode, List<Integer>> byMaster = new LinkedHashMap<>();
        for (int i = 0; i < channels.size(); i++) {
            RedisClusterNode master = topology.getPartitions().getMasterBySlot(SlotHash.getSlot(Subscriptions.bytes(channels.get(i))));
            if (master == null) {
                return CompletableFuture.failedFuture(new IllegalStateException("a slot of the Redis Cluster has no master"));
            }
            byMaster.computeIfAbsent(master, m -> new ArrayList<>()).add(i);
        }
        Long[] result = new Long[channels.size()];
        List<CompletableFuture<Void>> answers = new ArrayList<>();
        byMaster.forEach((master, indexes) -> {
            List<String> asked = indexes.stream().map(channels::get).toList();
            answers.add(on(master).thenCompose(redis -> redis.async().pubsubShardNumsub(SubscriberCounts.bytes(asked)))
                    .toCompletableFuture().orTimeout(ANSWER_MILLIS, TimeUnit.MILLISECONDS)
                    .thenAccept(counts -> {
                        List<Long> inOrder = SubscriberCounts.inOrder(asked, counts);
                        for (int j = 0; j < indexes.size(); j++) {
                            result[indexes.get(j)] = inOrder.get(j);
                        }
                    }));
        });
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(ignored -> List.of(result));
    }

    private CompletableFuture<StatefulRedisConnection<byte[], byte[]>> on(RedisClusterNode node) {
        return connection.getConnectionAsync(node.getUri().getHost(), node.getUri().getPort());
    }
}
