/** The listeners of one engine event, each added with the function that removes it. */
export class Listeners<T> {
  private readonly all = new Set<(payload: T) => void>();

  /** Adds `listener`; returns the function that ends the subscription. */
  readonly add = (listener: (payload: T) => void): (() => void) => {
    this.all.add(listener);
    return () => {
      this.all.delete(listener);
    };
  };

  /** Hands the payload to every listener: one that throws (a closed socket) must not stop the others. */
  deliver(payload: T): void {
    for (const listener of this.all) {
      try {
        listener(payload);
      } catch {
        // Ignored on purpose: see above.
      }
    }
  }

  clear(): void {
    this.all.clear();
  }
}
