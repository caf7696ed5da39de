// Many official socket.io-clients in one process, for tests that need a crowd (a drain spread
// over its window, say) without one Node process per client.
//
//   node socketio/crowd.mjs <url> <count> [options-json]
//
// Opens <count> sockets to <url>, each on its own connection (forceNew), with io()'s options
// from [options-json]. Reports one JSON object per stdout line, "i" being the socket's index and
// "t" the time in ms since the crowd started (one clock for the whole crowd):
//   {"i":3,"event":"connect","t":120,"id":"<socket id>","transport":"websocket"}
//   {"i":3,"event":"disconnect","t":4021,"reason":"transport close"}
//   {"i":3,"event":"connect_error","t":33,"message":"..."}
// When stdin ends (the test that drives it went away) it closes every socket and exits.
import { io } from "socket.io-client";

const [url, countText, optionsJson] = process.argv.slice(2);
const count = Number.parseInt(countText, 10);
if (!url || !(count > 0)) {
  process.stderr.write("usage: node socketio/crowd.mjs <url> <count> [options-json]\n");
  process.exit(2);
}
const options = { ...(optionsJson ? JSON.parse(optionsJson) : {}), forceNew: true };
const start = performance.now();

function report(i, event, fields) {
  const t = Math.round(performance.now() - start);
  process.stdout.write(JSON.stringify({ i, event, t, ...fields }) + "\n");
}

const sockets = [];
for (let i = 0; i < count; i++) {
  const socket = io(url, options);
  socket.on("connect", () => report(i, "connect", { id: socket.id, transport: socket.io.engine.transport.name }));
  socket.on("disconnect", (reason) => report(i, "disconnect", { reason }));
  socket.on("connect_error", (err) => report(i, "connect_error", { message: err.message }));
  sockets.push(socket);
}

process.stdin.on("data", () => {});
process.stdin.on("end", () => {
  sockets.forEach((socket) => socket.disconnect());
  process.exit(0);
});
