/** Engine-side objects by id. Ids are random enough that one handed out cannot be guessed from another. */
import { randomBytes } from 'node:crypto';

export class IdStore<T> {
  private readonly items = new Map<string, T>();

  constructor(
    private readonly prefix: string,
    /** How the kind of thing is named in "not found" messages, e.g. "dataset". */
    private readonly noun: string,
    private readonly hint: string,
  ) {}

  add(item: T, id = this.mint()): string {
    this.items.set(id, item);
    return id;
  }

  mint(): string {
    return `${this.prefix}-${randomBytes(6).toString('hex')}`;
  }

  find(id: string): T | undefined {
    return this.items.get(id);
  }

  /** The item, or an error a person can act on ("No dataset d-12 is loaded: load the CSV again."). */
  get(id: string): T {
    const item = this.items.get(id);
    if (item === undefined) throw new Error(`No ${this.noun} with id ${id} is open: ${this.hint}`);
    return item;
  }

  entries(): IterableIterator<[string, T]> {
    return this.items.entries();
  }

  values(): IterableIterator<T> {
    return this.items.values();
  }

  delete(id: string): void {
    this.items.delete(id);
  }

  clear(): void {
    this.items.clear();
  }
}
