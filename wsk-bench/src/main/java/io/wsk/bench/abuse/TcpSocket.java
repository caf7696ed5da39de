package io.wsk.bench.abuse;

/**
 * One line of {@code ss -tan}: a TCP socket's state and queues. For a connection's two ends on
 * the loopback, the server's end has the server port as {@code localPort}; {@code sendQueue} is
 * what its kernel holds unsent or unacknowledged, {@code receiveQueue} what its owner has not read.
 */
record TcpSocket(String state, long receiveQueue, long sendQueue, int localPort, int peerPort) {

    /** Parses {@code ESTAB 0 12345 127.0.0.1:3000 127.0.0.1:51234}; {@code null} for anything else. */
    static TcpSocket parse(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 5) {
            return null;
        }
        try {
            return new TcpSocket(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), port(f[3]), port(f[4]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    boolean established() {
        return state.equals("ESTAB");
    }

    @Override
    public String toString() {
        return state + " (Recv-Q " + receiveQueue + ", Send-Q " + sendQueue + ")";
    }
}
