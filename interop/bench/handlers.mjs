// The bench handlers, the same as wsk's bench app (wsk-app BenchApp), on one socket of namespace nsp:
//   echo   ack with the same arguments, or emit "echo" back with them when no ack is asked
//   join   join the room named by the first argument; ack
//   pub    emit "b" with the argument to everyone, or only to room arg.room when present; ack
//   count  ack with the number of sockets in the whole cluster (fetchSockets)
export function addBenchHandlers(nsp, socket) {
  socket.on("echo", (...args) => {
    const ack = typeof args[args.length - 1] === "function" ? args.pop() : undefined;
    if (ack) ack(...args);
    else socket.emit("echo", ...args);
  });
  socket.on("join", (...args) => {
    const ack = typeof args[args.length - 1] === "function" ? args.pop() : undefined;
    if (typeof args[0] === "string") socket.join(args[0]);
    ack?.();
  });
  socket.on("pub", (...args) => {
    const ack = typeof args[args.length - 1] === "function" ? args.pop() : undefined;
    const arg = args[0];
    const room = arg !== null && typeof arg === "object" ? arg.room : undefined;
    if (typeof room === "string") nsp.to(room).emit("b", arg);
    else nsp.emit("b", arg);
    ack?.();
  });
  socket.on("count", async (...args) => {
    const ack = typeof args[args.length - 1] === "function" ? args.pop() : undefined;
    const sockets = await nsp.fetchSockets();
    ack?.(sockets.length);
  });
}
