package io.wsk.redis;

import com.fasterxml.jackson.databind.JsonNode;

/** Whether a cluster message's tree holds bytes, which JSON cannot carry: it then goes as msgpack. */
final class BinaryValues {

    private BinaryValues() {
    }

    static boolean in(JsonNode node) {
        if (node.isBinary()) {
            return true;
        }
        for (JsonNode child : node) {
            if (in(child)) {
                return true;
            }
        }
        return false;
    }
}
