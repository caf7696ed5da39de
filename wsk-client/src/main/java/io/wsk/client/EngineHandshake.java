package io.wsk.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;

/** The Engine.IO open packet ({@code 0{"sid":...}}, protocol.md 1.2). */
record EngineHandshake(String sid, List<String> upgrades, long pingInterval, long pingTimeout, long maxPayload) {

    static EngineHandshake parse(String json, ObjectMapper mapper) {
        JsonNode open;
        try {
            open = mapper.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException("invalid open packet: " + json, e);
        }
        if (open == null || !open.path("sid").isTextual()) {
            throw new IllegalStateException("open packet without a sid: " + json);
        }
        List<String> upgrades = new ArrayList<>();
        open.path("upgrades").forEach(u -> upgrades.add(u.asText()));
        return new EngineHandshake(open.get("sid").textValue(), List.copyOf(upgrades),
                open.path("pingInterval").asLong(25_000), open.path("pingTimeout").asLong(20_000),
                open.path("maxPayload").asLong(1_000_000));
    }
}
