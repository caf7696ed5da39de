package io.wsk.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A Prometheus text exposition parsed by the Prometheus project's own Python client parser
 * ({@code prometheus_client.parser}, Debian's {@code python3-prometheus-client}), not by us: what
 * it cannot read, a Prometheus server would not either.
 */
public final class PrometheusText {

    public static final String INSTALL_HINT = "install the Prometheus Python client: apt-get install -y python3-prometheus-client";

    private static final String SCRIPT = String.join("\n",
            "import sys, json",
            "from prometheus_client.parser import text_string_to_metric_families",
            "out = []",
            "for family in text_string_to_metric_families(sys.stdin.read()):",
            "    for s in family.samples:",
            "        out.append({'family': family.name, 'type': family.type, 'name': s.name, 'labels': s.labels, 'value': s.value})",
            "print(json.dumps(out))");

    /** One sample: its name, labels and value. */
    public record Sample(String family, String type, String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    public static PrometheusText parse(String exposition) {
        Path python = Files.isExecutable(Path.of("/usr/bin/python3")) ? Path.of("/usr/bin/python3")
                : Executables.require("python3", INSTALL_HINT);
        try {
            Process process = new ProcessBuilder(python.toString(), "-c", SCRIPT).start();
            process.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the Prometheus parser did not finish");
            }
            if (process.exitValue() != 0) {
                if (err.contains("No module named 'prometheus_client'")) {
                    throw new IllegalStateException("the Prometheus text parser is missing; " + INSTALL_HINT);
                }
                throw new AssertionError("not valid Prometheus text: " + err);
            }
            List<Sample> samples = new ArrayList<>();
            for (JsonNode s : new ObjectMapper().readTree(out)) {
                Map<String, String> labels = new TreeMap<>();
                s.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
                samples.add(new Sample(s.path("family").asText(), s.path("type").asText(), s.path("name").asText(),
                        labels, s.path("value").asDouble()));
            }
            return new PrometheusText(samples);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run the Prometheus parser: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The value of the one sample {@code name} whose labels include {@code labels}; fails if none or several. */
    public double value(String name, Map<String, String> labels) {
        List<Sample> matching = samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .toList();
        if (matching.size() != 1) {
            throw new AssertionError(matching.size() + " samples " + name + labels + " in the scrape");
        }
        return matching.get(0).value();
    }

    public double value(String name) {
        return value(name, Map.of());
    }

    /** Whether some sample is named {@code name}. */
    public boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }
}
