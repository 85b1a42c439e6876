/**
 * Rendered pages of snapshots, least recently used out first, bounded by size. A snapshot never
 * changes once written (a sync writes a new one), so a page rendered for a snapshot id stays right
 * until it ages out; nothing has to be invalidated.
 */
export class PageCache {
  private readonly pages = new Map<string, Buffer>();
  private bytes = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  get(key: string): Buffer | undefined {
    const page = this.pages.get(key);
    if (page !== undefined) {
      // Re-insert so Map order stays least-recently-used first.
      this.pages.delete(key);
      this.pages.set(key, page);
    }
    return page;
  }

  set(key: string, page: Buffer): void {
    if (page.length > this.maxBytes / 4) return;
    const old = this.pages.get(key);
    if (old !== undefined) {
      this.bytes -= old.length;
      this.pages.delete(key);
    }
    this.pages.set(key, page);
    this.bytes += page.length;
    for (const [oldest, value] of this.pages) {
      if (this.bytes <= this.maxBytes) break;
      this.pages.delete(oldest);
      this.bytes -= value.length;
    }
  }
}
