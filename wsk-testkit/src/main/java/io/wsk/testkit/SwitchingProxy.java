package io.wsk.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on a free loopback port that sends every new connection to one backend, the one
 * the test chooses: what a load balancer does for a client whose node went away. Clients connect
 * to {@link #url()}; {@link #switchTo} picks the backend for connections from then on, and
 * {@link #cutAll} drops the connections open now (as a dying node would), so clients reconnect,
 * through the proxy, to the new backend. Bytes are copied as they come, by two threads per
 * connection: this is for tests with a handful of clients.
 */
public final class SwitchingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    /** The client ends of {@link #open}. */
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    /** Backend ends left open by {@link #abandonClients}: their pipes copy nothing more. */
    private final List<Socket> halfDead = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile int backendPort;
    private volatile boolean closed;

    private SwitchingProxy(int backendPort) throws IOException {
        this.backendPort = backendPort;
        this.listener = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "switching-proxy-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy to {@code 127.0.0.1:<backendPort>}. */
    public static SwitchingProxy to(int backendPort) {
        try {
            return new SwitchingProxy(backendPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>} */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** New connections go to {@code 127.0.0.1:<port>} from now on. */
    public void switchTo(int port) {
        this.backendPort = port;
    }

    /** Resets every connection open now, both ways. */
    public void cutAll() {
        for (Socket socket : open) {
            reset(socket);
        }
    }

    /**
     * Resets the client side of every connection open now but leaves the backend side open and
     * silent: the backend goes on believing in the connection until its own timeouts (a client
     * whose network changed, a half-open connection).
     */
    public void abandonClients() {
        for (Socket socket : open) {
            if (clients.contains(socket)) {
                reset(socket);
            } else {
                halfDead.add(socket);
            }
        }
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                Socket backend = new Socket();
                backend.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), backendPort), 2_000);
                client.setTcpNoDelay(true);
                backend.setTcpNoDelay(true);
                open.add(client);
                clients.add(client);
                open.add(backend);
                pipe(client, backend);
                pipe(backend, client);
            } catch (IOException e) {
                reset(client); // the backend is down: as a balancer with nowhere to send it
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // either end went away
            } finally {
                if (!halfDead.contains(from) && !halfDead.contains(to)) {
                    reset(from);
                    reset(to);
                }
            }
        }, "switching-proxy-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    private void reset(Socket socket) {
        open.remove(socket);
        clients.remove(socket);
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // already closed
        }
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        cutAll();
        for (Socket socket : halfDead) {
            reset(socket);
        }
    }
}
