import { spawn, type ChildProcess } from "node:child_process";

export interface StartOptions {
  /**
   * The command that serves fakeauth and prints "fakeauth listening on URL": a string
   * split at spaces (no quoting), or an argv array. Default: $FAKEAUTH_COMMAND, else
   * "fakeauth serve --host 127.0.0.1 --port 0".
   */
  command?: string | readonly string[];
  /** More arguments after the command's own ("--now", "2023-01-03T20:44:43Z"). */
  args?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the "listening" line; 30 s. */
  timeoutMs?: number;
}

export interface RunningFakeAuth {
  /** The server's base URL: "http://127.0.0.1:41234". */
  readonly url: string;
  readonly graphqlUrl: string;
  readonly pid: number;
  /** Stop it (SIGTERM, then SIGKILL after 5 s) and wait until it has exited. */
  stop(): Promise<void>;
}

const DEFAULT_COMMAND = "fakeauth serve --host 127.0.0.1 --port 0";
const LISTENING = /^fakeauth listening on (\S+)\s*$/m;
const STOP_GRACE_MS = 5_000;

/** Start a fakeauth server of its own on a free port; resolves once it accepts connections. */
export async function startFakeAuth(options: StartOptions = {}): Promise<RunningFakeAuth> {
  const command = options.command ?? process.env.FAKEAUTH_COMMAND ?? DEFAULT_COMMAND;
  const argv = typeof command === "string" ? command.trim().split(/\s+/) : [...command];
  const [program, ...rest] = argv;
  if (!program) throw new TypeError("the fakeauth command is empty (FAKEAUTH_COMMAND?)");
  const child = spawn(program, [...rest, ...(options.args ?? [])], {
    stdio: ["ignore", "pipe", "pipe"],
    env: options.env ?? process.env,
  });
  const shown = [program, ...rest, ...(options.args ?? [])].join(" ");
  try {
    const graphqlUrl = await listeningUrl(child, shown, options.timeoutMs ?? 30_000);
    return {
      url: graphqlUrl.replace(/\/graphql$/, ""),
      graphqlUrl,
      pid: child.pid as number,
      stop: () => stop(child),
    };
  } catch (error) {
    await stop(child);
    throw error;
  }
}

function listeningUrl(child: ChildProcess, shown: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    let listening = false;
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`${shown}: ${why}${stderr ? `\n${stderr.trim()}` : ""}`));
    };
    const timer = setTimeout(() => fail(`no "fakeauth listening on" line within ${timeoutMs} ms`), timeoutMs);
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    // Read to the end, so that a full pipe never blocks the server.
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      if (listening) return;
      stdout += chunk;
      const match = LISTENING.exec(stdout);
      if (match?.[1]) {
        listening = true;
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("error", (error) => fail(`cannot start it (${error.message}); set FAKEAUTH_COMMAND or FAKEAUTH_URL`));
    child.once("exit", (code, signal) => fail(`exited (${signal ?? `code ${code}`}) before listening`));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
