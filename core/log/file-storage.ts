/**
 * Storage on the real file system, rooted at one directory. Synchronous node:fs calls only:
 * an append is one write(2) on a descriptor opened for appending, a read one pread(2), and
 * nothing is fsync'ed unless flush() or writeFileAtomic() asks, as in Kafka, where durability
 * comes from replication and the page cache does the rest.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { framePool } from './frame-pool';
import type { FileHandle, Storage } from './storage';

/** Whether an fs error means "no such file or directory". */
function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** A descriptor opened 'a+': appends always land at the end, reads take a position. */
class FsFileHandle implements FileHandle {
  private fd: number;
  // Kept here so that size() and append() need no fstat: only this handle writes the file.
  private length: number;

  constructor(private readonly path: string) {
    this.fd = fs.openSync(path, 'a+');
    this.length = fs.fstatSync(this.fd).size;
  }

  size(): number {
    this.checkOpen();
    return this.length;
  }

  append(data: Buffer): void {
    this.checkOpen();
    let written = 0;
    try {
      // write(2) may write less than asked (a signal): finish, or fail as a whole.
      while (written < data.length) {
        written += fs.writeSync(this.fd, data, written, data.length - written);
      }
    } catch (error) {
      // A full disk mid-write: cut the partial bytes so the file still ends on a whole batch.
      if (written > 0) fs.ftruncateSync(this.fd, this.length);
      throw error;
    }
    this.length += data.length;
  }

  read(position: number, length: number): Buffer {
    this.checkOpen();
    const wanted = Math.max(0, Math.min(length, this.length - position));
    // Large reads (a consumer's fetch) in reused memory: a holder who gives it back makes it warm.
    const buf = framePool.acquire(wanted);
    let filled = 0;
    while (filled < wanted) {
      const count = fs.readSync(this.fd, buf, filled, wanted - filled, position + filled);
      if (count === 0) break;
      filled += count;
    }
    return filled === wanted ? buf : buf.subarray(0, filled);
  }

  truncate(size: number): void {
    this.checkOpen();
    if (size >= this.length) return;
    fs.ftruncateSync(this.fd, size);
    this.length = size;
  }

  flush(): void {
    this.checkOpen();
    fs.fdatasyncSync(this.fd);
  }

  close(): void {
    this.checkOpen();
    fs.closeSync(this.fd);
    this.fd = -1;
  }

  private checkOpen(): void {
    if (this.fd < 0) throw new Error(`EBADF: file handle for '${this.path}' is closed`);
  }
}

/** Storage in a directory of the real file system. */
export class FileStorage implements Storage {
  /** `root` is created when absent. */
  constructor(readonly root: string) {
    fs.mkdirSync(root, { recursive: true });
  }

  mkdirp(dir: string): void {
    fs.mkdirSync(this.resolve(dir), { recursive: true });
  }

  list(dir: string): string[] {
    try {
      return fs.readdirSync(this.resolve(dir)).sort();
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  exists(path: string): boolean {
    return fs.existsSync(this.resolve(path));
  }

  remove(path: string): void {
    fs.rmSync(this.resolve(path), { recursive: true, force: true });
  }

  rename(from: string, to: string): void {
    fs.renameSync(this.resolve(from), this.resolve(to));
  }

  readFile(path: string): Buffer | undefined {
    try {
      return fs.readFileSync(this.resolve(path));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  writeFileAtomic(path: string, data: Buffer | string, options: { sync?: boolean } = {}): void {
    const sync = options.sync ?? true;
    const target = this.resolve(path);
    // Kafka's checkpoint files use the same '.tmp' sibling, then an atomic rename.
    const temporary = `${target}.tmp`;
    const fd = fs.openSync(temporary, 'w');
    try {
      fs.writeFileSync(fd, data);
      if (sync) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, target);
    if (sync) syncDirectory(nodePath.dirname(target));
  }

  open(path: string): FileHandle {
    return new FsFileHandle(this.resolve(path));
  }

  private resolve(path: string): string {
    return nodePath.join(this.root, ...path.split('/').filter((part) => part !== ''));
  }
}

/** fsync's a directory so that a rename in it survives a power loss; not possible on Windows. */
function syncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fs.fsyncSync(fd);
  } catch {
    // Some platforms (Windows) refuse fsync on a directory; the rename itself has been done.
  } finally {
    fs.closeSync(fd);
  }
}
