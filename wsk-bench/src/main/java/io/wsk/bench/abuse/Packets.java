package io.wsk.bench.abuse;

/**
 * The Socket.IO packets the cases send, as text: an EVENT is {@code 42["name",arg]}, with an ack
 * id {@code 42<id>["name",arg]}; the server's ACK is {@code 43<id>[...]}; a BINARY_EVENT with N
 * attachments is {@code 45N-[...]} with a placeholder per attachment, then N binary frames.
 */
final class Packets {

    /** 64 KiB of padding, the size of the broadcasts the memory cases push. */
    static final String PAD_64K = "x".repeat(64 * 1024);

    private Packets() {
    }

    /** {@code pub} of {@code {"seq":N,"pad":"..."}}: the bench app broadcasts it as event {@code b}. */
    static String pub(long seq, String pad) {
        return "42[\"pub\",{\"seq\":" + seq + ",\"pad\":\"" + pad + "\"}]";
    }

    /** {@code pub} of {@code {"seq":N}}. */
    static String pub(long seq) {
        return "42[\"pub\",{\"seq\":" + seq + "}]";
    }

    /** An event {@code name} with one string argument, with an ack id when {@code ackId >= 0}. */
    static String event(String name, String arg, long ackId) {
        return "42" + (ackId >= 0 ? Long.toString(ackId) : "") + "[\"" + name + "\",\"" + arg + "\"]";
    }

    /**
     * A BINARY_EVENT {@code name} announcing {@code attachments} attachments, one placeholder
     * each, in one object argument per placeholder.
     */
    static String binaryEventHeader(String name, int attachments) {
        StringBuilder packet = new StringBuilder("45").append(attachments).append("-[\"").append(name).append('"');
        for (int i = 0; i < attachments; i++) {
            packet.append(",{\"_placeholder\":true,\"num\":").append(i).append('}');
        }
        return packet.append(']').toString();
    }

    /** The id of an ACK packet {@code 43<id>[...]}, or -1 for anything else. */
    static long ackId(String packet) {
        if (packet.length() < 3 || packet.charAt(0) != '4' || packet.charAt(1) != '3') {
            return -1;
        }
        long id = 0;
        int i = 2;
        while (i < packet.length() && Character.isDigit(packet.charAt(i))) {
            id = id * 10 + (packet.charAt(i++) - '0');
        }
        return i == 2 ? -1 : id;
    }
}
