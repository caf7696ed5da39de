package io.wsk.redis;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * A connection commands are written to, to one Redis or to a cluster (where each command goes to
 * the node of its key's slot): the commands both have, so that the backlog, the stream readers
 * and the session store need not know which.
 */
interface RedisLink {

    boolean isOpen();

    RedisClusterAsyncCommands<byte[], byte[]> async();

    void closeAsync();

    static RedisLink of(StatefulRedisConnection<byte[], byte[]> connection) {
        return new RedisLink() {
            @Override
            public boolean isOpen() {
                return connection.isOpen();
            }

            @Override
            public RedisClusterAsyncCommands<byte[], byte[]> async() {
                return connection.async();
            }

            @Override
            public void closeAsync() {
                connection.closeAsync();
            }
        };
    }

    /**
     * A cluster connection counts as open until closed: it is many connections, one per node,
     * and a command for a node that is down fails on its own (and is written again once the
     * slot has a master), which is all a caller needs to know.
     */
    static RedisLink of(StatefulRedisClusterConnection<byte[], byte[]> connection) {
        return new RedisLink() {
            private volatile boolean closed;

            @Override
            public boolean isOpen() {
                return !closed;
            }

            @Override
            public RedisClusterAsyncCommands<byte[], byte[]> async() {
                return connection.async();
            }

            @Override
            public void closeAsync() {
                closed = true;
                ((StatefulConnection<byte[], byte[]>) connection).closeAsync();
            }
        };
    }
}
