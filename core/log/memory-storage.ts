/**
 * Storage kept in memory, for simulations and tests. It behaves like a POSIX file system where
 * it matters to the log: a file needs its parent directory, an open handle keeps working on
 * its file after a rename or removal, and writeFileAtomic swaps in a new file.
 */
import type { FileHandle, Storage } from './storage';

/** One file's bytes: `data` has spare capacity beyond `length` so appends rarely copy. */
interface MemoryFile {
  data: Buffer;
  length: number;
}

/** Collapses a path to its canonical form: no '.', no empty parts, no leading or trailing '/'. */
function normalize(path: string): string {
  return path
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/');
}

/** The directory holding `path` ('' for the root). */
function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** An error shaped like node's fs errors, so callers can test `code` either way. */
function fsError(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: ${syscall} '${path}'`);
  error.code = code;
  error.syscall = syscall;
  error.path = path;
  return error;
}

/** A file handle on a MemoryFile. */
class MemoryFileHandle implements FileHandle {
  private closed = false;

  constructor(
    private readonly file: MemoryFile,
    private readonly path: string,
  ) {}

  size(): number {
    this.checkOpen();
    return this.file.length;
  }

  append(data: Buffer): void {
    this.checkOpen();
    const file = this.file;
    const needed = file.length + data.length;
    if (needed > file.data.length) {
      // Double the capacity so that a stream of appends copies O(n) bytes in total.
      const grown = Buffer.allocUnsafe(Math.max(needed, file.data.length * 2, 4096));
      file.data.copy(grown, 0, 0, file.length);
      file.data = grown;
    }
    data.copy(file.data, file.length);
    file.length = needed;
  }

  read(position: number, length: number): Buffer {
    this.checkOpen();
    const end = Math.min(this.file.length, position + length);
    if (end <= position) return Buffer.alloc(0);
    // A copy: a later truncate and append must not change bytes the caller already holds.
    return Buffer.from(this.file.data.subarray(position, end));
  }

  truncate(size: number): void {
    this.checkOpen();
    if (size < this.file.length) this.file.length = size;
  }

  flush(): void {
    this.checkOpen();
  }

  close(): void {
    this.checkOpen();
    this.closed = true;
  }

  private checkOpen(): void {
    if (this.closed) throw fsError('EBADF', 'handle', this.path);
  }
}

/** Storage in memory: files and directories in maps, nothing persisted. */
export class MemoryStorage implements Storage {
  private readonly files = new Map<string, MemoryFile>();
  // The root '' always exists.
  private readonly dirs = new Set<string>(['']);

  mkdirp(dir: string): void {
    let path = normalize(dir);
    while (!this.dirs.has(path)) {
      if (this.files.has(path)) throw fsError('EEXIST', 'mkdir', path);
      this.dirs.add(path);
      path = parentOf(path);
    }
  }

  list(dir: string): string[] {
    const path = normalize(dir);
    if (!this.dirs.has(path)) return [];
    const prefix = path === '' ? '' : `${path}/`;
    const names: string[] = [];
    for (const key of [...this.files.keys(), ...this.dirs]) {
      if (key === '' || !key.startsWith(prefix)) continue;
      const rest = key.slice(prefix.length);
      if (rest !== '' && !rest.includes('/')) names.push(rest);
    }
    return names.sort();
  }

  exists(path: string): boolean {
    const normalized = normalize(path);
    return this.files.has(normalized) || this.dirs.has(normalized);
  }

  remove(path: string): void {
    const normalized = normalize(path);
    if (this.files.delete(normalized)) return;
    if (!this.dirs.has(normalized) || normalized === '') return;
    const prefix = `${normalized}/`;
    for (const key of [...this.files.keys()]) if (key.startsWith(prefix)) this.files.delete(key);
    for (const key of [...this.dirs]) if (key.startsWith(prefix)) this.dirs.delete(key);
    this.dirs.delete(normalized);
  }

  rename(from: string, to: string): void {
    const source = normalize(from);
    const target = normalize(to);
    this.requireParent(target, 'rename');
    const file = this.files.get(source);
    if (file !== undefined) {
      if (this.dirs.has(target)) throw fsError('EISDIR', 'rename', target);
      this.files.delete(source);
      this.files.set(target, file);
      return;
    }
    if (!this.dirs.has(source)) throw fsError('ENOENT', 'rename', source);
    if (this.files.has(target) || this.list(target).length > 0) throw fsError('ENOTEMPTY', 'rename', target);
    this.moveDirectory(source, target);
  }

  readFile(path: string): Buffer | undefined {
    const file = this.files.get(normalize(path));
    return file === undefined ? undefined : Buffer.from(file.data.subarray(0, file.length));
  }

  writeFileAtomic(path: string, data: Buffer | string): void {
    const normalized = normalize(path);
    this.requireParent(normalized, 'open');
    if (this.dirs.has(normalized)) throw fsError('EISDIR', 'open', normalized);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    // A new file object, as rename(tmp, path) gives: handles on the old file keep the old bytes.
    this.files.set(normalized, { data: bytes, length: bytes.length });
  }

  open(path: string): FileHandle {
    const normalized = normalize(path);
    let file = this.files.get(normalized);
    if (file === undefined) {
      this.requireParent(normalized, 'open');
      if (this.dirs.has(normalized)) throw fsError('EISDIR', 'open', normalized);
      file = { data: Buffer.alloc(0), length: 0 };
      this.files.set(normalized, file);
    }
    return new MemoryFileHandle(file, normalized);
  }

  /** Total bytes held in files, for tests and the UI's disk usage view. */
  totalBytes(): number {
    let total = 0;
    for (const file of this.files.values()) total += file.length;
    return total;
  }

  private requireParent(path: string, syscall: string): void {
    if (!this.dirs.has(parentOf(path))) throw fsError('ENOENT', syscall, path);
  }

  private moveDirectory(source: string, target: string): void {
    const prefix = `${source}/`;
    const moved = (key: string) => target + key.slice(source.length);
    for (const [key, file] of [...this.files]) {
      if (!key.startsWith(prefix)) continue;
      this.files.delete(key);
      this.files.set(moved(key), file);
    }
    for (const key of [...this.dirs]) {
      if (key !== source && !key.startsWith(prefix)) continue;
      this.dirs.delete(key);
      this.dirs.add(moved(key));
    }
  }
}
