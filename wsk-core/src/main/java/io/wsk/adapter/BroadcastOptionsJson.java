package io.wsk.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashSet;
import java.util.Set;

/**
 * {@link BroadcastOptions} as the reference adapters put them on the wire:
 * {@code {rooms: [...], except: [...], flags: {volatile?, compress?, timeout?}}}. Only flags that
 * differ from the defaults are written, as Node only sets the flags a caller asked for.
 */
public final class BroadcastOptionsJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private BroadcastOptionsJson() {
    }

    /** {@code withFlags}: include {@code flags} (broadcasts do; join/leave/fetch requests do not). */
    public static ObjectNode toJson(BroadcastOptions opts, boolean withFlags) {
        ObjectNode json = NODES.objectNode();
        ArrayNode rooms = json.putArray("rooms");
        opts.rooms().forEach(rooms::add);
        ArrayNode except = json.putArray("except");
        opts.except().forEach(except::add);
        if (withFlags) {
            ObjectNode flags = json.putObject("flags");
            BroadcastFlags f = opts.flags();
            if (f.volatileDelivery()) {
                flags.put("volatile", true);
            }
            if (!f.compress()) {
                flags.put("compress", false);
            }
            if (f.timeoutMillis() > 0) {
                flags.put("timeout", f.timeoutMillis());
            }
        }
        return json;
    }

    public static BroadcastOptions fromJson(JsonNode json) {
        JsonNode flags = json.path("flags");
        BroadcastFlags parsed = BroadcastFlags.NONE;
        if (flags.path("volatile").asBoolean(false)) {
            parsed = parsed.withVolatile();
        }
        if (flags.has("compress") && !flags.get("compress").asBoolean(true)) {
            parsed = parsed.withCompress(false);
        }
        if (flags.path("timeout").canConvertToLong()) {
            parsed = parsed.withTimeout(flags.get("timeout").asLong());
        }
        return new BroadcastOptions(strings(json.path("rooms")), strings(json.path("except")), parsed);
    }

    /** Room names; numbers count as their decimal text (Node rooms may be numbers). */
    public static Set<String> strings(JsonNode array) {
        Set<String> result = new HashSet<>();
        for (JsonNode item : array) {
            if (item.isTextual() || item.isNumber()) {
                result.add(item.asText());
            }
        }
        return result;
    }
}
