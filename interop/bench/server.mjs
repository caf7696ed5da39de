// The reference for wsk's benchmarks: the official Node socket.io server with the bench handlers
// (handlers.mjs, the same as wsk's `--app bench`), nothing else on the hot path (no logging per
// connection), started by wsk-bench's `compare`.
//
//   node --expose-gc bench/server.mjs <port> [redis-url [streams]]
//
// <port>        HTTP port on 127.0.0.1 (0 picks one); reported as {"event":"listening","port":N}
// [redis-url]   with it, @socket.io/redis-adapter on node-redis (the relay scenario)
// [streams]     @socket.io/redis-streams-adapter instead (the relay-streams scenario)
//
// Settings match wsk's defaults so the comparison is like for like: default pingInterval and
// pingTimeout, perMessageDeflate off (socket.io's default), and the listen backlog of wsk (4096)
// instead of Node's 511. The process exits when its stdin ends, so it never outlives the harness.
import { createServer } from "node:http";
import { Server } from "socket.io";
import { createAdapter } from "@socket.io/redis-adapter";
import { createAdapter as createStreamsAdapter } from "@socket.io/redis-streams-adapter";
import { createClient } from "redis";
import { addBenchHandlers } from "./handlers.mjs";

const [portArg, redisUrl, adapterKind] = process.argv.slice(2);
if (portArg === undefined) {
  console.error("usage: node bench/server.mjs <port> [redis-url]");
  process.exit(2);
}

let adapter;
if (redisUrl) {
  const pubClient = createClient({ url: redisUrl });
  const subClient = pubClient.duplicate();
  pubClient.on("error", (err) => console.error(`redis pub: ${err.message}`));
  subClient.on("error", (err) => console.error(`redis sub: ${err.message}`));
  await Promise.all([pubClient.connect(), subClient.connect()]);
  adapter = adapterKind === "streams" ? createStreamsAdapter(pubClient) : createAdapter(pubClient, subClient);
}

const httpServer = createServer();
const io = new Server(httpServer, adapter ? { adapter } : {});
io.on("connection", (socket) => addBenchHandlers(io.of("/"), socket));

httpServer.listen(Number(portArg), "127.0.0.1", 4096, () => {
  console.log(JSON.stringify({ event: "listening", port: httpServer.address().port, pid: process.pid }));
});

// compare's conns scenario reads the RSS after a full collection on both servers (wsk: jcmd GC.run);
// here that is SIGUSR2, with node started with --expose-gc.
process.on("SIGUSR2", () => {
  if (globalThis.gc) {
    globalThis.gc();
  } else {
    console.error("SIGUSR2: no collection, node was started without --expose-gc");
  }
});

process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
