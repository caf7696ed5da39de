// The official Node socket.io server (no adapter) as the peer of wsk's own Java client tests
// (wsk-client, io.wsk.client.PeerProcess). The same handlers and stdin/stdout protocol as the
// wsk peer those tests run (wsk-client's test class io.wsk.client.WskPeerMain), so each test runs
// against both.
//
//   node client/server.mjs <port> [options-json]
//
// <port>          the HTTP port on 127.0.0.1; 0 picks a free one (reported by "listening"); a test
//                 that kills the server starts the next one on the same port
// [options-json]  socket.io Server options, e.g. {"connectionStateRecovery":{},"pingInterval":300}
//
// Namespaces "/" and "/admin" (whose middleware refuses a handshake without auth {"token":"secret"}
// with message "not authorized" and data {"hint":"send a token"}), both with these handlers:
//   echo      ack with the same arguments, or emit "echo" back with them when no ack is asked
//   join      join room args[0]; ack
//   pub       emit "b" with args[0] to everyone in the namespace, or only to room args[0].room; ack
//   auth      ack with the handshake's auth
//   handshake ack with {"query": query parameter q, "header": header x-wsk-test} of the handshake
//   ask       emit "question" with args (ack asked, 5 s), then ack with the client's answer as an array
//   askAll    the same to every socket of the namespace (a broadcast with acks): ack with their answers
//   drop      close this client's Engine.IO connection (the client reconnects, and may recover)
//   leave     disconnect this socket from the namespace (socket.disconnect())
//
// Commands, one JSON object per stdin line, each answered by {"event":"result","id":...}:
//   {"cmd":"emit","id":"c1","nsp":"/","event":"e","args":[...],"to":"room"}   io.of(nsp)[.to(room)].emit
//
// Events, one JSON object per stdout line:
//   {"event":"listening","port":N}
//   {"event":"connection","nsp":"/","id":"...","recovered":false,"transport":"polling"}
//   {"event":"disconnect","nsp":"/","id":"...","reason":"..."}
//   {"event":"upgrade","transport":"websocket"}
//
// Binary values in args and acks are Buffers; commands take {"$binary":"BASE64"} for them.
// When stdin ends the process exits.
import { createServer } from "node:http";
import { createInterface } from "node:readline";
import { Server } from "socket.io";
import { fail, fromWire, report } from "../redis/wire.mjs";

const [portArg, optionsJson] = process.argv.slice(2);
if (portArg === undefined) fail("usage: node client/server.mjs <port> [options-json]");
const options = optionsJson ? JSON.parse(optionsJson) : {};

const httpServer = createServer();
const io = new Server(httpServer, options);

io.of("/admin").use((socket, next) => {
  if (socket.handshake.auth && socket.handshake.auth.token === "secret") return next();
  const err = new Error("not authorized");
  err.data = { hint: "send a token" };
  next(err);
});

for (const name of ["/", "/admin"]) {
  const nsp = io.of(name);
  nsp.on("connection", (socket) => {
    report({ event: "connection", nsp: name, id: socket.id, recovered: socket.recovered,
      transport: socket.conn.transport.name });
    socket.conn.once("upgrade", (t) => report({ event: "upgrade", transport: t.name }));
    socket.on("disconnect", (reason) => report({ event: "disconnect", nsp: name, id: socket.id, reason }));
    const split = (args) => {
      const ack = typeof args[args.length - 1] === "function" ? args.pop() : undefined;
      return [args, ack];
    };
    socket.on("echo", (...all) => {
      const [args, ack] = split(all);
      if (ack) ack(...args);
      else socket.emit("echo", ...args);
    });
    socket.on("join", (...all) => {
      const [args, ack] = split(all);
      if (typeof args[0] === "string") socket.join(args[0]);
      ack?.();
    });
    socket.on("pub", (...all) => {
      const [args, ack] = split(all);
      const arg = args[0];
      const room = arg !== null && typeof arg === "object" ? arg.room : undefined;
      if (typeof room === "string") nsp.to(room).emit("b", arg);
      else nsp.emit("b", arg);
      ack?.();
    });
    socket.on("auth", (...all) => split(all)[1]?.(socket.handshake.auth));
    socket.on("handshake", (...all) => split(all)[1]?.({
      query: socket.handshake.query.q ?? null, header: socket.handshake.headers["x-wsk-test"] ?? null }));
    socket.on("ask", async (...all) => {
      const [args, ack] = split(all);
      try {
        const answer = await socket.timeout(5000).emitWithAck("question", ...args);
        ack?.([answer]);
      } catch (e) {
        ack?.({ error: e.message });
      }
    });
    socket.on("askAll", async (...all) => {
      const [args, ack] = split(all);
      try {
        ack?.(await nsp.timeout(5000).emitWithAck("question", ...args));
      } catch (e) {
        ack?.({ error: e.message });
      }
    });
    socket.on("drop", () => socket.conn.close());
    socket.on("leave", () => socket.disconnect());
  });
}

createInterface({ input: process.stdin }).on("line", (line) => {
  if (!line.trim()) return;
  const command = JSON.parse(line);
  if (command.cmd !== "emit") fail(`unknown command ${line}`);
  let target = io.of(command.nsp ?? "/");
  if (command.to) target = target.to(command.to);
  target.emit(command.event, ...fromWire(command.args ?? []));
  report({ event: "result", id: command.id });
});

httpServer.listen(Number(portArg), "127.0.0.1", () => {
  report({ event: "listening", port: httpServer.address().port });
});
process.stdin.on("end", () => process.exit(0));
