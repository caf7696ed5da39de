package io.wsk.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.wsk.protocol.SocketPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * What becomes of an EVENT a client sent: through the socket's packet middlewares, then to its
 * any-listeners, its own handlers and the namespace's, in that order. On the socket's loop; a
 * failing listener or handler is logged and spares the others.
 */
final class IncomingEvents {

    private static final Logger log = LoggerFactory.getLogger(IncomingEvents.class);

    private IncomingEvents() {
    }

    static void receive(Socket socket, Namespace nsp, SocketListeners listeners, SocketPacket packet) {
        ArrayNode args = (ArrayNode) packet.data();
        String event = args.remove(0).asText();
        EventArgs eventArgs = new EventArgs(args, nsp.mapper());
        Ack ack = packet.hasId() ? new Ack(socket, packet.id()) : Ack.NONE;
        if (listeners != null && listeners.packetMiddlewares != null) {
            listeners.packetChain.run(listeners.packetMiddlewares, event, eventArgs,
                    () -> dispatch(socket, nsp, event, eventArgs, ack));
        } else {
            dispatch(socket, nsp, event, eventArgs, ack);
        }
    }

    /** A packet middleware refused an event: the error handlers are told, the handlers are not. */
    static void refused(Socket socket, RuntimeException error) {
        SocketListeners l = socket.listeners;
        if (l == null || l.errorHandlers == null) {
            log.debug("packet refused by a middleware on {}: {}", socket, error.toString());
            return;
        }
        for (SocketErrorHandler handler : l.errorHandlers) {
            try {
                handler.onError(socket, error);
            } catch (RuntimeException e) {
                log.warn("error handler failed on socket {}", socket.id(), e);
            }
        }
    }

    private static void dispatch(Socket socket, Namespace nsp, String event, EventArgs eventArgs, Ack ack) {
        SocketListeners l = socket.listeners; // as they are now: a middleware may have changed them
        if (l != null && l.any != null) {
            for (AnyEventListener listener : l.any) {
                try {
                    listener.onEvent(socket, event, eventArgs);
                } catch (RuntimeException e) {
                    log.warn("onAny listener failed for event '{}' on socket {}", event, socket.id(), e);
                }
            }
        }
        if (l != null && l.handlers != null) {
            run(l.handlers.get(event), socket, event, eventArgs, ack);
        }
        run(nsp.handlers(event), socket, event, eventArgs, ack);
    }

    private static void run(List<EventHandler> list, Socket socket, String event, EventArgs args, Ack ack) {
        if (list == null) {
            return;
        }
        for (EventHandler handler : list) {
            try {
                handler.handle(socket, args, ack);
            } catch (RuntimeException e) {
                log.warn("handler for event '{}' failed on socket {}", event, socket.id(), e);
            }
        }
    }
}
