// Telling a keyboard-wedge barcode scanner from a person typing. A scanner "types" the
// code's characters a few milliseconds apart and ends with Enter; people are much slower
// (rarely under 50 ms between keys, usually over 100 ms). Pure: fed keys with their time.

export interface ScanOptions {
  /** Longest gap between two characters (and before Enter) of a scanner burst. */
  maxGapMs: number;
  /** Shortest code taken as a scan: EAN-8 is the shortest barcode in shops. */
  minLength: number;
}

export const DEFAULT_SCAN: ScanOptions = { maxGapMs: 30, minLength: 6 };

/** What an Enter means: a scanned code, or text a person typed (read it from the field). */
export type EnterKind = { kind: 'scan'; code: string } | { kind: 'typed' };

export class ScanDetector {
  private burst: string[] = [];
  private last = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: ScanOptions = DEFAULT_SCAN) {}

  /**
   * Feeds one key (KeyboardEvent.key) pressed at `at` milliseconds. Returns what an Enter
   * means; null for any other key.
   */
  key(key: string, at: number): EnterKind | null {
    const gap = at - this.last;
    this.last = at;
    if (key === 'Enter') {
      const burst = this.burst.join('');
      this.burst = [];
      this.last = Number.NEGATIVE_INFINITY;
      const fast = gap <= this.options.maxGapMs;
      return fast && burst.length >= this.options.minLength
        ? { kind: 'scan', code: burst }
        : { kind: 'typed' };
    }
    if (key.length !== 1) {
      // Backspace, arrows, Tab…: a person is editing; whatever came before is not a scan.
      this.burst = [];
      return null;
    }
    if (gap > this.options.maxGapMs) this.burst = [];
    this.burst.push(key);
    return null;
  }

  /** True while characters keep arriving at scanner speed: hold back the live search. */
  scanning(now: number): boolean {
    return this.burst.length >= 2 && now - this.last <= this.options.maxGapMs;
  }

  reset(): void {
    this.burst = [];
    this.last = Number.NEGATIVE_INFINITY;
  }
}
