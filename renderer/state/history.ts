/**
 * Undo/redo as pairs of operations against the core: each edit records how to reverse itself.
 * Operations run one at a time so a fast Ctrl+Z Ctrl+Z never interleaves two calls.
 */
export interface Edit {
  label: string;
  undo(): Promise<void>;
  redo(): Promise<void>;
}

export class History {
  private done: Edit[] = [];
  private undone: Edit[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private listeners = new Set<() => void>();

  constructor(private readonly limit = 200) {}

  get canUndo(): boolean { return this.done.length > 0; }
  get canRedo(): boolean { return this.undone.length > 0; }
  get undoLabel(): string | null { return this.done.at(-1)?.label ?? null; }
  get redoLabel(): string | null { return this.undone.at(-1)?.label ?? null; }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => { this.listeners.delete(fn); };
  }

  /** Record an edit that has already been applied; a new edit ends the redo branch. */
  push(edit: Edit): void {
    this.done.push(edit);
    if (this.done.length > this.limit) this.done.shift();
    this.undone = [];
    this.emit();
  }

  /** Undo the last edit; resolves to its label, or null when there was nothing to undo. */
  undo(): Promise<string | null> {
    return this.serial(async () => {
      const e = this.done.pop();
      if (!e) return null;
      try {
        await e.undo();
      } catch (err) {
        this.done.push(e);
        this.emit();
        throw err;
      }
      this.undone.push(e);
      this.emit();
      return e.label;
    });
  }

  redo(): Promise<string | null> {
    return this.serial(async () => {
      const e = this.undone.pop();
      if (!e) return null;
      try {
        await e.redo();
      } catch (err) {
        this.undone.push(e);
        this.emit();
        throw err;
      }
      this.done.push(e);
      this.emit();
      return e.label;
    });
  }

  clear(): void {
    this.done = [];
    this.undone = [];
    this.emit();
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}
