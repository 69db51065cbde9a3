// ArtifactStore on a local folder (file:// URLs): writes go to a temp file and are renamed, so readers never see half a file.
import { mkdir, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ArtifactNotFoundError, ConflictError, type ArtifactStore } from '../../core/index.js';

export class FileArtifactStore implements ArtifactStore {
  readonly baseUri: string;
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.baseUri = pathToFileURL(this.root).href;
  }

  private pathOf(key: string): string {
    const p = resolve(this.root, key);
    if (p !== this.root && !p.startsWith(this.root + sep)) {
      throw new ConflictError(`Artifact key "${key}" escapes the artifact root`);
    }
    return p;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const p = this.pathOf(key);
    await mkdir(dirname(p), { recursive: true });
    const tmp = `${p}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, p);
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(await readFile(this.pathOf(key)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new ArtifactNotFoundError(key);
      }
      throw e;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch {
      return false;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const start = this.pathOf(prefix);
    const out: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const full = join(dir, e.name);
        if (e.isDirectory()) {
          await walk(full);
        } else if (!e.name.endsWith('.tmp')) {
          out.push(relative(this.root, full).split(sep).join('/'));
        }
      }
    };
    await walk(start);
    return out.sort();
  }
}
