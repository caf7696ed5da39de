package io.wsk.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import io.wsk.testkit.Commands;
import io.wsk.testkit.Executables;
import io.wsk.testkit.Interop;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Checks every file in {@code deploy/} as far as this machine allows without a Docker engine or a
 * Kubernetes cluster:
 * <ul>
 *   <li>{@code deploy/k8s/*.yaml}: each object is parsed by the official Kubernetes Java client's
 *   API models, which reject unknown fields, missing required fields and wrong types; then the
 *   properties the operations guide promises (probes, grace period, affinity, non-root, ...).</li>
 *   <li>{@code deploy/docker-compose.yml}: {@code docker-compose config -q} (Debian's
 *   {@code docker-compose}, which parses and validates without a daemon), then the same kind of
 *   properties.</li>
 *   <li>{@code deploy/Dockerfile}: dockerfile-utils (npm, {@code deploy/lint/}), then the
 *   properties, including that its JVM flags are the {@code ./wsk} launcher's.</li>
 * </ul>
 * Images are not built and nothing is deployed here; see docs/OPERATIONS.md.
 */
class DeployFilesTest {

    /** Drain.run waits the window plus 1 s, then closing connections and event loops takes up to ~5 s. */
    private static final int CLOSE_MARGIN_SECONDS = 6;
    /** pingInterval + pingTimeout (25 s + 20 s by default): the longest a healthy client stays silent. */
    private static final int HEARTBEAT_SECONDS = 45;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    private static Path root;
    private static Path deploy;

    @BeforeAll
    static void locate() {
        root = Interop.repoRoot();
        deploy = root.resolve("deploy");
    }

    // ---------------------------------------------------------------- Kubernetes

    @Test
    void kubernetesObjectsAreValidApiObjects() throws IOException {
        Map<String, JsonNode> objects = k8sObjects();
        assertThat(objects.keySet()).as("objects in deploy/k8s").contains(
                "Deployment/wsk", "Service/wsk", "PodDisruptionBudget/wsk", "HorizontalPodAutoscaler/wsk",
                "Ingress/wsk", "Deployment/redis", "Service/redis");
        for (Map.Entry<String, JsonNode> entry : objects.entrySet()) {
            JsonNode object = entry.getValue();
            String apiKind = object.path("apiVersion").asText() + " " + object.path("kind").asText();
            String json = JSON.writeValueAsString(object);
            try {
                switch (apiKind) {
                    case "apps/v1 Deployment" -> V1Deployment.fromJson(json);
                    case "apps/v1 StatefulSet" -> V1StatefulSet.fromJson(json);
                    case "v1 ConfigMap" -> V1ConfigMap.fromJson(json);
                    case "v1 Service" -> V1Service.fromJson(json);
                    case "policy/v1 PodDisruptionBudget" -> V1PodDisruptionBudget.fromJson(json);
                    case "autoscaling/v2 HorizontalPodAutoscaler" -> V2HorizontalPodAutoscaler.fromJson(json);
                    case "networking.k8s.io/v1 Ingress" -> V1Ingress.fromJson(json);
                    default -> fail("%s: no validator for %s; add its model class to this test", entry.getKey(), apiKind);
                }
            } catch (RuntimeException | IOException e) {
                fail("%s (%s) is not a valid Kubernetes object: %s", entry.getKey(), apiKind, e.getMessage());
            }
        }
    }

    /**
     * Every kustomization (the top, the base, the components, the overlays) lists exactly the
     * manifests beside it, and refers only to directories that are kustomizations or components.
     * The default ({@code kubectl apply -k deploy/k8s}) must work on a bare cluster: no Ingress
     * (a controller and a TLS secret) and no HPA (metrics-server); those are opt-in components.
     */
    @Test
    void kustomizationsListEveryManifestAndTheDefaultNeedsNothingExtra() throws IOException {
        Path k8s = deploy.resolve("k8s");
        List<Path> kustomizations;
        try (Stream<Path> walk = Files.walk(k8s)) {
            kustomizations = walk.filter(p -> p.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
        }
        assertThat(kustomizations.stream().map(p -> k8s.relativize(p).toString())).contains("kustomization.yaml",
                "base/kustomization.yaml", "components/nodeport/kustomization.yaml", "components/ingress/kustomization.yaml",
                "components/hpa/kustomization.yaml", "overlays/nodeport/kustomization.yaml", "overlays/production/kustomization.yaml",
                "overlays/redis-sentinel/kustomization.yaml");
        for (Path file : kustomizations) {
            Path dir = file.getParent();
            JsonNode kustomization = YAML.readTree(file.toFile());
            boolean component = dir.getParent().getFileName().toString().equals("components");
            assertThat(kustomization.path("kind").asText()).as("kind of %s", file).isEqualTo(component ? "Component" : "Kustomization");
            TreeSet<String> listedFiles = new TreeSet<>();
            for (String field : List.of("resources", "components")) {
                for (JsonNode entry : kustomization.path(field)) {
                    Path target = dir.resolve(entry.asText()).normalize();
                    if (entry.asText().endsWith(".yaml")) {
                        listedFiles.add(entry.asText());
                    } else {
                        assertThat(target.resolve("kustomization.yaml")).as("%s in %s", entry.asText(), file).exists();
                    }
                }
            }
            TreeSet<String> files;
            try (Stream<Path> list = Files.list(dir)) {
                files = list.map(p -> p.getFileName().toString())
                        .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
                        .collect(Collectors.toCollection(TreeSet::new));
            }
            assertThat(listedFiles).as("manifests listed in %s", file).isEqualTo(files);
        }
        // What the default applies: the base (the top kustomization is the base alone).
        assertThat(YAML.readTree(k8s.resolve("kustomization.yaml").toFile()).path("resources").toString()).isEqualTo("[\"base\"]");
        TreeSet<String> baseKinds = new TreeSet<>();
        try (Stream<Path> list = Files.list(k8s.resolve("base"))) {
            for (Path manifest : list.filter(p -> p.toString().endsWith(".yaml") && !p.endsWith("kustomization.yaml")).toList()) {
                try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(manifest.toFile())) {
                    while (docs.hasNext()) {
                        JsonNode doc = docs.next();
                        if (doc != null && !doc.isEmpty()) {
                            baseKinds.add(doc.path("kind").asText());
                        }
                    }
                }
            }
        }
        assertThat(baseKinds).as("kinds the default applies").doesNotContain("Ingress", "HorizontalPodAutoscaler");

        // The article's NodePort, as a component: type NodePort on 30000 for Service/wsk.
        JsonNode nodeport = YAML.readTree(k8s.resolve("components/nodeport/kustomization.yaml").toFile()).path("patches").get(0);
        assertThat(nodeport.path("target").path("kind").asText() + "/" + nodeport.path("target").path("name").asText())
                .isEqualTo("Service/wsk");
        JsonNode patch = YAML.readTree(nodeport.path("patch").asText());
        assertThat(patch.path("spec").path("type").asText()).isEqualTo("NodePort");
        assertThat(patch.path("spec").path("ports").get(0).path("nodePort").asInt()).isEqualTo(30000);
        assertThat(patch.path("spec").path("ports").get(0).path("name").asText())
                .as("the patched port is the Service's own (merged by name)")
                .isEqualTo(k8sObjects().get("Service/wsk").path("spec").path("ports").get(0).path("name").asText());
    }

    @Test
    void wskDeploymentProbesDrainAndSecurity() throws IOException {
        Map<String, JsonNode> objects = k8sObjects();
        JsonNode deployment = objects.get("Deployment/wsk");
        JsonNode spec = deployment.path("spec");
        assertThat(spec.path("replicas").asInt()).as("wsk replicas").isEqualTo(3);
        JsonNode pod = spec.path("template").path("spec");
        JsonNode container = only(pod.path("containers"), "wsk containers");
        Map<String, String> env = env(container);
        int port = container.path("ports").get(0).path("containerPort").asInt();
        assertThat(env.getOrDefault("PORT", String.valueOf(defaultOf("port"))))
                .as("PORT and the container port").isEqualTo(String.valueOf(port));
        assertThat(env.get("WSK_ADAPTER")).as("WSK_ADAPTER").isIn("redis", "redis-sharded");
        assertThat(objects).as("a Service named after REDIS_HOST").containsKey("Service/" + env.get("REDIS_HOST"));

        assertProbe(container, "livenessProbe", "/health");
        assertProbe(container, "readinessProbe", "/ready");
        assertProbe(container, "startupProbe", "/health");

        int preStop = preStopSleep(container.path("lifecycle").path("preStop"));
        assertThat(preStop).as("preStop sleep seconds (endpoints must update before SIGTERM)").isBetween(3, 30);
        int drain = Integer.parseInt(env.getOrDefault("WSK_DRAIN_SECONDS", String.valueOf(defaultOf("drainSeconds"))));
        int grace = pod.path("terminationGracePeriodSeconds").asInt(30);
        assertThat(grace).as("terminationGracePeriodSeconds > preStop %d + drain %d + closing %d",
                preStop, drain, CLOSE_MARGIN_SECONDS).isGreaterThan(preStop + drain + CLOSE_MARGIN_SECONDS);

        JsonNode resources = container.path("resources");
        for (String kind : List.of("requests", "limits")) {
            for (String resource : List.of("cpu", "memory")) {
                assertThat(resources.path(kind).hasNonNull(resource)).as("resources.%s.%s", kind, resource).isTrue();
            }
        }

        JsonNode podSecurity = pod.path("securityContext");
        JsonNode security = container.path("securityContext");
        assertThat(podSecurity.path("runAsNonRoot").asBoolean() || security.path("runAsNonRoot").asBoolean())
                .as("runAsNonRoot").isTrue();
        assertThat(podSecurity.path("runAsUser").asInt(0)).as("runAsUser").isPositive();
        assertThat(security.path("readOnlyRootFilesystem").asBoolean()).as("readOnlyRootFilesystem").isTrue();
        assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).as("allowPrivilegeEscalation").isFalse();
        List<String> mounts = new ArrayList<>();
        container.path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
        assertThat(mounts).as("a writable /tmp under a read-only root (JVM, Netty's native library)").contains("/tmp");

        Map<String, String> templateLabels = strings(spec.path("template").path("metadata").path("labels"));
        assertThat(templateLabels).as("pod labels include the Deployment's selector")
                .containsAllEntriesOf(strings(spec.path("selector").path("matchLabels")));
    }

    @Test
    void wskServiceHasLongEnoughClientIpAffinity() throws IOException {
        Map<String, JsonNode> objects = k8sObjects();
        JsonNode service = objects.get("Service/wsk").path("spec");
        assertThat(service.path("sessionAffinity").asText()).isEqualTo("ClientIP");
        int timeout = service.path("sessionAffinityConfig").path("clientIP").path("timeoutSeconds").asInt(10800);
        assertThat(timeout).as("ClientIP affinity must outlast the gaps between a polling client's connections "
                + "(the sample repository's 10 s does not)").isGreaterThan(HEARTBEAT_SECONDS).isLessThanOrEqualTo(86400);
        assertSelects(service.path("selector"), objects.get("Deployment/wsk"), "Service/wsk");
    }

    @Test
    void disruptionBudgetAutoscalerAndIngress() throws IOException {
        Map<String, JsonNode> objects = k8sObjects();
        JsonNode deployment = objects.get("Deployment/wsk");

        JsonNode pdb = objects.get("PodDisruptionBudget/wsk").path("spec");
        assertThat(pdb.has("maxUnavailable") || pdb.has("minAvailable")).as("PDB budget").isTrue();
        assertSelects(pdb.path("selector").path("matchLabels"), deployment, "PodDisruptionBudget/wsk");

        JsonNode hpa = objects.get("HorizontalPodAutoscaler/wsk");
        assertThat(hpa.path("apiVersion").asText()).isEqualTo("autoscaling/v2");
        JsonNode target = hpa.path("spec").path("scaleTargetRef");
        assertThat(target.path("kind").asText() + "/" + target.path("name").asText()).isEqualTo("Deployment/wsk");
        assertThat(hpa.path("spec").path("minReplicas").asInt(1)).as("HPA minReplicas").isGreaterThanOrEqualTo(2);
        assertThat(hpa.path("spec").path("behavior").path("scaleDown").path("stabilizationWindowSeconds").asInt(300))
                .as("slow scale-down: every removed pod disconnects its clients").isGreaterThanOrEqualTo(300);

        JsonNode ingress = objects.get("Ingress/wsk");
        Map<String, String> annotations = strings(ingress.path("metadata").path("annotations"));
        String prefix = "nginx.ingress.kubernetes.io/";
        assertThat(annotations.get(prefix + "affinity")).as("cookie affinity for long-polling").isEqualTo("cookie");
        for (String timeout : List.of("proxy-read-timeout", "proxy-send-timeout")) {
            assertThat(Integer.parseInt(annotations.getOrDefault(prefix + timeout, "60")))
                    .as("%s must exceed pingInterval + pingTimeout", timeout).isGreaterThan(HEARTBEAT_SECONDS);
        }
        JsonNode backend = ingress.path("spec").path("rules").get(0).path("http").path("paths").get(0)
                .path("backend").path("service");
        assertThat(objects).as("the Ingress backend Service").containsKey("Service/" + backend.path("name").asText());
    }

    // ---------------------------------------------------------------- docker compose

    @Test
    void composeFileValidatesWithDockerCompose() throws Exception {
        Path compose = Executables.require("docker-compose",
                "install Debian's docker-compose (apt-get install -y docker-compose); it validates without a Docker engine");
        Commands.Result result = run(List.of(compose.toString(), "-f", "docker-compose.yml", "config", "-q"), deploy, 120);
        assertThat(result.exit()).as("docker-compose config -q:\n%s", result.output()).isZero();
    }

    @Test
    void composeServicesAreScalableHealthyAndDrainable() throws IOException {
        JsonNode services = YAML.readTree(deploy.resolve("docker-compose.yml").toFile()).path("services");
        assertThat(iterable(services.fieldNames())).contains("wsk", "redis", "haproxy");

        JsonNode wsk = services.path("wsk");
        assertThat(wsk.has("container_name")).as("wsk container_name (prevents --scale)").isFalse();
        assertThat(wsk.has("ports")).as("wsk published ports (prevent --scale; HAProxy is the entry)").isFalse();
        assertThat(wsk.path("environment").isObject()).as("wsk environment as a map").isTrue();
        Map<String, String> env = strings(wsk.path("environment"));
        assertThat(env).containsEntry("REDIS_HOST", "redis").containsEntry("WSK_ADAPTER", "redis");
        assertThat(wsk.path("depends_on").path("redis").path("condition").asText()).isEqualTo("service_healthy");
        assertThat(wsk.path("healthcheck").path("test").toString()).contains("/health");
        assertThat(wsk.path("restart").asText()).isNotEmpty();
        assertThat(wsk.path("deploy").path("resources").path("limits").path("memory").asText()).isNotEmpty();
        int drain = Integer.parseInt(env.getOrDefault("WSK_DRAIN_SECONDS", String.valueOf(defaultOf("drainSeconds"))));
        assertThat(seconds(wsk.path("stop_grace_period").asText("10s")))
                .as("stop_grace_period > drain %d + closing %d", drain, CLOSE_MARGIN_SECONDS)
                .isGreaterThan(drain + CLOSE_MARGIN_SECONDS);

        assertThat(services.path("redis").path("healthcheck").isMissingNode()).as("redis healthcheck").isFalse();

        JsonNode haproxy = services.path("haproxy");
        // Public images by default; ImageIT passes Debian-made ones.
        assertThat(haproxy.path("image").asText()).startsWith("${HAPROXY_IMAGE:-haproxy:");
        assertThat(services.path("redis").path("image").asText()).startsWith("${REDIS_IMAGE:-redis:");
        assertThat(haproxy.path("volumes").toString()).contains("./haproxy.cfg:");
        assertThat(haproxy.path("ports").size()).as("haproxy publishes a port").isPositive();
        assertThat(haproxy.path("depends_on").has("wsk")).isTrue();
    }

    /** Outside Docker the servers are WSK1..WSKn: any count from one to five is a valid configuration. */
    @Test
    void haproxyConfigTakesOneToFiveNodesOutsideDocker() throws Exception {
        Path haproxy = io.wsk.testkit.Executables.require("haproxy", io.wsk.testkit.HaproxyProcess.INSTALL_HINT);
        for (int nodes : new int[] {1, 2, 3, 5}) {
            ProcessBuilder check = new ProcessBuilder(haproxy.toString(), "-c", "-f", deploy.resolve("haproxy.cfg").toString())
                    .redirectErrorStream(true);
            for (int i = 1; i <= nodes; i++) {
                check.environment().put("WSK" + i, "127.0.0.1:" + (4000 + i));
            }
            Process process = check.start();
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("haproxy -c with %d nodes\n%s", nodes, output).isZero();
            assertThat(output).contains("Configuration file is valid");
        }
    }

    // ---------------------------------------------------------------- Dockerfile

    @Test
    void dockerfilePassesDockerfileUtils() throws Exception {
        Path lint = deploy.resolve("lint");
        installLint(lint);
        Path node = Executables.require("node", Interop.NODE_INSTALL_HINT);
        Commands.Result result = run(List.of(node.toString(), "dockerfile-lint.mjs", deploy.resolve("Dockerfile").toString()), lint, 120);
        assertThat(result.exit()).as("dockerfile-utils:\n%s", result.output()).isZero();
        assertThat(result.output()).contains("dockerfile-lint: 0 problem(s)");
    }

    @Test
    void dockerfileBuildsTheJarAndRunsJavaAsNonRootPid1() throws IOException {
        List<String[]> instructions = dockerfile(deploy.resolve("Dockerfile"));
        List<Integer> froms = new ArrayList<>();
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i)[0].equals("FROM")) {
                froms.add(i);
            }
        }
        assertThat(froms).as("build and runtime stages").hasSizeGreaterThanOrEqualTo(2);
        String build = instructions.stream().filter(i -> i[0].equals("RUN") && i[1].contains("mvn"))
                .map(i -> i[1]).findFirst().orElseThrow(() -> new AssertionError("no RUN mvn in the build stage"));
        assertThat(build).contains("-DskipTests", "-pl wsk-app", "-am", "package");
        // Maven reads every module of the root pom before it builds any: each one's pom must be
        // in the build stage (a missing wsk-jmh/pom.xml once stopped the build), and the sources
        // of what wsk-app is built from.
        String rootPom = Files.readString(deploy.getParent().resolve("pom.xml"));
        java.util.regex.Matcher module = java.util.regex.Pattern.compile("<module>([^<]+)</module>").matcher(rootPom);
        List<String> copied = instructions.stream().filter(i -> i[0].equals("COPY")).map(i -> i[1]).toList();
        while (module.find()) {
            String name = module.group(1);
            assertThat(copied).as("COPY of %s/pom.xml in the build stage", name).contains(name + "/pom.xml " + name + "/");
        }
        for (String needed : List.of("wsk-core", "wsk-client", "wsk-redis", "wsk-admin", "wsk-app")) {
            assertThat(copied).as("COPY of %s/src", needed).contains(needed + "/src " + needed + "/src");
        }
        assertThat(instructions.stream().filter(i -> i[0].equals("ARG")).map(i -> i[1]))
                .as("build image").anyMatch(a -> a.contains("maven:3-eclipse-temurin-17"));

        List<String[]> runtime = instructions.subList(froms.get(froms.size() - 1), instructions.size());
        String user = last(runtime, "USER");
        assertThat(user).as("USER: numeric, not root (Kubernetes runAsNonRoot checks it)").matches("[1-9][0-9]*(:[0-9]+)?");
        assertThat(last(runtime, "EXPOSE")).isEqualTo("3000");
        assertThat(last(runtime, "STOPSIGNAL")).isEqualTo("SIGTERM");
        assertThat(last(runtime, "HEALTHCHECK")).contains("/health");
        assertThat(last(runtime, "LABEL")).contains("org.opencontainers.image.title");

        String entrypoint = last(runtime, "ENTRYPOINT");
        List<String> argv = List.of(JSON.readValue(entrypoint, String[].class));
        assertThat(argv.get(0)).as("exec-form ENTRYPOINT: java itself is PID 1").isEqualTo("java");
        assertThat(argv).containsSubsequence("-jar", "/app/wsk.jar");
        List<String> launcherFlags = launcherJvmFlags();
        assertThat(launcherFlags).as("JVM flags in ./wsk").contains("-XX:MaxRAMPercentage=60");
        assertThat(argv).as("the image uses the ./wsk launcher's JVM flags").containsAll(launcherFlags);
    }

    @Test
    void imageJvmFlagsAreAcceptedByThisJvm() throws Exception {
        String entrypoint = last(dockerfile(deploy.resolve("Dockerfile")), "ENTRYPOINT");
        List<String> argv = new ArrayList<>(List.of(JSON.readValue(entrypoint, String[].class)));
        argv.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(argv.subList(0, argv.indexOf("-jar")));
        command.add("-version");
        Commands.Result result = run(command, root, 60);
        assertThat(result.exit()).as("%s:\n%s", command, result.output()).isZero();
        assertThat(result.output()).doesNotContain("Unrecognized", "Ignoring option", "warning");
    }

    /** The health check commands of the image and of compose, run by bash against a real /health. */
    @Test
    void healthCheckCommandsPassOnlyAgainstALiveHealthEndpoint() throws Exception {
        Path bash = Executables.require("bash", "install bash");
        String healthcheck = last(dockerfile(deploy.resolve("Dockerfile")), "HEALTHCHECK");
        List<String> image = List.of(JSON.readValue(healthcheck.substring(healthcheck.indexOf("CMD [") + 4), String[].class));
        assertThat(image.subList(0, 2)).isEqualTo(List.of("bash", "-c"));
        JsonNode test = YAML.readTree(deploy.resolve("docker-compose.yml").toFile())
                .path("services").path("wsk").path("healthcheck").path("test");
        assertThat(test.get(0).asText()).isEqualTo("CMD");
        assertThat(test.get(1).asText() + " " + test.get(2).asText()).isEqualTo("bash -c");
        // Compose turns $$ into $; the container's PORT is 3000 there, a free port here.
        String compose = test.get(3).asText().replace("$$", "$");

        io.wsk.http.HttpServer server = io.wsk.http.HttpServer.builder().host("127.0.0.1").port(0)
                .route("/health", new HealthEndpoint()).start();
        int port = server.port();
        try {
            assertThat(bashExit(bash, image.get(2), port)).as("image HEALTHCHECK against a live /health").isZero();
            assertThat(bashExit(bash, compose.replace("127.0.0.1/3000", "127.0.0.1/" + port), port))
                    .as("compose healthcheck against a live /health").isZero();
        } finally {
            server.close();
        }
        assertThat(bashExit(bash, image.get(2), port)).as("image HEALTHCHECK with nothing listening").isNotZero();

        io.wsk.http.HttpServer other = io.wsk.http.HttpServer.builder().host("127.0.0.1").port(0)
                .route("/ready", new HealthEndpoint()).start();
        try {
            assertThat(bashExit(bash, image.get(2), other.port())).as("image HEALTHCHECK when /health is 404").isNotZero();
        } finally {
            other.close();
        }
    }

    private static int bashExit(Path bash, String script, int port) throws Exception {
        Path output = Files.createTempFile("wsk-healthcheck", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(bash.toString(), "-c", script)
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().put("PORT", String.valueOf(port));
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("health check command took over 10 s");
            }
            return process.exitValue();
        } finally {
            Files.deleteIfExists(output);
        }
    }

    @Test
    void dockerignoreKeepsTheContextSmallButNotTheSources() throws IOException {
        List<String> ignored = Files.readAllLines(root.resolve(".dockerignore")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(ignored).contains("**/target/", "**/node_modules/", ".git/");
        for (String[] instruction : dockerfile(deploy.resolve("Dockerfile"))) {
            if (instruction[0].equals("COPY") && !instruction[1].startsWith("--from")) {
                String[] words = instruction[1].split("\\s+");
                for (int i = 0; i < words.length - 1; i++) {
                    String source = words[i];
                    if (source.startsWith("--")) {
                        continue;
                    }
                    String top = source.contains("/") ? source.substring(0, source.indexOf('/') + 1) : source;
                    assertThat(ignored).as("COPY %s is excluded by .dockerignore", source).doesNotContain(top, source);
                }
            }
        }
    }

    /**
     * The Sentinel overlay replaces the base's one Redis (both its objects deleted) by two Redis
     * pods and three sentinels, and wsk's REDIS_URL names exactly those sentinels, by the stable
     * names their StatefulSet and headless Service give them, and the master the sentinels
     * monitor. Its scripts parse as POSIX sh ({@code SentinelOverlayIT} runs them).
     */
    @Test
    void theSentinelOverlayReplacesTheSingleRedisAndPointsWskAtItsSentinels() throws Exception {
        Path overlay = deploy.resolve("k8s/overlays/redis-sentinel");
        JsonNode kustomization = YAML.readTree(overlay.resolve("kustomization.yaml").toFile());
        assertThat(kustomization.path("resources").toString()).isEqualTo("[\"../../base\",\"redis-sentinel.yaml\"]");
        List<String> deleted = new ArrayList<>();
        String redisUrl = null;
        for (JsonNode entry : kustomization.path("patches")) {
            JsonNode patch = YAML.readTree(entry.path("patch").asText());
            if ("delete".equals(patch.path("$patch").asText())) {
                deleted.add(patch.path("kind").asText() + "/" + patch.path("metadata").path("name").asText());
            }
            for (JsonNode env : patch.path("spec").path("template").path("spec").path("containers").path(0).path("env")) {
                if (env.path("name").asText().equals("REDIS_URL")) {
                    redisUrl = env.path("value").asText();
                }
            }
        }
        assertThat(deleted).containsExactlyInAnyOrder("Deployment/redis", "Service/redis");

        Map<String, JsonNode> objects = k8sObjects();
        JsonNode sentinels = objects.get("StatefulSet/redis-sentinel");
        JsonNode redis = objects.get("StatefulSet/redis");
        assertThat(redis.path("spec").path("replicas").asInt()).as("Redis pods: a master and a replica").isEqualTo(2);
        assertThat(objects.get("Service/" + redis.path("spec").path("serviceName").asText()).path("spec").path("clusterIP").asText())
                .isEqualTo("None");
        String sentinelService = sentinels.path("spec").path("serviceName").asText();
        assertThat(objects.get("Service/" + sentinelService).path("spec").path("clusterIP").asText()).isEqualTo("None");
        int count = sentinels.path("spec").path("replicas").asInt();
        assertThat(count).as("sentinels (a quorum of 2 survives one loss)").isEqualTo(3);

        JsonNode scripts = objects.get("ConfigMap/redis-sentinel-scripts").path("data");
        Matcher monitor = Pattern.compile("sentinel monitor (\\S+) ").matcher(scripts.path("sentinel.sh").asText());
        assertThat(monitor.find()).as("sentinel.sh monitors a master").isTrue();
        String hosts = IntStream.range(0, count).mapToObj(i -> "redis-sentinel-" + i + "." + sentinelService + ":26379")
                .collect(Collectors.joining(","));
        assertThat(redisUrl).isEqualTo("redis-sentinel://" + hosts + "#" + monitor.group(1));

        Path sh = Executables.require("sh", "install dash: apt-get install -y dash");
        for (Iterator<Map.Entry<String, JsonNode>> it = scripts.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> script = it.next();
            Path file = Files.createTempFile("wsk-" + script.getKey(), ".sh");
            try {
                Files.writeString(file, script.getValue().asText());
                Commands.Result parsed = Commands.run(List.of(sh.toString(), "-n", file.toString()), root, Map.of(), Duration.ofSeconds(10));
                assertThat(parsed.exit()).as("sh -n %s: %s", script.getKey(), parsed.output()).isZero();
            } finally {
                Files.delete(file);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static Map<String, JsonNode> k8sObjects() throws IOException {
        Map<String, JsonNode> objects = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> list = Files.walk(deploy.resolve("k8s"))) { // the base and the components
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        for (Path file : files) {
            if (file.getFileName().toString().equals("kustomization.yaml")) {
                continue;
            }
            try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
                while (docs.hasNext()) {
                    JsonNode doc = docs.next();
                    if (doc == null || doc.isNull() || doc.isEmpty()) {
                        continue;
                    }
                    String key = doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText();
                    assertThat(objects).as("duplicate object %s in %s", key, file).doesNotContainKey(key);
                    objects.put(key, doc);
                }
            }
        }
        return objects;
    }

    private static void assertProbe(JsonNode container, String probe, String path) {
        JsonNode get = container.path(probe).path("httpGet");
        assertThat(get.path("path").asText()).as("%s path", probe).isEqualTo(path);
        String port = get.path("port").asText();
        boolean matches = false;
        for (JsonNode p : container.path("ports")) {
            matches |= port.equals(p.path("name").asText()) || port.equals(p.path("containerPort").asText());
        }
        assertThat(matches).as("%s port %s is a container port", probe, port).isTrue();
    }

    private static int preStopSleep(JsonNode preStop) {
        if (preStop.has("sleep")) {
            return preStop.path("sleep").path("seconds").asInt();
        }
        JsonNode command = preStop.path("exec").path("command");
        if (command.size() == 2 && command.get(0).asText().endsWith("sleep")) {
            return Integer.parseInt(command.get(1).asText());
        }
        throw new AssertionError("preStop must sleep (sleep action or exec sleep N), got " + preStop);
    }

    private static void assertSelects(JsonNode selector, JsonNode deployment, String what) {
        Map<String, String> labels = strings(deployment.path("spec").path("template").path("metadata").path("labels"));
        assertThat(selector.size()).as("%s selector", what).isPositive();
        assertThat(labels).as("%s selects the wsk pods", what).containsAllEntriesOf(strings(selector));
    }

    private static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText(null)));
        return env;
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static JsonNode only(JsonNode array, String what) {
        assertThat(array.size()).as(what).isEqualTo(1);
        return array.get(0);
    }

    private static <T> List<T> iterable(Iterator<T> iterator) {
        List<T> list = new ArrayList<>();
        iterator.forEachRemaining(list::add);
        return list;
    }

    /** Compose durations: 30s, 1m, 1m30s, 500ms. */
    private static long seconds(String duration) {
        Matcher m = Pattern.compile("(\\d+)(ms|h|m|s)").matcher(duration);
        long millis = 0;
        int end = 0;
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            millis += switch (m.group(2)) {
                case "h" -> n * 3_600_000;
                case "m" -> n * 60_000;
                case "s" -> n * 1000;
                default -> n;
            };
            end = m.end();
        }
        assertThat(end).as("duration %s", duration).isEqualTo(duration.length());
        return millis / 1000;
    }

    /** The number in an option's {@code ${env:NAME:-N}} or plain default in ServeCommand. */
    private static int defaultOf(String field) {
        try {
            String value = ServeCommand.class.getDeclaredField(field).getAnnotation(Option.class).defaultValue();
            Matcher m = Pattern.compile("(\\d+)}?$").matcher(value);
            assertThat(m.find()).as("default of %s: %s", field, value).isTrue();
            return Integer.parseInt(m.group(1));
        } catch (NoSuchFieldException e) {
            throw new AssertionError("ServeCommand has no field " + field, e);
        }
    }

    /** Instructions as {KEYWORD, arguments}, with continuation lines joined and comments dropped. */
    private static List<String[]> dockerfile(Path file) throws IOException {
        List<String[]> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            String stripped = line.strip();
            if (stripped.startsWith("#") || (stripped.isEmpty() && current.length() == 0)) {
                continue;
            }
            if (stripped.endsWith("\\")) {
                current.append(stripped, 0, stripped.length() - 1).append(' ');
                continue;
            }
            current.append(stripped);
            String text = current.toString().strip();
            current.setLength(0);
            if (text.isEmpty()) {
                continue;
            }
            int space = text.indexOf(' ');
            instructions.add(space < 0 ? new String[] {text.toUpperCase(), ""}
                    : new String[] {text.substring(0, space).toUpperCase(), text.substring(space + 1).strip()});
        }
        return instructions;
    }

    private static String last(List<String[]> instructions, String keyword) {
        String found = null;
        for (String[] instruction : instructions) {
            if (instruction[0].equals(keyword)) {
                found = instruction[1];
            }
        }
        assertThat(found).as("%s in the runtime stage", keyword).isNotNull();
        return found;
    }

    /** The JVM flags on the ./wsk launcher's exec line (-XX, -D and --add-opens with its value). */
    private static List<String> launcherJvmFlags() throws IOException {
        String launcher = Files.readString(root.resolve("wsk"));
        int exec = launcher.indexOf("exec \"$java_bin\"");
        assertThat(exec).as("exec \"$java_bin\" in ./wsk").isNotNegative();
        String[] words = launcher.substring(exec, launcher.indexOf("-jar", exec)).split("\\s+");
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < words.length; i++) {
            if (words[i].startsWith("-XX:") || words[i].startsWith("-D")) {
                flags.add(words[i]);
            } else if (words[i].equals("--add-opens") && i + 1 < words.length) {
                flags.add(words[++i]);
            }
        }
        return flags;
    }

    private static synchronized void installLint(Path dir) throws Exception {
        Path npm = Executables.require("npm", Interop.NODE_INSTALL_HINT);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(Files.readAllBytes(dir.resolve("package.json")));
        sha.update(Files.readAllBytes(dir.resolve("package-lock.json")));
        String wanted = HexFormat.of().formatHex(sha.digest());
        Path stamp = dir.resolve("node_modules").resolve(".wsk-installed");
        if (Files.isRegularFile(stamp) && Files.readString(stamp).equals(wanted)) {
            return;
        }
        Commands.Result result = run(List.of(npm.toString(), "ci", "--no-audit", "--no-fund"), dir, 600);
        assertThat(result.exit()).as("npm ci in %s:\n%s", dir, result.output()).isZero();
        Files.writeString(stamp, wanted);
    }

    private static Commands.Result run(List<String> command, Path dir, long timeoutSeconds) {
        return Commands.run(command, dir, Map.of(), Duration.ofSeconds(timeoutSeconds));
    }
}
