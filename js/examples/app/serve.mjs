// The app's own server, on another origin than fakeauth's: its page and script, and
// /echo-headers, which shows what headers reached it (none of fakeauth's).
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";

const PORT = Number(process.env.APP_PORT ?? 5173);
const FILES = {
  "/": ["index.html", "text/html"],
  "/app.js": ["app.js", "text/javascript"],
};

createServer(async (request, response) => {
  const path = new URL(request.url, "http://app").pathname;
  if (path === "/echo-headers") {
    response.writeHead(200, { "Content-Type": "application/json" });
    response.end(JSON.stringify(request.headers));
    return;
  }
  const file = FILES[path];
  if (!file) {
    response.writeHead(404).end();
    return;
  }
  const body = await readFile(new URL(`./public/${file[0]}`, import.meta.url));
  response.writeHead(200, { "Content-Type": file[1], "Cache-Control": "no-store" });
  response.end(body);
}).listen(PORT, "127.0.0.1");
