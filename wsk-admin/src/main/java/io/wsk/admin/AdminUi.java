package io.wsk.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wsk.adapter.RoomListener;
import io.wsk.server.Namespace;
import io.wsk.server.ParentNamespace;
import io.wsk.server.Socket;
import io.wsk.server.SocketIoServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server side of the official Socket.IO admin UI ({@code @socket.io/admin-ui} 0.5), the
 * reference's {@code instrument(io, options)}: an admin namespace the UI connects to, which gets
 * every node's {@code server_stats} every 2 s, every socket connected, updated and disconnected,
 * every room joined and left, and takes the UI's commands (join, leave, disconnect, emit).
 *
 * <p>Everything goes out as broadcasts of the admin namespace, so through the cluster adapter: a
 * UI connected to any node sees all of them, as with the reference. What the reference sends only
 * in its development mode (the socket lifecycle, and the socket list on connection) is always
 * sent here, as it is what an operator comes for; the list is bounded per node
 * ({@link AdminOptions#maxListed()}). Each socket connected, disconnected, or joining or leaving
 * a room costs one admin broadcast: that is the price of the instrumentation.
 */
public final class AdminUi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminUi.class);
    /** The server-side event by which a node asks the others for their sockets. */
    private static final String LIST_SOCKETS = "wsk-admin:list-sockets";
    private static final Duration LIST_TIMEOUT = Duration.ofSeconds(2);

    private final SocketIoServer io;
    private final AdminOptions options;
    private final ObjectMapper mapper;
    private final Namespace admin;
    private final AdminLogin login;
    private final List<String> features;
    private final AggregatedEvents aggregated;
    private final ScheduledExecutorService timer;
    private final String hostname = hostname();
    private final Set<ParentNamespace> watchedParents = ConcurrentHashMap.newKeySet();

    private AdminUi(SocketIoServer io, AdminOptions options) {
        this.io = io;
        this.options = options;
        this.mapper = io.mapper();
        this.login = new AdminLogin(options.auth());
        List<String> f = new ArrayList<>(options.readonly() ? List.of() : AdminCommands.FEATURES);
        f.add("AGGREGATED_EVENTS");
        f.add("ALL_EVENTS"); // the UI shows its socket, room and client pages only with it
        this.features = List.copyOf(f);
        this.aggregated = new AggregatedEvents(io.engine().stats(), mapper);
        this.admin = io.of(options.namespace());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wsk-admin-stats");
            t.setDaemon(true);
            return t;
        });
    }

    /** Instruments {@code io}; call after its namespaces are set up, or at any time (later ones are watched too). */
    public static AdminUi instrument(SocketIoServer io, AdminOptions options) {
        AdminUi ui = new AdminUi(io, options);
        ui.start();
        return ui;
    }

    private void start() {
        admin.use(login);
        if (!options.readonly()) {
            new AdminCommands(io).register(admin);
        }
        admin.onConnection(this::onAdminConnection);
        admin.onServerSideEmit(LIST_SOCKETS, (args, reply) -> reply.accept(localSockets()));
        for (Namespace nsp : io.namespaces().values()) {
            watch(nsp);
        }
        io.onNewNamespace(this::watch);
        timer.scheduleAtFixedRate(() -> guarded(() -> aggregated.sample(System.currentTimeMillis())), 1, 1, TimeUnit.SECONDS);
        long interval = options.statsInterval().toMillis();
        timer.scheduleAtFixedRate(() -> guarded(this::emitStats), 0, interval, TimeUnit.MILLISECONDS);
        log.info("admin UI on namespace {} as server '{}'{}{}", options.namespace(), options.serverId(),
                options.readonly() ? ", read-only" : "", options.auth().required() ? "" : ", WITHOUT authentication");
    }

    private void onAdminConnection(Socket socket) {
        String session = login.takeIssued(socket);
        if (session != null) {
            socket.emit("session", session);
        }
        socket.emit("config", mapper.createObjectNode().set("supportedFeatures", mapper.valueToTree(features)));
        ArrayNode all = localSockets();
        admin.serverSideEmitWithAck(LIST_TIMEOUT, LIST_SOCKETS).whenComplete((replies, error) -> {
            if (replies != null) {
                for (JsonNode reply : replies) {
                    if (reply.isArray()) {
                        all.addAll((ArrayNode) reply);
                    }
                }
            }
            socket.emit("all_sockets", all);
        });
    }

    /** This node's sockets of every namespace, at most {@link AdminOptions#maxListed()}. */
    private ArrayNode localSockets() {
        ArrayNode list = mapper.createArrayNode();
        int total = 0;
        for (Namespace nsp : io.namespaces().values()) {
            for (Socket socket : nsp.sockets().values()) {
                if (total++ >= options.maxListed()) {
                    return list;
                }
                list.add(SocketJson.of(socket, mapper));
            }
        }
        return list;
    }

    /**
     * Reports the sockets and rooms of {@code nsp} to the admin namespace. The children of a
     * dynamic namespace share their parent's handlers: the lifecycle handlers go on the parent,
     * once, or every child made would add another and each connection be reported once per child.
     */
    private void watch(Namespace nsp) {
        ParentNamespace parent = nsp.parent();
        if (parent == null) {
            nsp.onConnection(this::socketConnected);
            nsp.onDisconnect(this::socketDisconnected);
        } else if (watchedParents.add(parent)) {
            parent.onConnection(this::socketConnected);
            parent.onDisconnect(this::socketDisconnected);
        }
        String name = nsp.name();
        try {
            nsp.adapter().addRoomListener(new RoomListener() {
                @Override
                public void joined(String room, String socketId) {
                    admin.emit("room_joined", name, room, socketId, SocketJson.now());
                }

                @Override
                public void left(String room, String socketId) {
                    admin.emit("room_left", name, room, socketId, SocketJson.now());
                }
            });
        } catch (UnsupportedOperationException e) {
            log.warn("admin UI: the adapter of {} reports no room events: {}", name, e.getMessage());
        }
    }

    private void socketConnected(Socket socket) {
        String name = socket.namespace().name();
        admin.emit("socket_connected", SocketJson.of(socket, mapper), SocketJson.now());
        socket.conn().onUpgrade(() -> admin.emit("socket_updated", mapper.createObjectNode()
                .put("id", socket.id()).put("nsp", name).put("transport", socket.transport().wireName())));
        if (options.forwardEvents() && socket.namespace() != admin) {
            socket.onAny((s, event, args) -> admin.emit("event_received", name, s.id(), eventArray(event, args.asArray()), SocketJson.now()));
            socket.onAnyOutgoing((s, event, args) -> admin.emit("event_sent", name, s.id(), eventArray(event, args.asArray()), SocketJson.now()));
        }
    }

    private void socketDisconnected(Socket socket, String reason) {
        admin.emit("socket_disconnected", socket.namespace().name(), socket.id(), reason, SocketJson.now());
    }

    private ArrayNode eventArray(String event, ArrayNode args) {
        ArrayNode array = mapper.createArrayNode().add(event);
        array.addAll(args);
        return array;
    }

    private void emitStats() {
        ObjectNode stats = mapper.createObjectNode();
        stats.put("serverId", options.serverId());
        stats.put("hostname", hostname);
        stats.put("pid", ProcessHandle.current().pid());
        stats.put("uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
        stats.put("clientsCount", io.engine().sessionCount());
        stats.put("pollingClientsCount", io.engine().stats().sessions("polling"));
        stats.set("aggregatedEvents", aggregated.drain());
        ArrayNode namespaces = stats.putArray("namespaces");
        for (Namespace nsp : io.namespaces().values()) {
            namespaces.addObject().put("name", nsp.name()).put("socketsCount", nsp.sockets().size());
        }
        admin.emit("server_stats", stats);
    }

    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("admin UI stats failed", e);
        }
    }

    /** This machine's name: the default server id, as in the reference (with the port, as nodes may share a host). */
    public static String hostname() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        options.auth().close();
    }
}
