package io.wsk.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A real Redis Cluster for tests: six {@link RedisServer}s on free loopback ports with
 * {@code cluster-enabled yes}, joined by {@code redis-cli --cluster create ... --cluster-replicas 1}
 * into three masters, each with a replica. {@code cluster-node-timeout} is 1 s, so a killed master
 * is replaced within a few seconds.
 *
 * <p>{@link #moveSlot} moves a slot (and its keys) to another master the way {@code redis-cli
 * --cluster reshard} does; {@link #killMasterOf} kills the master of a slot (SIGKILL) for its
 * replica to take over. {@code redis-cli} (Debian's {@code redis-tools}) is required: missing, it
 * fails the test with how to install it.
 */
public final class RedisCluster implements AutoCloseable {

    public static final String INSTALL_HINT = "install redis-cli (Redis 7): apt-get install -y redis-tools";
    public static final int NODE_TIMEOUT_MILLIS = 1000;
    private static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);

    private final List<RedisServer> nodes;
    private final RedisServer.Tls tls;

    private RedisCluster(List<RedisServer> nodes, RedisServer.Tls tls) {
        this.nodes = nodes;
        this.tls = tls;
    }

    /** Six nodes, three masters with a replica each, every slot covered, every node agreeing. */
    public static RedisCluster start() {
        return start(null);
    }

    /**
     * Like {@link #start()}, over TLS when {@code tls} is not {@code null}: clients, replication and
     * the cluster bus ({@code --tls-cluster yes}); the nodes announce their TLS ports.
     */
    public static RedisCluster start(RedisServer.Tls tls) {
        String cli = Executables.require("redis-cli", INSTALL_HINT).toString();
        List<RedisServer> nodes = new ArrayList<>();
        RedisCluster cluster = new RedisCluster(nodes, tls);
        try {
            for (int i = 0; i < 6; i++) {
                List<String> args = new ArrayList<>(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", Integer.toString(NODE_TIMEOUT_MILLIS),
                        // The bus port of its own: port + 10000 may be taken, or past 65535.
                        "--cluster-port", Integer.toString(FreePorts.next())));
                if (tls != null) {
                    args.addAll(List.of("--tls-cluster", "yes"));
                }
                nodes.add(RedisServer.start(tls, args));
            }
            List<String> command = new ArrayList<>(List.of(cli));
            if (tls != null) {
                command.addAll(List.of("--tls", "--cacert", tls.ca().cert().toString()));
            }
            command.addAll(List.of("--cluster", "create"));
            for (RedisServer node : nodes) {
                command.add(RedisServer.HOST + ":" + node.port());
            }
            command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            Commands.run(command, null, Map.of(), FORM_TIMEOUT).requireSuccess(command);
            cluster.awaitHealthy(FORM_TIMEOUT);
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** {@code redis-cluster://} ({@code rediss-cluster://} with TLS) with the first three nodes as seeds. */
    public String url() {
        return url("");
    }

    /** {@link #url()} with {@code userInfo} ({@code user:password@}) before the seeds. */
    public String url(String userInfo) {
        StringBuilder url = new StringBuilder(tls == null ? "redis-cluster://" : "rediss-cluster://").append(userInfo);
        for (int i = 0; i < 3; i++) {
            url.append(i == 0 ? "" : ",").append(RedisServer.HOST).append(':').append(nodes.get(i).port());
        }
        return url.toString();
    }

    public List<RedisServer> nodes() {
        return List.copyOf(nodes);
    }

    /** The live nodes that are masters now, as the first live node sees it. */
    public List<RedisServer> masters() {
        List<RedisServer> masters = new ArrayList<>();
        for (String[] line : clusterNodes()) {
            if (line[2].contains("master") && !line[2].contains("fail")) {
                byPort(port(line[1])).filter(RedisServer::isRunning).ifPresent(masters::add);
            }
        }
        return masters;
    }

    /** The slot of {@code key} (or channel), as Redis computes it. */
    public int slot(String key) {
        return ((Long) live().command("CLUSTER", "KEYSLOT", key)).intValue();
    }

    /** The master serving {@code slot} now, as the first live node sees it. */
    public RedisServer masterOf(int slot) {
        for (Object range : (List<?>) live().command("CLUSTER", "SLOTS")) {
            List<?> r = (List<?>) range;
            if ((Long) r.get(0) <= slot && slot <= (Long) r.get(1)) {
                int port = ((Long) ((List<?>) r.get(2)).get(1)).intValue();
                return byPort(port).orElseThrow();
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }

    /** Kills (SIGKILL) the master of {@code slot}; its replica takes over after the node timeout. */
    public RedisServer killMasterOf(int slot) {
        RedisServer master = masterOf(slot);
        master.kill();
        return master;
    }

    /**
     * Moves {@code slot} and its keys to master {@code to}, as {@code redis-cli --cluster reshard}
     * does: importing on the target, migrating on the source, keys migrated, then the new owner
     * told to every master.
     */
    public void moveSlot(int slot, RedisServer to) {
        RedisServer from = masterOf(slot);
        if (from == to) {
            return;
        }
        String fromId = (String) from.command("CLUSTER", "MYID");
        String toId = (String) to.command("CLUSTER", "MYID");
        to.command("CLUSTER", "SETSLOT", slot, "IMPORTING", fromId);
        from.command("CLUSTER", "SETSLOT", slot, "MIGRATING", toId);
        for (int round = 0; round < 1000; round++) {
            List<?> keys = (List<?>) from.command("CLUSTER", "GETKEYSINSLOT", slot, 100);
            if (keys.isEmpty()) {
                break;
            }
            List<Object> migrate = new ArrayList<>(List.of("MIGRATE", RedisServer.HOST, to.port(), "", 0, 5000, "KEYS"));
            migrate.addAll(keys);
            from.command(migrate.toArray());
        }
        to.command("CLUSTER", "SETSLOT", slot, "NODE", toId);
        from.command("CLUSTER", "SETSLOT", slot, "NODE", toId);
        for (RedisServer master : masters()) {
            if (master != to && master != from) {
                master.command("CLUSTER", "SETSLOT", slot, "NODE", toId);
            }
        }
    }

    /** Waits until every live node says the cluster is ok and agrees on who serves every slot. */
    public void awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                boolean ok = true;
                Map<String, Long> owners = null;
                for (RedisServer node : nodes) {
                    if (!node.isRunning()) {
                        continue;
                    }
                    String info = (String) node.command("CLUSTER", "INFO");
                    last = node.port() + ": " + info.lines().filter(l -> l.startsWith("cluster_state")).findFirst().orElse("");
                    Map<String, Long> mine = owners(node.command("CLUSTER", "SLOTS"));
                    ok &= info.contains("cluster_state:ok") && (owners == null || owners.equals(mine));
                    owners = owners == null ? mine : owners;
                }
                if (ok) {
                    return;
                }
            } catch (RuntimeException notYet) {
                last = notYet.toString();
            }
            sleep(100);
        }
        throw new IllegalStateException("the Redis Cluster did not become healthy in " + timeout.toSeconds() + " s: " + last);
    }

    /** A CLUSTER SLOTS reply as slot range to its master's port (replicas aside). */
    private static Map<String, Long> owners(Object slots) {
        Map<String, Long> owners = new TreeMap<>();
        for (Object range : (List<?>) slots) {
            List<?> r = (List<?>) range;
            owners.put(r.get(0) + "-" + r.get(1), (Long) ((List<?>) r.get(2)).get(1));
        }
        return owners;
    }

    private List<String[]> clusterNodes() {
        List<String[]> lines = new ArrayList<>();
        for (String line : ((String) live().command("CLUSTER", "NODES")).split("\n")) {
            if (!line.isBlank()) {
                lines.add(line.trim().split(" "));
            }
        }
        return lines;
    }

    private static int port(String address) {
        // host:port@busport
        String hostPort = address.contains("@") ? address.substring(0, address.indexOf('@')) : address;
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    private Optional<RedisServer> byPort(int port) {
        return nodes.stream().filter(n -> n.port() == port).findFirst();
    }

    private RedisServer live() {
        return nodes.stream().filter(RedisServer::isRunning).findFirst()
                .orElseThrow(() -> new IllegalStateException("no node of the Redis Cluster runs"));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every node's log, for failure messages. */
    public String report() {
        StringBuilder out = new StringBuilder();
        for (RedisServer node : nodes) {
            out.append(node.report()).append('\n');
        }
        return out.toString();
    }

    @Override
    public void close() {
        for (RedisServer node : nodes) {
            node.close();
        }
    }
}
