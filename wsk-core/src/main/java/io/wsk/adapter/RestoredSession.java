package io.wsk.adapter;

import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.List;

/**
 * A session found again, with the event packets its client missed, oldest first: each the
 * packet's data array ({@code [event, ...args, offset]}).
 */
public record RestoredSession(PersistedSession session, List<ArrayNode> missedPackets) {

    public RestoredSession {
        missedPackets = List.copyOf(missedPackets);
    }
}
