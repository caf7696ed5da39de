package io.wsk.server;

import com.fasterxml.jackson.databind.JsonNode;

/** Decides whether an unknown namespace name may be created under a dynamic parent namespace. */
@FunctionalInterface
public interface NamespaceMatcher {

    boolean matches(String name, JsonNode auth);
}
