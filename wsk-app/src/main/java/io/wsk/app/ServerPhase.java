package io.wsk.app;

/** Where a node is in its life, as readiness reports it. */
enum ServerPhase {
    /** Listening, but not yet told the load balancer it may send traffic. */
    STARTING,
    SERVING,
    /** Shutting down: no new clients, live ones are being moved away. */
    DRAINING
}
