package io.wsk.app;

import io.wsk.testkit.Commands;
import io.wsk.testkit.Executables;
import io.wsk.testkit.FreePorts;
import io.wsk.testkit.SocketIoClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy/Dockerfile} built and run for real, with no Docker engine: buildah builds it,
 * podman runs it, podman-compose runs {@code deploy/docker-compose.yml}.
 *
 * <p>Base images cannot be pulled here, so the Dockerfile's base-image arguments are given images
 * made from Debian packages by debootstrap: a JRE, a JDK with Maven (trusting what this machine
 * trusts, as its Maven downloads go through the machine's TLS egress), and one with redis-server
 * and haproxy for compose's REDIS_IMAGE and HAPROXY_IMAGE. Downloaded packages are kept in
 * {@code ~/.cache/wsk/debs}. Storage (vfs) and configuration live under {@code target/}.
 *
 * <p>What this machine's sandbox needs, and nothing a user's engine does: runc (crun refuses the
 * hybrid cgroup layout), an explicit nproc limit beside any ulimit (podman's own default nproc is
 * refused), nofile at most the machine's 20,000. podman-compose 1.0.3 ignores {@code --scale} and
 * breaks on replicas with a list healthcheck, so compose runs one wsk replica and two more are
 * started with {@code podman run} on the compose network under the same DNS alias, which is what
 * {@code --scale wsk=3} does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageIT {

    private static final String INSTALL = "apt-get install buildah podman runc debootstrap podman-compose (./wsk test does)";
    private static final String MIRROR = "http://deb.debian.org/debian";
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private final Path work = Path.of("target", "image-it").toAbsolutePath();
    private final String project = "wskit" + ProcessHandle.current().pid();
    private final Map<String, String> env = new HashMap<>();
    private final List<String> containers = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    void buildImage() throws Exception {
        for (String tool : List.of("debootstrap", "buildah", "podman", "runc", "podman-compose")) {
            Executables.require(tool, INSTALL);
        }
        deleteTree(work);
        Files.createDirectories(work.resolve("run"));
        Files.writeString(work.resolve("storage.conf"), "[storage]\ndriver = \"vfs\"\nrunroot = \"" + work.resolve("run")
                + "\"\ngraphroot = \"" + work.resolve("storage") + "\"\n");
        Files.writeString(work.resolve("containers.conf"), "[containers]\n"
                + "default_ulimits = [\"nproc=32768:32768\", \"nofile=20000:20000\"]\n"
                + "[engine]\nruntime = \"runc\"\ncgroup_manager = \"cgroupfs\"\nevents_logger = \"file\"\n");
        env.put("CONTAINERS_STORAGE_CONF", work.resolve("storage.conf").toString());
        env.put("CONTAINERS_CONF", work.resolve("containers.conf").toString());

        base("jre", "openjdk-17-jre-headless,ca-certificates", null);
        Path build = base("build", "openjdk-17-jdk-headless,maven,ca-certificates", null);
        Files.copy(Path.of("/etc/ssl/certs/java/cacerts"), build.resolve("etc/ssl/certs/java/cacerts"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Path.of("/etc/ssl/certs/ca-certificates.crt"), build.resolve("etc/ssl/certs/ca-certificates.crt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        base("tools", "redis-server,redis-tools,haproxy", "usr/local/etc/haproxy");
        importImage("jre", "localhost/wsk-it-jre:17", null);
        importImage("build", "localhost/wsk-it-build:17", null);
        importImage("tools", "localhost/wsk-it-redis:7", "CMD=[\"redis-server\"]");
        importImage("tools", "localhost/wsk-it-haproxy:2", "CMD=[\"haproxy\",\"-W\",\"-db\",\"-f\",\"/usr/local/etc/haproxy/haproxy.cfg\"]");
        for (String rootfs : List.of("jre", "build", "tools")) {
            // About 1.5 GB of trees and tarballs, in podman's storage now.
            deleteTree(work.resolve("rootfs-" + rootfs));
            Files.deleteIfExists(work.resolve(rootfs + ".tar"));
        }

        long start = System.nanoTime();
        run(Duration.ofMinutes(10), "buildah", "build", "--isolation", "chroot", "--format", "docker",
                "-f", REPO.resolve("deploy/Dockerfile").toString(),
                "--build-arg", "BUILD_IMAGE=localhost/wsk-it-build:17", "--build-arg", "RUNTIME_IMAGE=localhost/wsk-it-jre:17",
                "-t", "localhost/wsk:local", REPO.toString());
        System.out.printf("ImageIT: deploy/Dockerfile built in %d s; image %s%n",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start),
                run(Duration.ofMinutes(1), "podman", "image", "inspect", "--format", "{{.Size}} bytes", "localhost/wsk:local").trim());
    }

    @AfterAll
    void stopEverything() throws Exception {
        try {
            run(Duration.ofMinutes(2), "podman-compose", "-p", project, "-f", REPO.resolve("deploy/docker-compose.yml").toString(),
                    "-f", work.resolve("override.yml").toString(), "down");
        } catch (Exception | AssertionError ignored) {
            // nothing was started by compose
        }
        for (String container : containers) {
            try {
                run(Duration.ofMinutes(1), "podman", "rm", "-f", "-t", "2", container);
            } catch (Exception | AssertionError ignored) {
                // already gone
            }
        }
        try {
            run(Duration.ofMinutes(1), "podman", "network", "rm", "-f", project + "_default");
        } catch (Exception | AssertionError ignored) {
            // never made
        }
        // The images' and containers' storage (vfs: a full copy per image), about 1.5 GB; its
        // containers are gone, so nothing in it is mounted.
        deleteTree(work);
    }

    @Test
    void theImageServesHealthAndARealClient() throws Exception {
        int port = FreePorts.next();
        String name = project + "-single";
        containers.add(name);
        long start = System.nanoTime();
        run(Duration.ofMinutes(1), "podman", "run", "-d", "--name", name, "--network", "host", "-e", "PORT=" + port,
                "localhost/wsk:local");
        awaitHealth(port, Duration.ofSeconds(60));
        System.out.printf("ImageIT: podman run to /health 200 in %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));

        try (SocketIoClient client = SocketIoClient.connect("http://127.0.0.1:" + port)) {
            assertThat(client.awaitConnect().id()).isNotBlank();
        }
        String user = run(Duration.ofSeconds(30), "podman", "exec", name, "id", "-u").trim();
        assertThat(user).as("the image runs as its numeric non-root user").isEqualTo("10001");
    }

    @Test
    void theComposeStackBalancesThreeReplicasBehindHaproxy() throws Exception {
        int port = FreePorts.next();
        Files.writeString(work.resolve("override.yml"), """
                services:
                  wsk:
                    ulimits:
                      nofile: {soft: 20000, hard: 20000}
                      nproc: {soft: 32768, hard: 32768}
                  haproxy:
                    ulimits:
                      nofile: {soft: 20000, hard: 20000}
                      nproc: {soft: 32768, hard: 32768}
                """);
        env.put("WSK_PUBLISH", "127.0.0.1:" + port);
        env.put("REDIS_IMAGE", "localhost/wsk-it-redis:7");
        env.put("HAPROXY_IMAGE", "localhost/wsk-it-haproxy:2");
        run(Duration.ofMinutes(3), "podman-compose", "-p", project, "-f", REPO.resolve("deploy/docker-compose.yml").toString(),
                "-f", work.resolve("override.yml").toString(), "up", "-d");
        for (int replica = 2; replica <= 3; replica++) {
            String name = project + "_wsk_" + replica;
            containers.add(name);
            run(Duration.ofMinutes(1), "podman", "run", "-d", "--name", name, "--net", project + "_default",
                    "--network-alias", "wsk", "--read-only", "--tmpfs", "/tmp",
                    "--ulimit", "nofile=20000:20000", "--ulimit", "nproc=32768:32768",
                    "-e", "WSK_ADAPTER=redis", "-e", "REDIS_HOST=redis", "localhost/wsk:local");
        }
        awaitHealth(port, Duration.ofSeconds(90));

        // HAProxy finds the replicas by DNS; each answers handshakes under its own sticky cookie.
        Set<String> servers = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (servers.size() < 3 && System.nanoTime() < deadline) {
            HttpResponse<String> handshake = get(port, "/socket.io/?EIO=4&transport=polling");
            if (handshake != null && handshake.statusCode() == 200) {
                handshake.headers().firstValue("set-cookie").ifPresent(cookie -> servers.add(cookie.split(";")[0]));
            }
            Thread.sleep(100);
        }
        assertThat(servers).as("sticky cookies of distinct replicas behind HAProxy").hasSize(3);

        // Real clients through HAProxy, polling then upgrading (the cookie keeps each on its node).
        // Three handshakes in a row go to the three replicas (round robin), so the demo's chat
        // message reaches the other two only through Redis.
        List<SocketIoClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                SocketIoClient client = SocketIoClient.connect("http://127.0.0.1:" + port, Map.of("withCredentials", true));
                clients.add(client);
                client.awaitConnect();
            }
            assertThat(clients.get(0).emitWithAck("chat message", "across replicas").await().get(0).asText()).isEqualTo("ok");
            for (SocketIoClient client : clients.subList(1, 3)) {
                assertThat(client.awaitReceived("chat message").args().get(0).path("text").asText()).isEqualTo("across replicas");
            }
        } finally {
            SocketIoClient.closeAll(clients);
        }
    }

    private Path base(String name, String packages, String extraDir) throws Exception {
        Path root = work.resolve("rootfs-" + name);
        Path debs = Path.of(System.getProperty("user.home"), ".cache", "wsk", "debs");
        Files.createDirectories(debs);
        run(Duration.ofMinutes(10), "debootstrap", "--variant=minbase", "--include=" + packages,
                "--cache-dir=" + debs, "bookworm", root.toString(), MIRROR);
        for (String bulk : List.of("var/cache/apt", "var/lib/apt/lists", "usr/share/doc", "usr/share/man", "usr/share/locale")) {
            deleteTree(root.resolve(bulk));
        }
        if (extraDir != null) {
            Files.createDirectories(root.resolve(extraDir));
        }
        return root;
    }

    private void importImage(String rootfs, String tag, String change) throws Exception {
        Path tar = work.resolve(rootfs + ".tar");
        if (!Files.exists(tar)) {
            run(Duration.ofMinutes(5), "tar", "-C", work.resolve("rootfs-" + rootfs).toString(), "-cf", tar.toString(), ".");
        }
        List<String> command = new ArrayList<>(List.of("podman", "import"));
        if (change != null) {
            command.addAll(List.of("--change", change));
        }
        command.addAll(List.of(tar.toString(), tag));
        run(Duration.ofMinutes(5), command.toArray(String[]::new));
    }

    private void awaitHealth(int port, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = get(port, "/health");
            if (response != null && response.statusCode() == 200) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no /health 200 on port " + port + " within " + timeout);
    }

    private HttpResponse<String> get(int port, String path) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException notYet) {
            return null;
        }
    }

    /** Runs a command to its end with the containers' configuration; its output, or a failure. */
    private String run(Duration timeout, String... command) {
        return Commands.run(List.of(command), null, env, timeout).requireSuccess(List.of(command)).output();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
