package io.wsk.bench.abuse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client that writes one packet over and over as fast as its socket takes it, on a thread of
 * its own, while another thread reads what comes back: everything (counting frames), or a
 * trickle of {@code trickleBytes} raw bytes every {@code trickleMillis}. The frame is masked once
 * and the same bytes sent again each time: remasking would make the harness, not the server, the
 * limit, and a server cannot tell.
 */
final class Flooder implements AutoCloseable {

    private final SocketIoClient client;
    private final byte[] frames;
    private final int framesPerWrite;
    private final Thread writer;
    private final Thread reader;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private volatile boolean stopping;
    private volatile String writeFailure;
    private volatile String readEnding;

    /**
     * {@code trickleBytes} 0: the reader reads every frame; else it reads that many raw bytes
     * every {@code trickleMillis}.
     */
    Flooder(String name, SocketIoClient client, String packet, int trickleBytes, int trickleMillis) {
        this.client = client;
        byte[] frame = WsFrameCodec.encode(WsFrame.TEXT, packet.getBytes(StandardCharsets.UTF_8));
        // Small packets go many to a write, so the flood is not a syscall per packet.
        this.framesPerWrite = Math.max(1, 32 * 1024 / frame.length);
        this.frames = new byte[frame.length * framesPerWrite];
        for (int i = 0; i < framesPerWrite; i++) {
            System.arraycopy(frame, 0, frames, i * frame.length, frame.length);
        }
        this.writer = new Thread(this::write, name + "-writer");
        this.reader = new Thread(trickleBytes > 0 ? () -> trickle(trickleBytes, trickleMillis) : this::readAll,
                name + "-reader");
        writer.setDaemon(true);
        reader.setDaemon(true);
    }

    void start() {
        reader.start();
        writer.start();
    }

    private void write() {
        try {
            while (!stopping) {
                client.ws().send(frames);
                sent.addAndGet(framesPerWrite);
            }
        } catch (IOException e) {
            if (!stopping) {
                writeFailure = e.getMessage();
            }
        }
    }

    private void readAll() {
        try {
            for (String packet; (packet = client.next()) != null; ) {
                received.incrementAndGet();
                bytesRead.addAndGet(packet.length());
            }
            readEnding = "closed by the server";
        } catch (IOException e) {
            readEnding = stopping ? null : "error: " + e.getMessage();
        }
    }

    private void trickle(int bytes, int millis) {
        byte[] buffer = new byte[bytes];
        try {
            while (!stopping) {
                int n = client.ws().readRaw(buffer, bytes);
                if (n < 0) {
                    readEnding = "closed by the server";
                    return;
                }
                bytesRead.addAndGet(n);
                Thread.sleep(millis);
            }
        } catch (IOException e) {
            readEnding = stopping ? null : "error: " + e.getMessage();
        } catch (InterruptedException e) {
            // stopping
        }
    }

    /** Stops writing: a write blocked on a full socket is freed by closing the socket. */
    void stopWriting() throws InterruptedException {
        stopping = true;
        writer.join(1000);
        if (writer.isAlive()) {
            client.close();
            writer.join(5000);
        }
    }

    long sent() {
        return sent.get();
    }

    long received() {
        return received.get();
    }

    long bytesRead() {
        return bytesRead.get();
    }

    /** Whether the server ended or broke the connection while the flood ran. */
    boolean disconnected() {
        return writeFailure != null || readEnding != null;
    }

    /** "still connected", or how the writer and reader ended. */
    String connection() {
        if (!disconnected()) {
            return "still connected";
        }
        return (writeFailure == null ? "" : "write failed: " + writeFailure + "; ")
                + (readEnding == null ? "" : "reader: " + readEnding);
    }

    @Override
    public void close() {
        stopping = true;
        client.close();
        reader.interrupt();
        try {
            writer.join(2000);
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
