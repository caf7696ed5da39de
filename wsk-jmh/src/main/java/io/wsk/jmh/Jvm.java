package io.wsk.jmh;

/** JVM flags for every benchmark fork: {@code @Fork(jvmArgsAppend = {Jvm.ALLOCATOR_CACHE, Jvm.G1, Jvm.HEAP_MIN, Jvm.HEAP_MAX})}. */
final class Jvm {

    /**
     * Netty's pooled allocator keeps per-thread caches only for its own event-loop threads unless
     * told otherwise. The server encodes and decodes on event loops, so the benchmark thread gets a
     * cache too; without it every buffer would come from the shared arenas, which is not what the
     * hot path sees.
     */
    static final String ALLOCATOR_CACHE = "-Dio.netty.allocator.useCacheForAllThreads=true";

    /** The collector of the image and of the {@code ./wsk} launcher. */
    static final String G1 = "-XX:+UseG1GC";

    /** A fixed heap, so that resizing does not add noise between iterations. */
    static final String HEAP_MIN = "-Xms1g";
    static final String HEAP_MAX = "-Xmx1g";

    private Jvm() {
    }
}
