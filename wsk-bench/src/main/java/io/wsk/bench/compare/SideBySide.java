package io.wsk.bench.compare;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects one scenario's metrics from each server as they are measured, then makes them the
 * scenario's figures, in the order the metrics were declared. A metric a server's run did not
 * give stays empty and shows as missing; a server that cannot run the scenario at all is marked
 * {@linkplain #notSupported not supported}, which the table says in so many words.
 */
final class SideBySide {

    private record Metric(String name, Unit unit, Target target) {
    }

    private final String scenario;
    private final Map<String, Metric> metrics = new LinkedHashMap<>();
    private final Map<ServerKind, Map<String, Value>> values = new EnumMap<>(ServerKind.class);
    private final Set<ServerKind> notSupported = EnumSet.noneOf(ServerKind.class);

    SideBySide(String scenario) {
        this.scenario = scenario;
    }

    /** Declares a metric (the order of declaration is the order of the rows). */
    SideBySide metric(String name, Unit unit, Target target) {
        metrics.put(name, new Metric(name, unit, target));
        return this;
    }

    SideBySide metric(String name, Unit unit) {
        return metric(name, unit, null);
    }

    /** {@code kind} cannot run this scenario: every metric says so. */
    SideBySide notSupported(ServerKind kind) {
        notSupported.add(kind);
        return this;
    }

    void put(ServerKind kind, String metric, Value value) {
        if (!metrics.containsKey(metric)) {
            throw new IllegalArgumentException("undeclared metric " + metric);
        }
        if (value != null && !Double.isNaN(value.amount())) {
            values.computeIfAbsent(kind, k -> new LinkedHashMap<>()).put(metric, value);
        }
    }

    void put(ServerKind kind, String metric, double amount) {
        put(kind, metric, Value.of(amount));
    }

    List<Figure> figures() {
        List<Figure> figures = new ArrayList<>();
        for (Metric metric : metrics.values()) {
            Map<ServerKind, Value> row = new EnumMap<>(ServerKind.class);
            values.forEach((kind, byMetric) -> {
                Value value = byMetric.get(metric.name());
                if (value != null) {
                    row.put(kind, value);
                }
            });
            figures.add(new Figure(scenario, metric.name(), metric.unit(), row, notSupported, metric.target()));
        }
        return figures;
    }
}
