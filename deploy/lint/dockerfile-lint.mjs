// Validates Dockerfiles with dockerfile-utils: unknown instructions and flags, malformed JSON
// forms, bad EXPOSE ports, instructions missing arguments, and so on.
// Usage: node dockerfile-lint.mjs FILE...   Prints one line per problem; exit 1 if any.
import { readFileSync } from "node:fs";
import { validate } from "dockerfile-utils";

const severities = { 1: "error", 2: "warning", 3: "info", 4: "hint" };
let problems = 0;
for (const file of process.argv.slice(2)) {
  const diagnostics = validate(readFileSync(file, "utf8"), {});
  for (const d of diagnostics) {
    problems++;
    console.log(`${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: `
      + `${severities[d.severity] ?? d.severity}: ${d.message}`);
  }
}
console.log(`dockerfile-lint: ${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
