/** Opens a URL in the user's browser when the machine has one (xdg-open / open); never fails the command. */
import { spawn } from 'node:child_process';

const OPENER = process.platform === 'darwin' ? 'open' : 'xdg-open';

/** True when an opener was started (it may still find no browser: the URL is printed anyway). */
export function openInBrowser(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(OPENER, [url], { detached: true, stdio: 'ignore' });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}
