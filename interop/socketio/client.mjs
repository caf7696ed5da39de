// An official socket.io-client, driven line by line from stdin and reporting on stdout.
//
//   node socketio/client.mjs <url> [options-json]
//
// <url>           the server and namespace, as io() takes them: http://127.0.0.1:8080/admin
// [options-json]  passed as is to io() (forceNew is always set, so each script has its own
//                 connection), e.g. {"transports":["websocket"],"auth":{"token":"t"},
//                 "reconnectionDelay":100,"randomizationFactor":0}
//
// Binary values: wherever an argument holds bytes, the JSON has {"$binary":"BASE64"}. Commands
// turn such objects into Buffers; events turn received Buffers / ArrayBuffers into them.
//
// Commands, one JSON object per stdin line; "nsp" picks a socket opened with "open" (default:
// the namespace of <url>):
//   {"cmd":"emit","event":"e","args":[...]}                       emit without ack
//   {"cmd":"emit","event":"e","args":[...],"volatile":true}       socket.volatile.emit
//   {"cmd":"emit","event":"e","args":[...],"ack":"r1"}            emit with an ack callback;
//        add "timeout":ms for socket.timeout(ms).emit; the answer is reported as an "ack" event
//   {"cmd":"answer","event":"e","args":[...]}                     from now on, answer the server's
//        acks of "e" with these args; {"cmd":"answer","event":"e","echo":true} answers with the
//        event's own args; {"cmd":"answer","event":"e","never":true} never answers
//   {"cmd":"ack","ackId":3,"args":[...]}                          answer one pending server ack
//   {"cmd":"open","nsp":"/admin","auth":{...}}                    another namespace, same connection
//   {"cmd":"dropTransport"}                                       socket.io.engine.close(): the
//        connection drops as if the network did, and the client reconnects (if enabled)
//   {"cmd":"disconnect"} / {"cmd":"connect"}                      socket.disconnect() / .connect()
//
// Events, one JSON object per stdout line, each with the namespace ("nsp") where one applies:
//   {"event":"connect","nsp":"/","id":"<socket id>","recovered":false,"transport":"polling"}
//   {"event":"connect_error","nsp":"/","message":"...","data":<err.data>}
//   {"event":"disconnect","nsp":"/","reason":"io server disconnect","description":"..."}
//   {"event":"received","nsp":"/","name":"e","args":[...]}  a server event; with "ackId":3 when
//        the server waits for an ack that no "answer" rule gave, "answered":true when one did
//   {"event":"ack","id":"r1","args":[...]}  or  {"event":"ack","id":"r1","error":"operation has timed out"}
//   {"event":"open","transport":"polling"}          the manager opened an Engine.IO connection
//   {"event":"upgrade","transport":"websocket"}     that connection upgraded
//   {"event":"close","reason":"forced close"}       that connection closed
//   {"event":"reconnect_attempt","attempt":1}, {"event":"reconnect","attempt":1},
//   {"event":"reconnect_error","message":"..."}, {"event":"reconnect_failed"}
//
// The process exits 1 if a command is malformed. When stdin ends (the test that drives it went
// away) it disconnects every socket and exits.
import { io } from "socket.io-client";
import { createInterface } from "node:readline";

const [url, optionsJson] = process.argv.slice(2);
if (!url) {
  process.stderr.write("usage: node socketio/client.mjs <url> [options-json]\n");
  process.exit(2);
}
const options = { ...(optionsJson ? JSON.parse(optionsJson) : {}), forceNew: true };

function emit(event) {
  process.stdout.write(JSON.stringify(event) + "\n");
}

function fail(message) {
  process.stderr.write(message + "\n");
  process.exit(1);
}

/** Received values as JSON: bytes become {"$binary": base64}. */
function toWire(value) {
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) {
    const view = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return { $binary: view.toString("base64") };
  }
  if (value instanceof ArrayBuffer) return { $binary: Buffer.from(value).toString("base64") };
  if (Array.isArray(value)) return value.map(toWire);
  if (value !== null && typeof value === "object") {
    const out = {};
    for (const [key, item] of Object.entries(value)) out[key] = toWire(item);
    return out;
  }
  return value;
}

/** Command values as arguments: {"$binary": base64} becomes a Buffer. */
function fromWire(value) {
  if (Array.isArray(value)) return value.map(fromWire);
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === "$binary") return Buffer.from(value.$binary, "base64");
    const out = {};
    for (const [key, item] of Object.entries(value)) out[key] = fromWire(item);
    return out;
  }
  return value;
}

function describe(value) {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Error) return value.message;
  if (typeof value === "object") {
    if (value.description instanceof Error) return value.description.message;
    if (value.description !== undefined) return String(value.description);
    if (value.message !== undefined) return String(value.message);
  }
  return String(value);
}

