package io.wsk.bench.abuse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The kernel's view of a connection, through {@code ss}: the only way to see, from outside the
 * server, whether it still holds a socket and how many bytes it has queued there.
 */
final class SocketTable {

    private SocketTable() {
    }

    /** Both ends of the loopback connection from client port {@code clientPort} to {@code serverPort}. */
    static Ends ends(int serverPort, int clientPort) {
        TcpSocket server = null;
        TcpSocket client = null;
        for (TcpSocket s : query("( sport = :" + clientPort + " or dport = :" + clientPort + " )")) {
            if (s.localPort() == serverPort && s.peerPort() == clientPort) {
                server = s;
            } else if (s.localPort() == clientPort && s.peerPort() == serverPort) {
                client = s;
            }
        }
        return new Ends(Optional.ofNullable(server), Optional.ofNullable(client));
    }

    /** Every TCP socket whose local port is {@code serverPort}, the listener excluded. */
    static List<TcpSocket> serverSide(int serverPort) {
        return query("( sport = :" + serverPort + " )").stream().filter(s -> !s.state().equals("LISTEN")).toList();
    }

    private static List<TcpSocket> query(String filter) {
        List<TcpSocket> sockets = new ArrayList<>();
        try {
            Process ss = new ProcessBuilder("ss", "-tanH", filter).redirectErrorStream(true).start();
            ss.getOutputStream().close();
            String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!ss.waitFor(10, TimeUnit.SECONDS)) {
                ss.destroyForcibly();
            }
            out.lines().map(TcpSocket::parse).filter(s -> s != null).forEach(sockets::add);
        } catch (IOException e) {
            throw new IllegalStateException("ss failed (apt-get install -y iproute2): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return sockets;
    }

    /** The server's and the client's end of one connection; empty when the kernel no longer has it. */
    record Ends(Optional<TcpSocket> server, Optional<TcpSocket> client) {

        String describe(Optional<TcpSocket> end) {
            return end.map(TcpSocket::toString).orElse("gone");
        }
    }
}
