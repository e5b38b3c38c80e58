/**
 * A virtual display for headed Chromium: some sites refuse headless browsers (they read
 * `HeadlessChrome` and other headless traits), and a worker on a server has no screen. Xvfb (the X
 * virtual framebuffer, Debian package `xvfb`, installed by infra/setup.sh) gives Chromium one;
 * a worker that already has a display (DISPLAY set) uses that instead.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';

export interface VirtualDisplay {
  /** The X display, e.g. ":99". */
  display: string;
  stop(): Promise<void>;
}

/** Something a person fixes (install Xvfb, set DISPLAY): the CLI prints it without a stack trace. */
export class NoDisplayError extends Error {
  override name = 'NoDisplayError';
  readonly userFacing = true;
}

export const xvfbAvailable = (): boolean => spawnSync('Xvfb', ['-help'], { stdio: 'ignore' }).error === undefined;

/** Starts Xvfb on a free display number (it picks one and writes it to us: -displayfd). */
export async function startVirtualDisplay(options: { width?: number; height?: number } = {}): Promise<VirtualDisplay> {
  if (!xvfbAvailable()) {
    throw new NoDisplayError('headed Chromium needs a display and Xvfb is not installed: apt-get install xvfb (infra/setup.sh does), or set DISPLAY to an X server');
  }
  const screen = `${options.width ?? 1280}x${options.height ?? 1024}x24`;
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', screen, '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  xvfb.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const number = await new Promise<string>((resolve, reject) => {
    let out = '';
    (xvfb.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    xvfb.once('error', reject);
    xvfb.once('exit', (code) => reject(new NoDisplayError(`Xvfb exited (${code}) before it had a display: ${stderr.trim().split('\n').at(-1) ?? ''}`)));
  });
  return {
    display: `:${number}`,
    async stop() {
      if (xvfb.exitCode !== null || xvfb.signalCode !== null) return;
      const exited = once(xvfb, 'exit');
      xvfb.kill('SIGTERM');
      await exited;
    },
  };
}

/** The display headed Chromium uses: the worker's own (DISPLAY) if it has one, else a new Xvfb. */
export async function displayForHeaded(env: NodeJS.ProcessEnv): Promise<VirtualDisplay> {
  if (env.DISPLAY) return { display: env.DISPLAY, stop: async () => undefined };
  return startVirtualDisplay();
}
