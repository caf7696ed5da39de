// An official Node socket.io server in a Redis cluster (@socket.io/redis-adapter with node-redis 4),
// driven line by line from stdin and reporting on stdout: the reference peer that wsk nodes must
// interoperate with.
//
//   node redis/node-server.mjs <port> <redis-url> [options-json] [--sharded | --streams]
//
// <port>          the HTTP port on 127.0.0.1; 0 picks a free one (reported by "listening")
// <redis-url>     e.g. redis://127.0.0.1:6390 (redis://:password@127.0.0.1:6390 with AUTH), or
//                 redis-cluster://[user:password@]host:port[,host:port...] (rediss-cluster:// for TLS),
//                 wsk's form for a Redis Cluster: node-redis createCluster with these root nodes
// [options-json]  {
//                   "name": "node-a",            reported as this server's name (default node-<port>);
//                                                also its default answer to server-side events
//                   "namespaces": ["/admin"],    created at start, with the same handlers as "/"
//                   "adapter": {...},            createAdapter / createShardedAdapter options, e.g.
//                                                {"key":"socket.io","requestsTimeout":1000} or
//                                                {"channelPrefix":"socket.io","subscriptionMode":"static"}
//                   "server": {...}              socket.io Server options, e.g. {"connectionStateRecovery":{}}
//                 }
// --sharded       createShardedAdapter (sharded pub/sub, Redis >= 7) instead of createAdapter
// --streams       @socket.io/redis-streams-adapter's createAdapter (Redis Streams); "adapter" takes its
//                 options ({"streamCount":2,"maxLen":1000,...})
//
// Every namespace has the handlers of wsk's bench app (wsk-app BenchApp), from ../bench/handlers.mjs:
//   echo, join, pub and count
// and socket.data is the handshake's auth.data when there is one (for fetchSockets to show).
//
// Binary values: wherever an argument holds bytes, the JSON has {"$binary":"BASE64"}.
//
// Commands, one JSON object per stdin line. Each has an "id" and gets exactly one
// {"event":"result","id":...} line, with "error" when it failed. Targeting fields, where they
// apply: "nsp" (default "/"), "to" and "except" (a room or an array of rooms).
//   {"cmd":"emit","id":"c1","event":"e","args":[...]}        io.of(nsp).to(..).except(..).emit;
//        "volatile":true and "local":true add those flags. Result once the publish went out:
//        {"flushed":true}, or false if Redis did not answer a PING within a second.
//   {"cmd":"emit",...,"ack":true,"timeout":ms}               io.timeout(ms).emit with an ack;
//        result {"responses":[...]} or {"error":"...","responses":[...]} (default timeout 5000)
//   {"cmd":"fetchSockets","id":..}                           result {"sockets":[{"id","rooms",
//        "data","auth","remote"}]}; "timeout":ms for io.timeout(ms).fetchSockets()
//   {"cmd":"socketsJoin","id":..,"rooms":[...]}              io.socketsJoin(rooms)
//   {"cmd":"socketsLeave","id":..,"rooms":[...]}             io.socketsLeave(rooms)
//   {"cmd":"disconnectSockets","id":..,"close":false}        io.disconnectSockets(close)
//   {"cmd":"serverSideEmit","id":..,"event":"e","args":[...]}           io.of(nsp).serverSideEmit;
//        with "ack":true, serverSideEmit with an ack (the adapter's requestsTimeout applies):
//        result {"responses":[...]} or {"error":"...","responses":[...]}
//   {"cmd":"answer","id":..,"event":"e","args":[...]}        from now on answer server-side "e"
//        with these args; "echo":true answers with the event's args; "never":true never answers
//   {"cmd":"clientsCount","id":..}                           result {"value": io.engine.clientsCount}
//   {"cmd":"serverCount","id":..}                            result {"value": adapter.serverCount()}
//
// Events, one JSON object per stdout line:
//   {"event":"listening","port":N,"name":"...","sharded":false}
//   {"event":"connection","nsp":"/","id":"<socket id>"}
//   {"event":"disconnect","nsp":"/","id":"<socket id>","reason":"..."}
//   {"event":"serverSideEmit","nsp":"/","name":"e","args":[...],"ack":true,"answered":true}
//   {"event":"result","id":"c1",...}
//   {"event":"redisError","client":"pub"|"sub","message":"..."}   node-redis reconnects by itself
//
// The process exits 1 if a command is malformed. When stdin ends (the test that drives it went
// away) it closes the server and the Redis clients and exits.
import { createServer } from "node:http";
import { createInterface } from "node:readline";
import { Server } from "socket.io";
import { createAdapter, createShardedAdapter } from "@socket.io/redis-adapter";
import { createAdapter as createStreamsAdapter } from "@socket.io/redis-streams-adapter";
import { createClient, createCluster } from "redis";
import { addBenchHandlers } from "../bench/handlers.mjs";
import { describe, fail, fromWire, report, roomList, toWire } from "./wire.mjs";

