/**
 * The engine's only view of the disk. Files in the app (FileStorage), memory in fast
 * simulations (MemoryStorage); the log code never touches `fs` itself. Operations are
 * synchronous on purpose: the engine runs one event loop that owns all state, and a
 * synchronous append keeps every step of a simulation atomic and replayable.
 *
 * Paths are '/'-separated and relative to the storage root.
 */
export interface Storage {
  /** Creates a directory and its parents; no error when it exists. */
  mkdirp(dir: string): void;
  /** Names of the entries of a directory (files and directories), sorted; [] when absent. */
  list(dir: string): string[];
  /** Whether a file or directory exists. */
  exists(path: string): boolean;
  /** Removes a file, or a directory with everything in it; no error when absent. */
  remove(path: string): void;
  /** Renames a file or directory, replacing a file at the destination. */
  rename(from: string, to: string): void;
  /** Whole contents of a file, or undefined when it does not exist. */
  readFile(path: string): Buffer | undefined;
  /**
   * Replaces a file's contents atomically (write a temporary file, flush, rename). With
   * `sync: false` nothing is fsync'ed: the rename is atomic against a process crash, and a
   * later synced write makes it durable against a power loss.
   */
  writeFileAtomic(path: string, data: Buffer | string, options?: { sync?: boolean }): void;
  /** Opens (creating when absent) a file for appending and positional reads. */
  open(path: string): FileHandle;
}

/** An open file: appends go to the end; reads are positional. */
export interface FileHandle {
  /** Current size in bytes. */
  size(): number;
  /** Appends bytes at the end of the file. */
  append(data: Buffer): void;
  /** Reads up to `length` bytes at `position` into a new buffer (shorter at the end of file). */
  read(position: number, length: number): Buffer;
  /** Cuts the file to `size` bytes. */
  truncate(size: number): void;
  /** Forces written bytes to stable storage (fdatasync); a no-op in memory. */
  flush(): void;
  /** Closes the handle; further calls throw. */
  close(): void;
}
