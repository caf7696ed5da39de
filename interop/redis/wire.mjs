// What the redis/ scripts share: JSON lines out, and the {"$binary":"BASE64"} convention for bytes
// that socketio/client.mjs uses (and io.wsk.testkit.SocketIoClient decodes), so a test can pass
// bytes through a Node server or emitter and compare them with what a client got.

/** Prints one event as a JSON line on stdout. */
export function report(event) {
  process.stdout.write(JSON.stringify(event) + "\n");
}

/** Prints a message on stderr (the fixture shows it when a test fails) and exits 1. */
export function fail(message) {
  process.stderr.write(message + "\n");
  process.exit(1);
}

/** Values as JSON: bytes become {"$binary": base64}. */
export function toWire(value) {
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
export function fromWire(value) {
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

/** An error (or anything thrown / passed as one) as a message. */
export function describe(value) {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Error) return value.message;
  if (typeof value === "object" && value.message !== undefined) return String(value.message);
  return String(value);
}

/** Rooms as a command gives them: a string, an array of strings, or nothing. */
export function roomList(value) {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
