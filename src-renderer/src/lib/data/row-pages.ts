/**
 * Rows of a large dataset fetched in fixed pages and kept in a bounded cache, so scrolling a million-row
 * file asks the engine only for what comes into view and memory stays flat.
 */
export const PAGE_SIZE = 200;
const MAX_PAGES = 60;

export type FetchRows = (start: number, count: number) => Promise<string[][]>;

export class RowPages {
  private readonly pages = new Map<number, string[][]>();
  private readonly loading = new Set<number>();

  constructor(
    private readonly rowCount: number,
    private readonly fetchRows: FetchRows,
    /** Called when a page arrives, so the view can redraw. */
    private readonly onPage: () => void,
    /** Called when a page cannot be read. */
    private readonly onError: (error: unknown) => void,
    firstRows: string[][] = [],
  ) {
    // The summary's preview already holds the first page (or part of it); no need to ask twice.
    if (firstRows.length >= Math.min(PAGE_SIZE, rowCount)) this.pages.set(0, firstRows.slice(0, PAGE_SIZE));
  }

  /** The row when its page is here; otherwise null, and the page is requested. */
  row(index: number): string[] | null {
    const page = Math.floor(index / PAGE_SIZE);
    const rows = this.pages.get(page);
    if (rows) {
      // Re-inserting keeps the Map in least-recently-used order.
      this.pages.delete(page);
      this.pages.set(page, rows);
      return rows[index - page * PAGE_SIZE] ?? null;
    }
    this.request(page);
    return null;
  }

  private request(page: number): void {
    if (this.loading.has(page)) return;
    const start = page * PAGE_SIZE;
    if (start >= this.rowCount) return;
    this.loading.add(page);
    this.fetchRows(start, Math.min(PAGE_SIZE, this.rowCount - start))
      .then((rows) => {
        this.pages.set(page, rows);
        while (this.pages.size > MAX_PAGES) {
          const oldest = this.pages.keys().next().value as number;
          this.pages.delete(oldest);
        }
        this.onPage();
      })
      .catch(this.onError)
      .finally(() => this.loading.delete(page));
  }
}
