package io.wsk.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.wsk.testkit.Executables;
import io.wsk.testkit.Interop;
import io.wsk.testkit.PodNetwork;
import io.wsk.testkit.PodNetwork.Pod;
import io.wsk.testkit.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis of {@code deploy/k8s/overlays/redis-sentinel} run for real, without a cluster: its
 * own start scripts (from the overlay's ConfigMap) and the containers' commands, in pods made of
 * network namespaces with the StatefulSets' stable names ({@link PodNetwork}). The mount paths the
 * StatefulSets give ({@code /scripts}, {@code /data}) become per-pod directories; nothing else of
 * the scripts is changed.
 *
 * <p>What the overlay promises: redis-0 starts as master and redis-1 as its replica; when the
 * master dies the sentinels promote the replica; the old master, restarted, rejoins as a replica of
 * the new one (not as a second master); a restarted sentinel monitors the current master.
 */
class SentinelOverlayIT {

    private static final Path MANIFEST = Interop.repoRoot().resolve("deploy/k8s/overlays/redis-sentinel/redis-sentinel.yaml");
    private static final String MASTER_NAME = "wsk";
    private static final List<String> REDIS = List.of("redis-0.redis-headless", "redis-1.redis-headless");
    private static final List<String> SENTINELS = List.of("redis-sentinel-0.redis-sentinel",
            "redis-sentinel-1.redis-sentinel", "redis-sentinel-2.redis-sentinel");

    @TempDir
    Path dir;
    private PodNetwork network;
    private Path redisCli;

    @AfterEach
    void stop() {
        if (network != null) {
            network.close();
        }
    }

    @Test
    void theReplicaIsPromotedAndTheOldMasterRejoinsAsItsReplica() throws Exception {
        Executables.require("redis-server", RedisServer.INSTALL_HINT);
        redisCli = Executables.require("redis-cli", "install redis-tools: apt-get install -y redis-tools");
        Map<String, JsonNode> sets = statefulSets();
        Map<String, String> scripts = scripts();
        List<String> all = new ArrayList<>(REDIS);
        all.addAll(SENTINELS);
        network = PodNetwork.create(all);

        for (String sentinel : SENTINELS) {
            start(network.pod(sentinel), sets.get("redis-sentinel"), scripts);
        }
        start(network.pod(REDIS.get(0)), sets.get("redis"), scripts);
        network.pod(REDIS.get(0)).awaitOutput(line -> line.equals("starting as the master"), Duration.ofSeconds(10));
        awaitTrue(() -> cli(REDIS.get(0), 6379, "ping").equals("PONG"), Duration.ofSeconds(10), "redis-0 answers");
        start(network.pod(REDIS.get(1)), sets.get("redis"), scripts);
        network.pod(REDIS.get(1)).awaitOutput(line -> line.equals("starting as a replica of " + REDIS.get(0)), Duration.ofSeconds(10));
        awaitTrue(() -> cli(REDIS.get(0), 6379, "info", "replication").contains("ip=" + REDIS.get(1) + ",port=6379,state=online"),
                Duration.ofSeconds(20), "redis-1 replicating redis-0");
        // Each sentinel must know the replica and the two other sentinels before it can fail over:
        // whichever is elected leader picks the replica to promote (it learns of it from the
        // master's INFO, every 10 s), else it aborts ("no good slave").
        for (String sentinel : SENTINELS) {
            awaitTrue(() -> {
                String state = cli(sentinel, 26379, "sentinel", "master", MASTER_NAME);
                return master(sentinel).equals(REDIS.get(0)) && state.contains("num-other-sentinels\n2")
                        && state.contains("num-slaves\n1");
            }, Duration.ofSeconds(30), sentinel + " sees redis-0, its replica and the other sentinels");
        }

        long t0 = System.nanoTime();
        network.pod(REDIS.get(0)).kill();
        awaitTrue(() -> SENTINELS.stream().allMatch(s -> master(s).equals(REDIS.get(1)))
                && cli(REDIS.get(1), 6379, "role").startsWith("master"), Duration.ofSeconds(30), "redis-1 promoted");
        long promoted = (System.nanoTime() - t0) / 1_000_000;

        start(network.pod(REDIS.get(0)), sets.get("redis"), scripts);
        network.pod(REDIS.get(0)).awaitOutput(line -> line.equals("starting as a replica of " + REDIS.get(1)), Duration.ofSeconds(10));
        awaitTrue(() -> cli(REDIS.get(1), 6379, "info", "replication").contains("ip=" + REDIS.get(0) + ",port=6379,state=online"),
                Duration.ofSeconds(20), "the old master replicating the new one");
        long rejoined = (System.nanoTime() - t0) / 1_000_000;

        Pod sentinel = network.pod(SENTINELS.get(2));
        sentinel.kill();
        start(sentinel, sets.get("redis-sentinel"), scripts);
        awaitTrue(() -> master(SENTINELS.get(2)).equals(REDIS.get(1)), Duration.ofSeconds(10), "a restarted sentinel on the new master");
        String config = Files.readString(dir.resolve(sentinel.name()).resolve("data").resolve("sentinel.conf"));
        assertThat(config).as("the restarted sentinel's configuration").contains("sentinel monitor wsk " + REDIS.get(1) + " 6379 2");

        System.out.printf("k8s Sentinel overlay (its scripts, in network namespaces): kill -9 of the master; all sentinels"
                + " named redis-1 %d ms later; the old master back as its replica at %d ms%n", promoted, rejoined);
        // down-after-milliseconds is 5 s; the failover itself takes about a second more.
        assertThat(promoted).as("ms from the kill to the promotion").isBetween(4_000L, 20_000L);
    }

    /** Starts the container of {@code set} in {@code pod}: its command, with the mount paths made the pod's directories. */
    private void start(Pod pod, JsonNode set, Map<String, String> scripts) throws IOException {
        Path root = dir.resolve(pod.name());
        Map<String, String> mounts = new HashMap<>();
        JsonNode container = set.path("spec").path("template").path("spec").path("containers").get(0);
        for (JsonNode mount : container.path("volumeMounts")) {
            Path local = root.resolve(mount.path("name").asText());
            Files.createDirectories(local);
            mounts.put(mount.path("mountPath").asText(), local.toString());
        }
        Path scriptDir = Path.of(mounts.get("/scripts"));
        for (Map.Entry<String, String> script : scripts.entrySet()) {
            Files.writeString(scriptDir.resolve(script.getKey()), localPaths(script.getValue(), mounts));
        }
        List<String> command = new ArrayList<>();
        container.path("command").forEach(part -> command.add(localPaths(part.asText(), mounts)));
        pod.start(command);
    }

    /** {@code text} with each mount path (a whole path component: {@code /data}, {@code /data/x}, not {@code /database}) made local. */
    private static String localPaths(String text, Map<String, String> mounts) {
        String out = text;
        for (Map.Entry<String, String> mount : mounts.entrySet()) {
            out = out.replaceAll(Pattern.quote(mount.getKey()) + "(?=[/\\s\"']|$)", Matcher.quoteReplacement(mount.getValue()));
        }
        return out;
    }

    private String master(String sentinel) {
        String answer = cli(sentinel, 26379, "sentinel", "get-master-addr-by-name", MASTER_NAME);
        return answer.isEmpty() ? "" : answer.split("\n")[0];
    }

    /** {@code redis-cli --raw} from {@code host}'s own pod (its network), to {@code host:port}; its output, trimmed. */
    private String cli(String host, int port, String... args) {
        List<String> command = new ArrayList<>(List.of(redisCli.toString(), "-h", host, "-p", Integer.toString(port), "--raw"));
        command.addAll(List.of(args));
        return network.pod(host).exec(command).output().trim();
    }

    private void awaitTrue(Supplier<Boolean> condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + timeout.toMillis() + " ms\n" + network.report());
            }
            ClusterFixture.sleep(200);
        }
    }

    private static Map<String, JsonNode> statefulSets() throws IOException {
        Map<String, JsonNode> sets = new HashMap<>();
        for (JsonNode doc : documents()) {
            if (doc.path("kind").asText().equals("StatefulSet")) {
                sets.put(doc.path("metadata").path("name").asText(), doc);
            }
        }
        return sets;
    }

    private static Map<String, String> scripts() throws IOException {
        Map<String, String> scripts = new HashMap<>();
        for (JsonNode doc : documents()) {
            if (doc.path("kind").asText().equals("ConfigMap")) {
                for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("data").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    scripts.put(entry.getKey(), entry.getValue().asText());
                }
            }
        }
        return scripts;
    }

    private static List<JsonNode> documents() throws IOException {
        try (MappingIterator<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class).readValues(MANIFEST.toFile())) {
            return docs.readAll();
        }
    }
}
