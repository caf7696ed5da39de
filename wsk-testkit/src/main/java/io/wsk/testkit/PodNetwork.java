package io.wsk.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Pods as a Kubernetes StatefulSet behind a headless Service gives them, on this machine: each its
 * own network namespace (its own loopback and ports, so every Redis may listen on 6379), all on
 * one bridge that the test creates, each resolving the others by their stable DNS names
 * ({@code redis-0.redis-headless}; {@code ip netns exec} reads {@code /etc/netns/<ns>/hosts}), and
 * each process run with the pod's host name ({@code redis-0}) in its own UTS namespace. For
 * running a deployment's own start scripts for real without a cluster.
 *
 * <p>Needs root (network namespaces) and iproute2's {@code ip} and util-linux's {@code unshare}.
 * Everything made is removed by {@link #close}.
 */
public final class PodNetwork implements AutoCloseable {

    public static final String INSTALL_HINT = "install iproute2 and util-linux (apt-get install -y iproute2 util-linux); "
            + "network namespaces also need root";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

    private final String tag;
    private final String bridge;
    private final Map<String, Pod> pods = new LinkedHashMap<>();
    private final Path ip;
    private final Path unshare;

    /** One pod: its namespace, its address, and the processes started in it. */
    public final class Pod {
        private final String name;
        private final String dnsName;
        private final String namespace;
        private final String address;
        private final List<ChildProcess> processes = new ArrayList<>();

        private Pod(String dnsName, String namespace, String address) {
            this.dnsName = dnsName;
            this.name = dnsName.split("\\.")[0];
            this.namespace = namespace;
            this.address = address;
        }

        /** The pod's host name, e.g. {@code redis-0}. */
        public String name() {
            return name;
        }

        /** Its stable DNS name, e.g. {@code redis-0.redis-headless}. */
        public String dnsName() {
            return dnsName;
        }

        /** Starts {@code command} in the pod (its network and host name), in the background. */
        public void start(List<String> command) {
            List<String> full = new ArrayList<>(List.of(ip.toString(), "netns", "exec", namespace, unshare.toString(), "--uts",
                    "sh", "-c", "hostname \"$0\" && exec \"$@\"", name));
            full.addAll(command);
            processes.add(ChildProcess.start(name, full, Map.of()));
        }

        /** Runs {@code command} in the pod's network to its end (e.g. {@code redis-cli ...}). */
        public Commands.Result exec(List<String> command) {
            List<String> full = new ArrayList<>(List.of(ip.toString(), "netns", "exec", namespace));
            full.addAll(command);
            return Commands.run(full, null, Map.of(), COMMAND_TIMEOUT);
        }

        /** SIGKILL of everything started in the pod, as when its node dies. */
        public void kill() {
            processes.forEach(ChildProcess::kill);
            processes.clear();
        }

        /** Takes the next output line (stdout) of the pod's latest process matching {@code predicate}. */
        public String awaitOutput(Predicate<String> predicate, Duration timeout) {
            ChildProcess latest = processes.get(processes.size() - 1);
            return latest.stdout().await(predicate, timeout)
                    .orElseThrow(() -> new AssertionError("pod " + name + ": no such output within " + timeout.toMillis()
                            + " ms\n" + latest.report()));
        }

        public String report() {
            StringBuilder out = new StringBuilder("--- pod " + dnsName + " (" + address + ")\n");
            processes.forEach(p -> out.append(p.report()).append('\n'));
            return out.toString();
        }
    }

    private PodNetwork(String tag, Path ip, Path unshare) {
        this.tag = tag;
        this.bridge = "wskbr" + tag;
        this.ip = ip;
        this.unshare = unshare;
    }

    /** Pods named {@code dnsNames} (e.g. {@code redis-0.redis-headless}), up and resolving each other. */
    public static PodNetwork create(List<String> dnsNames) {
        Path ip = Executables.require("ip", INSTALL_HINT);
        Path unshare = Executables.require("unshare", INSTALL_HINT);
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new AssertionError("PodNetwork makes network namespaces, which needs root: run the tests as root");
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        PodNetwork network = new PodNetwork(HexFormat.of().toHexDigits((short) random.nextInt(1 << 16)), ip, unshare);
        String subnet = "10." + (100 + random.nextInt(100)) + "." + random.nextInt(250) + ".";
        try {
            network.run(List.of("link", "add", network.bridge, "type", "bridge"));
            network.run(List.of("addr", "add", subnet + "1/24", "dev", network.bridge));
            network.run(List.of("link", "set", network.bridge, "up"));
            StringBuilder hosts = new StringBuilder("127.0.0.1 localhost\n");
            for (int i = 0; i < dnsNames.size(); i++) {
                Pod pod = network.new Pod(dnsNames.get(i), "wsk" + network.tag + "-" + i, subnet + (10 + i));
                network.pods.put(pod.dnsName, pod);
                hosts.append(pod.address).append(' ').append(pod.dnsName).append(' ').append(pod.name).append('\n');
            }
            int i = 0;
            for (Pod pod : network.pods.values()) {
                String veth = "wskv" + network.tag + i++;
                network.run(List.of("netns", "add", pod.namespace));
                network.run(List.of("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", pod.namespace));
                network.run(List.of("link", "set", veth, "master", network.bridge, "up"));
                network.run(List.of("-n", pod.namespace, "addr", "add", pod.address + "/24", "dev", "eth0"));
                network.run(List.of("-n", pod.namespace, "link", "set", "eth0", "up"));
                network.run(List.of("-n", pod.namespace, "link", "set", "lo", "up"));
                Path etc = Path.of("/etc/netns", pod.namespace);
                Files.createDirectories(etc);
                Files.writeString(etc.resolve("hosts"), hosts);
            }
            return network;
        } catch (IOException e) {
            network.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | AssertionError e) {
            network.close();
            throw e;
        }
    }

    public Pod pod(String dnsName) {
        Pod pod = pods.get(dnsName);
        if (pod == null) {
            throw new IllegalArgumentException("no pod " + dnsName + " in " + pods.keySet());
        }
        return pod;
    }

    public String report() {
        StringBuilder out = new StringBuilder();
        pods.values().forEach(pod -> out.append(pod.report()));
        return out.toString();
    }

    private void run(List<String> args) {
        List<String> command = new ArrayList<>(List.of(ip.toString()));
        command.addAll(args);
        Commands.run(command, null, Map.of(), COMMAND_TIMEOUT).requireSuccess(command);
    }

    @Override
    public void close() {
        for (Pod pod : pods.values()) {
            pod.kill();
            List<String> delete = List.of(ip.toString(), "netns", "del", pod.namespace);
            Commands.run(delete, null, Map.of(), COMMAND_TIMEOUT);
            try {
                Path etc = Path.of("/etc/netns", pod.namespace);
                Files.deleteIfExists(etc.resolve("hosts"));
                Files.deleteIfExists(etc);
            } catch (IOException e) {
                // left behind in /etc/netns: harmless, and named after this run's tag
            }
        }
        Commands.run(List.of(ip.toString(), "link", "del", bridge), null, Map.of(), COMMAND_TIMEOUT);
    }
}
