/**
 * wsk's Socket.IO v4 client (Engine.IO v4, Socket.IO v5), on Netty.
 *
 * <p>Start with {@link io.wsk.client.Manager} (one connection to a server) and its
 * {@link io.wsk.client.ClientSocket}s (one per namespace), configured by
 * {@link io.wsk.client.ClientOptions}; {@link io.wsk.client.WskClient} is the one-line form of the
 * JS client's {@code io(url)}. Behaviour, option names and defaults follow socket.io-client 4.x:
 * reconnection with its {@link io.wsk.client.Backoff}, buffered emits, volatile emits, acks,
 * connection state recovery.
 *
 * <p>Layers, bottom up: {@code Transport} ({@code PollingTransport}, {@code WebSocketTransport},
 * over {@code HttpConnection} and {@code TransportContext}, which makes every connection, through
 * the {@link io.wsk.client.ClientProxy} when there is one, and keeps the {@code CookieJar}), {@code EngineConnection} (one
 * Engine.IO session: handshake, heartbeat check, upgrade, write buffer), {@code Manager}
 * (Socket.IO packets, namespaces, reconnection), {@code ClientSocket} (one namespace). The packet
 * codecs are wsk-core's {@code io.wsk.protocol}, nothing else of wsk-core.
 *
 * <p>Threads: see {@link io.wsk.client.Manager} and {@link io.wsk.client.ClientResources}.
 */
package io.wsk.client;
