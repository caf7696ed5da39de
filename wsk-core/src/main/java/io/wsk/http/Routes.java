package io.wsk.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Endpoints by path prefix; the longest matching prefix wins. Immutable once built. */
final class Routes {

    private record Route(String prefix, HttpEndpoint endpoint) {
    }

    private final List<Route> routes;

    Routes(List<String> prefixes, List<HttpEndpoint> endpoints) {
        List<Route> list = new ArrayList<>();
        for (int i = 0; i < prefixes.size(); i++) {
            list.add(new Route(prefixes.get(i), endpoints.get(i)));
        }
        list.sort(Comparator.comparingInt((Route r) -> r.prefix.length()).reversed());
        this.routes = List.copyOf(list);
    }

    HttpEndpoint match(String path) {
        for (Route route : routes) {
            if (matches(path, route.prefix)) {
                return route.endpoint;
            }
        }
        return null;
    }

    /** {@code /x/} matches {@code /x/...}; an exact route such as {@code /health} matches only itself. */
    private static boolean matches(String path, String prefix) {
        return prefix.endsWith("/") ? path.startsWith(prefix) : path.equals(prefix);
    }
}
