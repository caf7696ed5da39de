package io.wsk.bench.abuse;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A Socket.IO client that connects, then never reads again: its receive buffer is shrunk to a
 * few kilobytes first, so the kernel stops taking data almost at once and everything else the
 * server sends it has to stay on the server. With {@code pongEvery} it still writes a pong
 * {@code 3} that often, which looks alive to a heartbeat that does not also require reading.
 * Afterwards {@link #drain} reads what is left, to see how much the server kept for it and
 * whether it closed the connection.
 */
final class StalledClient implements AutoCloseable {

    /** Linux doubles it and keeps a floor; a few KB either way. */
    static final int RECEIVE_BUFFER = 4096;

    private final SocketIoClient client;
    private final long startNanos;
    private final ScheduledExecutorService pongs;
    private volatile long pongsWritten;
    private volatile double pongFailedAt = -1;
    private volatile String pongFailure;

    private StalledClient(SocketIoClient client, Duration pongEvery) {
        this.client = client;
        this.startNanos = System.nanoTime();
        if (pongEvery == null) {
            this.pongs = null;
        } else {
            this.pongs = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "stalled-pongs");
                t.setDaemon(true);
                return t;
            });
            pongs.scheduleAtFixedRate(this::pong, pongEvery.toMillis(), pongEvery.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Connects to namespace {@code /}; {@code pongEvery} null: no pongs at all. */
    static StalledClient connect(int port, Duration pongEvery) throws IOException {
        return new StalledClient(SocketIoClient.connect(port, RECEIVE_BUFFER), pongEvery);
    }

    private void pong() {
        if (pongFailedAt >= 0) {
            return;
        }
        try {
            client.send("3");
            pongsWritten++;
        } catch (IOException e) {
            pongFailedAt = (System.nanoTime() - startNanos) / 1e9;
            pongFailure = e.getMessage();
        }
    }

    int localPort() {
        return client.localPort();
    }

    long pongsWritten() {
        return pongsWritten;
    }

    /** "n written, none failed" or when and how the first one failed. */
    String pongOutcome() {
        return pongs == null ? "none sent (by design)" : pongsWritten + " written" + (pongFailedAt < 0 ? ", none failed"
                : ", writing failed " + Text.seconds(pongFailedAt) + " after connecting: " + pongFailure);
    }

    /** What reading the connection to its end brought. */
    record Drain(long bytes, long frames, long broadcasts, int closeCode, String ending, double seconds) {

        void report(Figures figures, String prefix) {
            figures.put(prefix + " bytes read", bytes);
            figures.put(prefix + " frames read", frames);
            figures.put(prefix + " b events read", broadcasts);
            figures.put(prefix + " close frame", closeCode < 0 ? "none" : "code " + closeCode);
            figures.put(prefix + " ended", ending);
            figures.put(prefix + " took", Text.seconds(seconds));
        }
    }

    /**
     * Stops the pongs and reads (and drops) everything until the server ends the connection, it
     * is reset, nothing comes for {@code quiet}, or {@code cap} passed.
     */
    Drain drain(Duration quiet, Duration cap) {
        if (pongs != null) {
            pongs.shutdownNow();
        }
        long start = System.nanoTime();
        long deadline = start + cap.toNanos();
        long bytes = 0;
        long frames = 0;
        long broadcasts = 0;
        int closeCode = -1;
        String ending;
        try {
            client.ws().readTimeout((int) quiet.toMillis());
            while (true) {
                if (System.nanoTime() > deadline) {
                    ending = "still receiving when the harness stopped reading after " + cap.toSeconds() + " s";
                    break;
                }
                WsFrame frame = client.ws().read();
                if (frame == null) {
                    ending = "end of stream (the server closed the connection)";
                    break;
                }
                frames++;
                bytes += frame.payload().length;
                if (frame.opcode() == WsFrame.CLOSE) {
                    closeCode = frame.closeCode() < 0 ? 0 : frame.closeCode();
                } else if (frame.isText() && frame.startsWith(Receiver.BROADCAST)) {
                    broadcasts++;
                }
            }
        } catch (SocketTimeoutException e) {
            ending = "nothing more for " + quiet.toSeconds() + " s: the connection is still open";
        } catch (IOException e) {
            ending = "error: " + e.getMessage();
        }
        return new Drain(bytes, frames, broadcasts, closeCode, ending, (System.nanoTime() - start) / 1e9);
    }

    @Override
    public void close() {
        if (pongs != null) {
            pongs.shutdownNow();
        }
        client.close();
    }
}
