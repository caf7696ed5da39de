package io.wsk.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Loopback ports for the processes fixtures start, and whether something listens on one. */
public final class FreePorts {

    public static final String HOST = "127.0.0.1";

    private FreePorts() {
    }

    /** A port nothing listens on right now (another process may still take it before we do). */
    public static int next() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("finding a free port on " + HOST, e);
        }
    }

    /** Whether a TCP connection to {@code HOST:port} is accepted. */
    public static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
