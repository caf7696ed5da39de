package io.wsk.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.wsk.server.Middleware;
import io.wsk.server.Socket;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The admin namespace's gate, as the reference's: a socket gets in with a valid session id, or
 * with the user name and password, which earn it a new session; otherwise it is refused with
 * {@code invalid credentials}, the message on which the UI opens its login form again.
 */
final class AdminLogin implements Middleware {

    static final String INVALID = "invalid credentials";

    private final AdminAuth auth;
    /**
     * Sessions issued to sockets being admitted, told to them once connected. Weak keys: a socket
     * whose connection went before it was admitted leaves nothing behind.
     */
    private final Map<Socket, String> issued = Collections.synchronizedMap(new WeakHashMap<>());

    AdminLogin(AdminAuth auth) {
        this.auth = auth;
    }

    @Override
    public void handle(Socket socket, Next next) {
        if (!auth.required()) {
            next.proceed();
            return;
        }
        JsonNode credentials = socket.handshake().auth();
        JsonNode sessionId = credentials.path("sessionId");
        if (sessionId.isTextual() && auth.sessions().isValid(sessionId.textValue())) {
            next.proceed();
            return;
        }
        String user = credentials.path("username").isTextual() ? credentials.get("username").textValue() : null;
        String password = credentials.path("password").isTextual() ? credentials.get("password").textValue() : null;
        auth.check(user, password).whenComplete((ok, error) -> {
            if (error != null) {
                next.reject(error.getMessage());
            } else if (ok) {
                issued.put(socket, auth.sessions().issue());
                next.proceed();
            } else {
                next.reject(INVALID);
            }
        });
    }

    /** The session issued to {@code socket} when it logged in, or {@code null} (it came with one). */
    String takeIssued(Socket socket) {
        return issued.remove(socket);
    }
}
