package io.wsk.bench.compare;

/** The two servers compared. */
enum ServerKind {

    WSK("wsk"),
    NODE("Node");

    private final String label;

    ServerKind(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
