/**
 * The listings of live partnerships a desk's first page made, kept for the pages after it.
 * Listing thousands from the visibility store takes seconds (some 7 s for 10,000 on the dev
 * server), and a coordinator who turns to the next page expects it at once: a next page reuses a
 * listing of the same filters made less than `maxAgeMs` before; a first page always lists afresh,
 * and what each partnership owes comes from the register, fresh, on every page. So a next page
 * may leave out a partnership begun since the first page was listed, never show one as it was.
 */
export class DeskListings<Listing> {
  private readonly kept = new Map<string, { at: number; listing: Promise<Listing> }>();

  constructor(private readonly options: { maxAgeMs: number; maxKept: number; now?: () => number }) {}

  /** The listing under `key`: a kept one when `reuse` and it is recent enough, else `list()`, kept. */
  listing(key: string, reuse: boolean, list: () => Promise<Listing>): Promise<Listing> {
    const now = (this.options.now ?? Date.now)();
    const kept = this.kept.get(key);
    if (reuse && kept && now - kept.at < this.options.maxAgeMs) return kept.listing;
    const entry = { at: now, listing: list() };
    // Map order is insertion order: the first key is the listing made longest ago.
    this.kept.delete(key);
    while (this.kept.size >= this.options.maxKept) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(key, entry);
    // A listing that failed is not kept: the next page lists again.
    entry.listing.catch(() => {
      if (this.kept.get(key) === entry) this.kept.delete(key);
    });
    return entry.listing;
  }
}