// ---- the manager (one Engine.IO connection) ----

const main = io(url, options);
const manager = main.io;
const mainNsp = main.nsp;

function watchEngine() {
  const engine = manager.engine;
  if (!engine || engine.__wskWatched) return;
  engine.__wskWatched = true;
  engine.on("upgrade", (transport) => emit({ event: "upgrade", transport: transport.name }));
}

manager.on("open", () => {
  watchEngine();
  emit({ event: "open", transport: manager.engine.transport.name });
});
manager.on("close", (reason) => emit({ event: "close", reason }));
manager.on("reconnect_attempt", (attempt) => emit({ event: "reconnect_attempt", attempt }));
manager.on("reconnect", (attempt) => emit({ event: "reconnect", attempt }));
manager.on("reconnect_error", (err) => emit({ event: "reconnect_error", message: describe(err) }));
manager.on("reconnect_failed", () => emit({ event: "reconnect_failed" }));

// ---- sockets, one per namespace ----

const sockets = new Map();
/** event name -> {args} | {echo: true} | {never: true} */
const answers = new Map();
/** local id -> the server's ack callback, until "ack" answers it */
const pendingAcks = new Map();
let nextAckId = 1;

function watchSocket(socket) {
  const nsp = socket.nsp;
  sockets.set(nsp, socket);
  socket.on("connect", () => emit({
    event: "connect",
    nsp,
    id: socket.id,
    recovered: Boolean(socket.recovered),
    transport: manager.engine ? manager.engine.transport.name : undefined,
  }));
  socket.on("connect_error", (err) => emit({
    event: "connect_error",
    nsp,
    message: err.message,
    data: err.data === undefined ? undefined : toWire(err.data),
  }));
  socket.on("disconnect", (reason, details) => emit({
    event: "disconnect",
    nsp,
    reason,
    description: describe(details),
  }));
  socket.onAny((name, ...args) => {
    const line = { event: "received", nsp, name };
    let callback;
    if (args.length > 0 && typeof args[args.length - 1] === "function") {
      callback = args.pop();
    }
    line.args = toWire(args);
    if (callback) {
      const rule = answers.get(name);
      if (rule && rule.never) {
        line.ignored = true;
      } else if (rule) {
        callback(...(rule.echo ? args : fromWire(rule.args ?? [])));
        line.answered = true;
      } else {
        const ackId = nextAckId++;
        pendingAcks.set(ackId, callback);
        line.ackId = ackId;
      }
    }
    emit(line);
  });
}

watchSocket(main);

function socketFor(command) {
  const nsp = command.nsp ?? mainNsp;
  const socket = sockets.get(nsp);
  if (!socket) fail(`no socket for namespace ${nsp}: open it first`);
  return socket;
}

function runEmit(command) {
  let socket = socketFor(command);
  const args = fromWire(command.args ?? []);
  if (command.volatile) socket = socket.volatile;
  if (command.ack === undefined) {
    socket.emit(command.event, ...args);
    return;
  }
  const id = command.ack;
  if (typeof command.timeout === "number") {
    socket.timeout(command.timeout).emit(command.event, ...args, (err, ...reply) => {
      if (err) emit({ event: "ack", id, error: describe(err) });
      else emit({ event: "ack", id, args: toWire(reply) });
    });
  } else {
    socket.emit(command.event, ...args, (...reply) => emit({ event: "ack", id, args: toWire(reply) }));
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
  switch (command.cmd) {
    case "emit":
      runEmit(command);
      break;
    case "answer":
      answers.set(command.event, { args: command.args, echo: command.echo, never: command.never });
      break;
    case "ack": {
      const callback = pendingAcks.get(command.ackId);
      if (!callback) fail(`no pending ack ${command.ackId}`);
      pendingAcks.delete(command.ackId);
      callback(...fromWire(command.args ?? []));
      break;
    }
    case "open": {
      if (sockets.has(command.nsp)) fail(`namespace ${command.nsp} is open already`);
      watchSocket(manager.socket(command.nsp, command.auth === undefined ? {} : { auth: command.auth }));
      break;
    }
    case "dropTransport":
      if (!manager.engine) fail("no Engine.IO connection to drop");
      manager.engine.close();
      break;
    case "disconnect":
      socketFor(command).disconnect();
      break;
    case "connect":
      socketFor(command).connect();
      break;
    default:
      fail(`unknown command: ${line}`);
  }
});

commands.on("close", () => {
  for (const socket of sockets.values()) socket.disconnect();
  // Let the DISCONNECT packets and the close go out, then exit even if some request lingers.
  setTimeout(() => process.exit(0), 300).unref();
});
