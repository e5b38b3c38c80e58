/**
 * An artifact store in a local folder: key `a/b/c.json` is the file `<root>/a/b/c.json`.
 * Writes go to a temporary file beside the target, are flushed, then renamed over it, so a crash
 * leaves either the old object or the new one, never half of one. The temporary names start with
 * '.', which keys may not, so they never show up in `list`.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { assertKey, assertPrefix, BaseArtifactStore } from './artifact-store';

const errnoCode = (error: unknown) => (error as NodeJS.ErrnoException).code;

export class LocalArtifactStore extends BaseArtifactStore {
  readonly location: string;

  constructor(root: string) {
    super();
    this.location = path.resolve(root);
  }

  locate(key: string): string {
    assertKey(key);
    return path.join(this.location, ...key.split('/'));
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    const file = this.locate(key);
    const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      // Private: records, personas and encrypted cookies are research data of real people.
      await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      const handle = await fs.open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(body);
        await handle.sync(); // the bytes are on disk before the rename makes them visible
      } finally {
        await handle.close();
      }
      await fs.rename(temp, file);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw new Error(`could not write artifact ${key} to ${file}: ${(error as Error).message}`, { cause: error });
    }
  }

  async get(key: string): Promise<Buffer | undefined> {
    const file = this.locate(key);
    try {
      return await fs.readFile(file);
    } catch (error) {
      // ENOTDIR: a parent is a file; EISDIR: the key is only a prefix of other keys. Neither is an object.
      if (['ENOENT', 'ENOTDIR', 'EISDIR'].includes(errnoCode(error) ?? '')) return undefined;
      throw new Error(`could not read artifact ${key} from ${file}: ${(error as Error).message}`, { cause: error });
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.locate(key);
    try {
      await fs.rm(file, { force: true });
    } catch (error) {
      throw new Error(`could not delete artifact ${key} at ${file}: ${(error as Error).message}`, { cause: error });
    }
  }

  async list(prefix: string): Promise<string[]> {
    assertPrefix(prefix);
    // Walk only the folder the prefix points into; its last segment may be partial.
    const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    const keys: string[] = [];
    await this.walk(folder, keys);
    return keys.filter((key) => key.startsWith(prefix)).sort();
  }

  /** Appends the keys under `folder` ('' or ending in '/') to `keys`. */
  private async walk(folder: string, keys: string[]): Promise<void> {
    const dir = path.join(this.location, ...folder.split('/'));
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (['ENOENT', 'ENOTDIR'].includes(errnoCode(error) ?? '')) return;
      throw new Error(`could not list artifacts in ${dir}: ${(error as Error).message}`, { cause: error });
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue; // writes in progress (or left by a crash)
      if (entry.isDirectory()) await this.walk(`${folder}${entry.name}/`, keys);
      else if (entry.isFile()) keys.push(`${folder}${entry.name}`);
    }
  }
}
