package io.wsk.admin;

import io.wsk.server.BroadcastOperator;
import io.wsk.server.EventArgs;
import io.wsk.server.Namespace;
import io.wsk.server.SocketIoServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * What the UI may ask, on the admin namespace: {@code join(nsp, room, filter?)},
 * {@code leave(nsp, room, filter?)}, {@code _disconnect(nsp, close, filter?)} and
 * {@code emit(nsp, filter?, event, ...args)}. Each reaches the targeted sockets of every node
 * (the cluster operations of the namespace's adapter); {@code filter} is a room, or a socket id
 * for one socket. Only namespaces this node has are reached.
 */
final class AdminCommands {

    /** The features these commands give the UI, in the reference's names. */
    static final List<String> FEATURES = List.of("EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT");

    private static final Logger log = LoggerFactory.getLogger(AdminCommands.class);

    private final SocketIoServer io;

    AdminCommands(SocketIoServer io) {
        this.io = io;
    }

    void register(Namespace admin) {
        admin.on("join", (socket, args, ack) -> target(args, 2).ifPresent(t -> t.socketsJoin(args.string(1))));
        admin.on("leave", (socket, args, ack) -> target(args, 2).ifPresent(t -> t.socketsLeave(args.string(1))));
        admin.on("_disconnect", (socket, args, ack) ->
                target(args, 2).ifPresent(t -> t.disconnectSockets(args.size() > 1 && args.node(1).asBoolean(false))));
        admin.on("emit", (socket, args, ack) -> {
            if (args.size() < 3 || args.string(2) == null) {
                return;
            }
            Object[] rest = new Object[args.size() - 3];
            for (int i = 3; i < args.size(); i++) {
                rest[i - 3] = args.node(i);
            }
            target(args, 1).ifPresent(t -> {
                try {
                    t.emit(args.string(2), rest);
                } catch (IllegalArgumentException e) {
                    log.info("admin UI emit refused: {}", e.getMessage()); // a reserved event name
                }
            });
        });
    }

    /** The namespace named by argument 0, narrowed to the room or socket named by {@code filterIndex} if any. */
    private Optional<BroadcastOperator> target(EventArgs args, int filterIndex) {
        String name = args.string(0);
        Namespace nsp = name == null ? null : io.namespaces().get(name);
        if (nsp == null) {
            return Optional.empty();
        }
        String filter = args.size() > filterIndex ? args.string(filterIndex) : null;
        return Optional.of(filter == null || filter.isEmpty() ? nsp.except() : nsp.in(filter));
    }
}
