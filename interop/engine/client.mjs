// An official engine.io-client, driven line by line from stdin and reporting on stdout.
//
//   node engine/client.mjs <url> [options-json]
//
// <url>           the server, e.g. http://127.0.0.1:8080 (the path goes in the options)
// [options-json]  passed as is to engine.io-client's Socket, e.g.
//                 {"path":"/engine.io/","transports":["polling"]}
//
// Commands, one JSON object per stdin line:
//   {"send":"text"}         send a text message
//   {"sendBinary":"BASE64"} send a binary message (the bytes, base64-encoded)
//   {"close":true}          close from the client side
//
// Events, one JSON object per stdout line:
//   {"event":"open","transport":"polling","sid":"..."}
//   {"event":"upgrade","transport":"websocket"}
//   {"event":"message","text":"..."}  or  {"event":"message","binary":"BASE64"}
//   {"event":"error","message":"..."}
//   {"event":"close","reason":"transport close","description":"..."}
//
// The process exits 0 soon after reporting close, 1 if a command is malformed. When stdin ends
// (the test that drives it went away) it closes the socket, reports close and exits.
import { Socket } from "engine.io-client";
import { createInterface } from "node:readline";

const [url, optionsJson] = process.argv.slice(2);
if (!url) {
  process.stderr.write("usage: node engine/client.mjs <url> [options-json]\n");
  process.exit(2);
}
const options = optionsJson ? JSON.parse(optionsJson) : {};

function emit(event) {
  process.stdout.write(JSON.stringify(event) + "\n");
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

const commands = createInterface({ input: process.stdin, crlfDelay: Infinity });
const socket = new Socket(url, options);

socket.on("open", () => emit({ event: "open", transport: socket.transport.name, sid: socket.id }));
socket.on("upgrade", (transport) => emit({ event: "upgrade", transport: transport.name }));
socket.on("message", (data) => {
  if (data === undefined) {
    // engine.io-parser decodes an empty message ("4") as a packet without data
    emit({ event: "message", text: "" });
  } else if (typeof data === "string") {
    emit({ event: "message", text: data });
  } else {
    emit({ event: "message", binary: Buffer.from(data).toString("base64") });
  }
});
socket.on("error", (err) => emit({ event: "error", message: describe(err) }));
let closed = false;
socket.on("close", (reason, details) => {
  closed = true;
  emit({ event: "close", reason, description: describe(details) });
  commands.close();
  process.stdin.destroy();
  // The client sends its close packet after this event: let it go out, then exit even if some
  // request lingers.
  setTimeout(() => process.exit(0), 1000).unref();
});

commands.on("line", (line) => {
  if (line.trim() === "") return;
  let command;
  try {
    command = JSON.parse(line);
  } catch (e) {
    process.stderr.write(`bad command line: ${e.message}\n`);
    process.exit(1);
  }
  if (typeof command.send === "string") {
    socket.send(command.send);
  } else if (typeof command.sendBinary === "string") {
    socket.send(Buffer.from(command.sendBinary, "base64"));
  } else if (command.close) {
    socket.close();
  } else {
    process.stderr.write(`unknown command: ${line}\n`);
    process.exit(1);
  }
});
commands.on("close", () => {
  if (!closed) socket.close();
});
