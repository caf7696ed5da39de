package io.wsk.bench.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The servers compared: wsk, and the reference servers it is measured against. */
enum ServerKind {

    WSK("wsk", true),
    /** The official socket.io server; the targets are ratios to it. */
    NODE("Node", false),
    /** netty-socketio, the incumbent Java server ({@code wsk-bench-nsio}). */
    NETTY_SOCKETIO("netty-socketio", true);

    private final String label;
    private final boolean jvm;

    ServerKind(String label, boolean jvm) {
        this.label = label;
        this.jvm = jvm;
    }

    String label() {
        return label;
    }

    /** A JVM process: {@code jcmd} reaches its collector. */
    boolean jvm() {
        return jvm;
    }

    /** Every reference server, in table order. */
    static List<ServerKind> references() {
        return List.of(NODE, NETTY_SOCKETIO);
    }

    /** wsk, then {@code references}: the servers one run measures, in that order. */
    static List<ServerKind> withWsk(List<ServerKind> references) {
        List<ServerKind> kinds = new ArrayList<>(List.of(WSK));
        kinds.addAll(references);
        return List.copyOf(kinds);
    }

    /** A reference by its label, case-insensitive ({@code node}, {@code netty-socketio}). */
    static ServerKind reference(String label) {
        for (ServerKind kind : references()) {
            if (kind.label.toLowerCase(Locale.ROOT).equals(label.trim().toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        throw new IllegalArgumentException("no reference server " + label + "; choose from node, netty-socketio");
    }
}