const flags = process.argv.slice(2).filter((arg) => arg.startsWith("--"));
const [portArg, redisUrl, optionsJson] = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
if (portArg === undefined || !redisUrl) {
  fail("usage: node redis/node-server.mjs <port> <redis-url> [options-json] [--sharded | --streams]");
}
for (const flag of flags) {
  if (flag !== "--sharded" && flag !== "--streams") fail(`unknown flag ${flag}`);
}
const sharded = flags.includes("--sharded");
const streams = flags.includes("--streams");
const options = optionsJson ? JSON.parse(optionsJson) : {};

// ---- Redis and the adapter ----

/** node-redis createCluster options from wsk's redis-cluster:// URL (seeds as root nodes, credentials as defaults). */
function clusterOptions(url) {
  const tls = url.startsWith("rediss-cluster://");
  let rest = url.slice(url.indexOf("://") + 3);
  const defaults = {};
  const at = rest.lastIndexOf("@");
  if (at >= 0) {
    const [user, password] = rest.slice(0, at).split(":");
    if (user) defaults.username = decodeURIComponent(user);
    if (password) defaults.password = decodeURIComponent(password);
    rest = rest.slice(at + 1);
  }
  if (tls) defaults.socket = { tls: true };
  const scheme = tls ? "rediss" : "redis";
  return { rootNodes: rest.split(",").map((seed) => ({ url: `${scheme}://${seed}` })), defaults };
}

const cluster = /^rediss?-cluster:\/\//.test(redisUrl);
const pubClient = cluster ? createCluster(clusterOptions(redisUrl)) : createClient({ url: redisUrl });
const subClient = pubClient.duplicate();
// Without a listener node-redis would crash the process on a lost connection; resilience tests
// want the server to live on and reconnect.
pubClient.on("error", (err) => report({ event: "redisError", client: "pub", message: describe(err) }));
subClient.on("error", (err) => report({ event: "redisError", client: "sub", message: describe(err) }));
await Promise.all([pubClient.connect(), subClient.connect()]);

// The streams adapter takes one client and duplicates it for its readers and subscriptions.
const adapter = streams
  ? createStreamsAdapter(pubClient, options.adapter ?? {})
  : sharded
    ? createShardedAdapter(pubClient, subClient, options.adapter ?? {})
    : createAdapter(pubClient, subClient, options.adapter ?? {});

const httpServer = createServer();
const io = new Server(httpServer, { ...(options.server ?? {}), adapter });

