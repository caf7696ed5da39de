package io.wsk.redis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** PUBSUB NUMSUB and SHARDNUMSUB replies put back in the order the channels were asked for. */
final class SubscriberCounts {

    private SubscriberCounts() {
    }

    static byte[][] bytes(List<String> channels) {
        return channels.stream().map(Subscriptions::bytes).toArray(byte[][]::new);
    }

    /** The counts of {@code channels} in their order: the reply's map is keyed by byte arrays, found by content. */
    static List<Long> inOrder(List<String> channels, Map<byte[], Long> counts) {
        List<Long> result = new ArrayList<>(channels.size());
        for (String channel : channels) {
            byte[] key = Subscriptions.bytes(channel);
            long count = 0;
            for (Map.Entry<byte[], Long> entry : counts.entrySet()) {
                if (Arrays.equals(entry.getKey(), key)) {
                    count = entry.getValue();
                    break;
                }
            }
            result.add(count);
        }
        return result;
    }
}
