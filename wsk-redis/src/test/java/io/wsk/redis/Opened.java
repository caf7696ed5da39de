package io.wsk.redis;

import java.util.ArrayList;
import java.util.List;

/** What a test opened (clusters, nodes, buses), closed in reverse order; one failing close spares the rest. */
final class Opened implements AutoCloseable {

    private final List<AutoCloseable> resources = new ArrayList<>();

    /** Keeps {@code resource} for {@link #close}; returns it. */
    <T extends AutoCloseable> T keep(T resource) {
        resources.add(resource);
        return resource;
    }

    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
        resources.clear();
    }
}
