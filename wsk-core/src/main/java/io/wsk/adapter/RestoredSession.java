package io.wsk.adapter;

import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.List;

/**
 * A session found again, with the event packets its client missed, oldest first: each the
 * packet's data array ({@code [event, ...args, offset]}).
 *
 * @param position where in its log the adapter stopped looking for missed packets (a stream
 *                 entry id), for {@link Adapter#completeRestore} to go on from; {@code null} for
 *                 an adapter that restores in one step
 */
public record RestoredSession(PersistedSession session, List<ArrayNode> missedPackets, String position) {

    public RestoredSession {
        missedPackets = List.copyOf(missedPackets);
    }

    public RestoredSession(PersistedSession session, List<ArrayNode> missedPackets) {
        this(session, missedPackets, null);
    }
}