/** Waits (a second at most) for Redis to have taken everything published so far. */
async function flushed() {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(false), 1000);
  });
  try {
    // A cluster client has no ping(): PING goes to a node of its choosing.
    const ping = cluster ? pubClient.sendCommand(undefined, false, ["PING"]) : pubClient.ping();
    return await Promise.race([ping.then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// ---- server-side events: event name -> {args} | {echo: true} | {never: true} ----

const answers = new Map();
let name;

function onServerSideEmit(nsp, args) {
  const event = args[0];
  const callback = typeof args[args.length - 1] === "function" ? args.pop() : undefined;
  const line = { event: "serverSideEmit", nsp: nsp.name, name: event, args: toWire(args.slice(1)), ack: Boolean(callback) };
  if (callback) {
    const rule = answers.get(event) ?? { args: [name] };
    if (!rule.never) {
      callback(...(rule.echo ? args.slice(1) : fromWire(rule.args ?? [])));
      line.answered = true;
    }
  }
  report(line);
}

// ---- the bench handlers, on every namespace ----

function setUp(nsp) {
  // socket.io hands server-side events to Namespace#_onServerSideEmit, which emits them as
  // namespace events; taking them there catches every name without knowing it in advance.
  nsp._onServerSideEmit = (args) => onServerSideEmit(nsp, args);
  nsp.on("connection", (socket) => {
    const auth = socket.handshake.auth ?? {};
    if (auth.data !== undefined) socket.data = auth.data;
    report({ event: "connection", nsp: nsp.name, id: socket.id });
    socket.on("disconnect", (reason) => report({ event: "disconnect", nsp: nsp.name, id: socket.id, reason }));
    addBenchHandlers(nsp, socket);
  });
}

setUp(io.of("/"));
io.on("new_namespace", setUp);
for (const nsp of options.namespaces ?? []) io.of(nsp);

// ---- commands ----

function target(command) {
  let operator = io.of(command.nsp ?? "/");
  const to = roomList(command.to);
  const except = roomList(command.except);
  if (to.length > 0) operator = operator.to(to);
  if (except.length > 0) operator = operator.except(except);
  return operator;
}

/** io.timeout(ms).emit(..., callback) as a promise of the result line's fields. */
function emitWithAck(operator, command) {
  return new Promise((resolve) => {
    operator.timeout(command.timeout ?? 5000).emit(command.event, ...fromWire(command.args ?? []), (err, responses) => {
      resolve(err ? { error: describe(err), responses: toWire(responses ?? []) } : { responses: toWire(responses) });
    });
  });
}

function serverSideEmitWithAck(nsp, command) {
  return new Promise((resolve) => {
    nsp.serverSideEmit(command.event, ...fromWire(command.args ?? []), (err, responses) => {
      resolve(err ? { error: describe(err), responses: toWire(responses ?? []) } : { responses: toWire(responses) });
    });
  });
}

async function run(command) {
  switch (command.cmd) {
    case "emit": {
      let operator = target(command);
      if (command.volatile) operator = operator.volatile;
      if (command.local) operator = operator.local;
      if (command.ack) return emitWithAck(operator, command);
      operator.emit(command.event, ...fromWire(command.args ?? []));
      return { flushed: await flushed() };
    }
    case "fetchSockets": {
      let operator = target(command);
      if (typeof command.timeout === "number") operator = operator.timeout(command.timeout);
      const sockets = await operator.fetchSockets();
      return {
        sockets: sockets.map((socket) => ({
          id: socket.id,
          rooms: [...socket.rooms],
          data: toWire(socket.data ?? null),
          auth: toWire(socket.handshake?.auth ?? null),
          remote: socket.constructor.name === "RemoteSocket",
        })),
      };
    }
    case "socketsJoin":
      target(command).socketsJoin(roomList(command.rooms));
      return { flushed: await flushed() };
    case "socketsLeave":
      target(command).socketsLeave(roomList(command.rooms));
      return { flushed: await flushed() };
    case "disconnectSockets":
      target(command).disconnectSockets(Boolean(command.close));
      return { flushed: await flushed() };
    case "serverSideEmit": {
      const nsp = io.of(command.nsp ?? "/");
      if (command.ack) return serverSideEmitWithAck(nsp, command);
      nsp.serverSideEmit(command.event, ...fromWire(command.args ?? []));
      return { flushed: await flushed() };
    }
    case "answer":
      answers.set(command.event, { args: command.args, echo: command.echo, never: command.never });
      return {};
    case "clientsCount":
      return { value: io.engine.clientsCount };
    case "serverCount":
      return { value: await io.of(command.nsp ?? "/").adapter.serverCount() };
    default:
      fail(`unknown command: ${JSON.stringify(command)}`);
  }
}

const commands = createInterface({ input: process.stdin, crlfDelay: Infinity });

commands.on("line", (line) => {
  if (line.trim() === "") return;
  let command;
  try {
    command = JSON.parse(line);
  } catch (e) {
    fail(`bad command line: ${e.message}`);
  }
  if (command.id === undefined) fail(`command without an id: ${line}`);
  // Each command starts at once (so emits keep their order); its result comes when it is done.
  run(command).then(
    (result) => report({ event: "result", id: command.id, ...result }),
    (err) => report({ event: "result", id: command.id, error: describe(err) }),
  );
});

commands.on("close", () => {
  // Exit even if Redis is gone and closing hangs.
  setTimeout(() => process.exit(0), 1000).unref();
  io.close();
  Promise.allSettled([pubClient.disconnect(), subClient.disconnect()]).then(() => process.exit(0));
});

httpServer.listen(Number(portArg), "127.0.0.1", () => {
  const port = httpServer.address().port;
  name = options.name ?? `node-${port}`;
  report({ event: "listening", port, name, sharded, streams });
});
