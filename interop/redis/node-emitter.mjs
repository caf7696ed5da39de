// The official @socket.io/redis-emitter (with node-redis 4): an outside process that publishes to
// a Socket.IO cluster through Redis without being a server, driven line by line from stdin.
//
//   node redis/node-emitter.mjs <redis-url> [options-json]
//
// <redis-url>     e.g. redis://127.0.0.1:6390 (redis://:password@127.0.0.1:6390 with AUTH)
// [options-json]  Emitter options, e.g. {"key":"socket.io"}
//
// Binary values: wherever an argument holds bytes, the JSON has {"$binary":"BASE64"}.
//
// Commands, one JSON object per stdin line. Each has an "id" and gets exactly one
// {"event":"result","id":...} line once Redis has taken what it published ({"flushed":true}, or
// false if Redis did not answer a PING within a second), with "error" when it failed. Targeting
// fields, where they apply: "nsp" (default "/"), "to" and "except" (a room or an array of rooms).
//   {"cmd":"emit","id":"c1","event":"e","args":[...]}     emitter.of(nsp).to(..).except(..).emit;
//        "volatile":true and "compress":false set those flags
//   {"cmd":"socketsJoin","id":..,"rooms":[...]}           .socketsJoin(rooms)
//   {"cmd":"socketsLeave","id":..,"rooms":[...]}          .socketsLeave(rooms)
//   {"cmd":"disconnectSockets","id":..,"close":false}     .disconnectSockets(close)
//   {"cmd":"serverSideEmit","id":..,"event":"e","args":[...]}   emitter.of(nsp).serverSideEmit
//        (the emitter supports no acks; to / except do not apply)
//
// Events, one JSON object per stdout line:
//   {"event":"ready"}                       connected to Redis
//   {"event":"result","id":"c1","flushed":true}
//   {"event":"redisError","message":"..."}  node-redis reconnects by itself
//
// The process exits 1 if a command is malformed. When stdin ends it disconnects and exits.
import { createInterface } from "node:readline";
import { Emitter } from "@socket.io/redis-emitter";
import { createClient } from "redis";
import { describe, fail, fromWire, report, roomList } from "./wire.mjs";

const [redisUrl, optionsJson] = process.argv.slice(2);
if (!redisUrl) fail("usage: node redis/node-emitter.mjs <redis-url> [options-json]");
const options = optionsJson ? JSON.parse(optionsJson) : {};

const client = createClient({ url: redisUrl });
client.on("error", (err) => report({ event: "redisError", message: describe(err) }));
await client.connect();
const emitter = new Emitter(client, options);

/** Waits (a second at most) for Redis to have taken everything published so far. */
async function flushed() {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(false), 1000);
  });
  try {
    return await Promise.race([client.ping().then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function target(command) {
  let operator = emitter.of(command.nsp ?? "/");
  const to = roomList(command.to);
  const except = roomList(command.except);
  if (to.length > 0) operator = operator.to(to);
  if (except.length > 0) operator = operator.except(except);
  return operator;
}

function run(command) {
  switch (command.cmd) {
    case "emit": {
      let operator = target(command);
      if (command.volatile) operator = operator.volatile;
      if (command.compress !== undefined) operator = operator.compress(Boolean(command.compress));
      operator.emit(command.event, ...fromWire(command.args ?? []));
      break;
    }
    case "socketsJoin":
      target(command).socketsJoin(roomList(command.rooms));
      break;
    case "socketsLeave":
      target(command).socketsLeave(roomList(command.rooms));
      break;
    case "disconnectSockets":
      target(command).disconnectSockets(Boolean(command.close));
      break;
    case "serverSideEmit":
      if (command.to !== undefined || command.except !== undefined) fail("serverSideEmit takes no to / except");
      emitter.of(command.nsp ?? "/").serverSideEmit(command.event, ...fromWire(command.args ?? []));
      break;
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
  try {
    run(command);
  } catch (err) {
    report({ event: "result", id: command.id, error: describe(err) });
    return;
  }
  flushed().then((ok) => report({ event: "result", id: command.id, flushed: ok }));
});

commands.on("close", () => {
  setTimeout(() => process.exit(0), 1000).unref();
  client.disconnect().finally(() => process.exit(0));
});

report({ event: "ready" });
