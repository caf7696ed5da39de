package io.wsk.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Endpoints by path: exact paths first, then the longest matching prefix. Immutable once built.
 */
final class Routes {

    /** A mounted endpoint: serves {@code path} only, or everything below it when {@code prefix}. */
    record Route(String path, boolean prefix, HttpEndpoint endpoint) {
        boolean matches(String requestPath) {
            return prefix ? requestPath.startsWith(path) : requestPath.equals(path);
        }
    }

    private final List<Route> routes;

    Routes(List<Route> routes) {
        List<Route> list = new ArrayList<>(routes);
        list.sort(Comparator.comparing((Route r) -> r.prefix)
                .thenComparing(Comparator.comparingInt((Route r) -> r.path.length()).reversed()));
        this.routes = List.copyOf(list);
    }

    HttpEndpoint match(String path) {
        for (Route route : routes) {
            if (route.matches(path)) {
                return route.endpoint;
            }
        }
        return null;
    }
}
