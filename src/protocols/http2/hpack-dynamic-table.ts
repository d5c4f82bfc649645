/**
 * HPACK dynamic table (RFC 7541 §2.3.2, §4): newest entry at index 1 (absolute index 62), an
 * entry's size is name + value octets + 32 (§4.1), the oldest entries are evicted to stay within
 * the maximum size (§4.3, §4.4). A ring of names and values, grown by doubling.
 */
import { HpackError } from './hpack-error.js';

const ENTRY_OVERHEAD = 32;

export class DynamicTable {
  private names: string[] = new Array<string>(16);
  private values: string[] = new Array<string>(16);
  /** Slot of the newest entry. */
  private head = 0;
  private count = 0;
  private bytes = 0;

  /** `limit` is the largest size a size update may set (our SETTINGS_HEADER_TABLE_SIZE). */
  constructor(
    private readonly limit: number,
    private max: number = limit,
  ) {}

  get length(): number {
    return this.count;
  }

  get size(): number {
    return this.bytes;
  }

  get maxSize(): number {
    return this.max;
  }

  /** §6.3 dynamic table size update; above the limit is a decoding error. */
  setMaxSize(max: number): void {
    if (max > this.limit) throw new HpackError(`Table size update ${max} above ${this.limit}`);
    this.max = max;
    this.evict(0);
  }

  /** Name of entry `i` (1 = newest); throws when out of range (§2.3.3). */
  name(i: number): string {
    return this.names[this.slot(i)]!;
  }

  value(i: number): string {
    return this.values[this.slot(i)]!;
  }

  /** §4.4: evict until the entry fits; an entry larger than the table empties it. */
  add(name: string, value: string): void {
    const size = name.length + value.length + ENTRY_OVERHEAD;
    if (size > this.max) {
      this.evict(this.max);
      return;
    }
    this.evict(size);
    if (this.count === this.names.length) this.grow();
    this.head = (this.head + 1) % this.names.length;
    this.names[this.head] = name;
    this.values[this.head] = value;
    this.count++;
    this.bytes += size;
  }

  private slot(i: number): number {
    if (i < 1 || i > this.count) throw new HpackError(`Header index out of range`);
    const n = this.names.length;
    return (this.head - (i - 1) + n) % n;
  }

  private evict(room: number): void {
    while (this.count > 0 && this.bytes + room > this.max) {
      const n = this.names.length;
      const oldest = (this.head - (this.count - 1) + n) % n;
      this.bytes -= this.names[oldest]!.length + this.values[oldest]!.length + ENTRY_OVERHEAD;
      this.names[oldest] = '';
      this.values[oldest] = '';
      this.count--;
    }
  }

  private grow(): void {
    const n = this.names.length;
    const names = new Array<string>(n * 2);
    const values = new Array<string>(n * 2);
    for (let i = 0; i < this.count; i++) {
      const from = (this.head - i + n) % n;
      names[this.count - 1 - i] = this.names[from]!;
      values[this.count - 1 - i] = this.values[from]!;
    }
    this.names = names;
    this.values = values;
    this.head = this.count - 1;
  }
}
