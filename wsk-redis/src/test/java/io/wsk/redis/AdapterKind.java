package io.wsk.redis;

/** The three Redis adapters, for tests that run each: a node builder with the adapter set. */
enum AdapterKind {
    CLASSIC, SHARDED, STREAMS;

    WskNode.Builder node(String url, String name) {
        WskNode.Builder builder = WskNode.builder(url).name(name);
        return switch (this) {
            case CLASSIC -> builder;
            case SHARDED -> builder.sharded(SubscriptionMode.DYNAMIC);
            case STREAMS -> builder.streams(RedisStreamsAdapterOptions.defaults());
        };
    }
}
