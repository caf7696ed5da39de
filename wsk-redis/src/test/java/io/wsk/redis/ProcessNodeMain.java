package io.wsk.redis;

import io.wsk.adapter.Adapter;

/**
 * The program of a {@link ProcessNode}: a {@link WskNode} in a JVM of its own. Arguments: the Redis
 * url, the channel prefix, the adapter ({@code classic}, or a {@link SubscriptionMode} for the
 * sharded one) and the node's name, which it answers to the server-side event {@code who}. Prints
 * {@code ready <uid of /> <port>} once serving, and stops when its stdin ends (the test JVM
 * closed it, or died).
 */
public final class ProcessNodeMain {

    private ProcessNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        WskNode.Builder builder = WskNode.builder(args[0]).key(args[1]).name(args[3]);
        if (!args[2].equals("classic")) {
            builder.sharded(SubscriptionMode.valueOf(args[2]));
        }
        try (WskNode node = builder.start()) {
            node.answerServerSideEmit("who", node.name());
            Adapter adapter = node.adapter();
            String uid = adapter instanceof RedisAdapter classic ? classic.uid() : ((ShardedRedisAdapter) adapter).uid();
            System.out.println("ready " + uid + " " + node.port());
            System.out.flush();
            while (System.in.read() != -1) {
                // nothing is sent: this only waits for the end of the stream
            }
        }
        System.exit(0);
    }
}
