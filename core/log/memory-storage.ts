/**
 * Storage kept in memory, for simulations and tests. It behaves like a POSIX file system where
 * it matters to the log: a file needs its parent directory, an open handle keeps working on
 * its file after a rename or removal, and writeFileAtomic swaps in a new file.
 */
import type { FileHandle, Storage } from './storage';

/**
 * One file's bytes as a chain of blocks: growth allocates a new block and never copies (fresh
 * memory is costly to touch, and a log grows to gigabytes). Blocks double from 4 KiB to 1 MiB
 * so that many small files stay small.
 */
class MemoryFile {
  private blocks: Buffer[] = [];
  // File position of each block's first byte.
  private starts: number[] = [];
  length = 0;

  /** A file holding a copy of `data` in one block. */
  static of(data: Buffer): MemoryFile {
    const file = new MemoryFile();
    if (data.length > 0) {
      file.blocks.push(Buffer.from(data));
      file.starts.push(0);
      file.length = data.length;
    }
    return file;
  }

  append(data: Buffer): void {
    let copied = 0;
    while (copied < data.length) {
      let index = this.blocks.length - 1;
      let room = index < 0 ? 0 : this.starts[index] + this.blocks[index].length - this.length;
      if (room === 0) {
        const previous = index < 0 ? MIN_BLOCK_BYTES / 2 : this.blocks[index].length;
        this.blocks.push(Buffer.allocUnsafe(Math.min(MAX_BLOCK_BYTES, Math.max(MIN_BLOCK_BYTES, previous * 2))));
        this.starts.push(this.length);
        index++;
        room = this.blocks[index].length;
      }
      const count = Math.min(room, data.length - copied);
      data.copy(this.blocks[index], this.length - this.starts[index], copied, copied + count);
      copied += count;
      this.length += count;
    }
  }

  read(position: number, length: number): Buffer {
    const end = Math.min(this.length, position + length);
    if (end <= position) return Buffer.alloc(0);
    const result = Buffer.allocUnsafe(end - position);
    let index = this.blockAt(position);
    for (let at = position; at < end; index++) {
      const block = this.blocks[index];
      const from = at - this.starts[index];
      const count = Math.min(block.length - from, end - at);
      block.copy(result, at - position, from, from + count);
      at += count;
    }
    return result;
  }

  truncate(size: number): void {
    if (size >= this.length) return;
    this.length = size;
    // Drop the blocks past the end but the first; the last kept block's tail is reused by appends.
    while (this.blocks.length > 1 && this.starts[this.starts.length - 1] >= size) {
      this.blocks.pop();
      this.starts.pop();
    }
  }

  /** Index of the block holding `position` (binary search). */
  private blockAt(position: number): number {
    let low = 0;
    let high = this.blocks.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (this.starts[middle] <= position) low = middle;
      else high = middle - 1;
    }
    return low;
  }
}

const MIN_BLOCK_BYTES = 4096;
const MAX_BLOCK_BYTES = 1 << 20;

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
    this.file.append(data);
  }

  read(position: number, length: number): Buffer {
    this.checkOpen();
    // A copy: a later truncate and append must not change bytes the caller already holds.
    return this.file.read(position, length);
  }

  truncate(size: number): void {
    this.checkOpen();
    this.file.truncate(size);
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
    return file === undefined ? undefined : file.read(0, file.length);
  }

  writeFileAtomic(path: string, data: Buffer | string, _options?: { sync?: boolean }): void {
    const normalized = normalize(path);
    this.requireParent(normalized, 'open');
    if (this.dirs.has(normalized)) throw fsError('EISDIR', 'open', normalized);
    // A new file object, as rename(tmp, path) gives: handles on the old file keep the old bytes.
    this.files.set(normalized, MemoryFile.of(typeof data === 'string' ? Buffer.from(data, 'utf8') : data));
  }

  open(path: string): FileHandle {
    const normalized = normalize(path);
    let file = this.files.get(normalized);
    if (file === undefined) {
      this.requireParent(normalized, 'open');
      if (this.dirs.has(normalized)) throw fsError('EISDIR', 'open', normalized);
      file = new MemoryFile();
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
