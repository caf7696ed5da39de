package io.wsk.app;

import io.wsk.admin.AdminAuth;
import io.wsk.admin.AdminOptions;
import io.wsk.admin.AdminUi;
import io.wsk.admin.AdminUiFiles;
import io.wsk.http.HttpServer;
import io.wsk.server.SocketIoServer;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code serve} flags of the official admin UI: its server side on the {@code /admin}
 * namespace, its page at {@code /admin/}. Off unless asked for, and never open by accident: an
 * auth option, or {@code --admin-no-auth} said out loud.
 */
final class AdminFlags {

    @Option(names = "--admin-ui", defaultValue = "${env:WSK_ADMIN_UI:-false}",
            description = "Serve the Socket.IO admin UI: its page at /admin/, its namespace /admin (env WSK_ADMIN_UI=true). "
                    + "Needs --admin-auth or --admin-no-auth.")
    boolean enabled;

    @Option(names = "--admin-auth", defaultValue = "${env:WSK_ADMIN_AUTH}",
            description = "USER:PASSWORD for the admin UI; the password may be a bcrypt hash, e.g. from "
                    + "htpasswd -nbB (env WSK_ADMIN_AUTH).")
    String auth;

    @Option(names = "--admin-no-auth", defaultValue = "false",
            description = "Let anyone who reaches the server use the admin UI (development only).")
    boolean noAuth;

    @Option(names = "--admin-readonly", defaultValue = "${env:WSK_ADMIN_READONLY:-false}",
            description = "The admin UI may look but not act: no join, leave, disconnect or emit (env WSK_ADMIN_READONLY=true).")
    boolean readonly;

    @Option(names = "--admin-server-id", defaultValue = "${env:WSK_ADMIN_SERVER_ID}",
            description = "This node's name in the admin UI (env WSK_ADMIN_SERVER_ID; default HOST:PORT).")
    String serverId;

    /** What is wrong with the flags, or {@code null}. */
    String problem() {
        if (!enabled) {
            return auth != null || noAuth || readonly ? "--admin-auth, --admin-no-auth and --admin-readonly need --admin-ui" : null;
        }
        if (auth == null && !noAuth) {
            return "--admin-ui needs --admin-auth USER:PASSWORD (or WSK_ADMIN_AUTH), or --admin-no-auth to let anyone in";
        }
        if (auth != null && noAuth) {
            return "--admin-auth and --admin-no-auth contradict each other";
        }
        if (auth != null) {
            try {
                AdminAuth.parse(auth);
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }
        return null;
    }

    /** Instruments the servers and mounts the page; nothing when the UI is off. */
    List<AdminUi> apply(List<SocketIoServer> servers, HttpServer.Builder http, int port) {
        List<AdminUi> started = new ArrayList<>();
        if (!enabled) {
            return started;
        }
        AdminAuth adminAuth = auth == null ? AdminAuth.none() : AdminAuth.parse(auth);
        String id = serverId != null && !serverId.isBlank() ? serverId : AdminUi.hostname() + ":" + port;
        for (SocketIoServer io : servers) {
            started.add(AdminUi.instrument(io, AdminOptions.of(adminAuth, id).withReadonly(readonly)));
        }
        AdminUiFiles files = new AdminUiFiles("/admin/");
        http.routePrefix("/admin/", files);
        http.route("/admin", files);
        return started;
    }
}
