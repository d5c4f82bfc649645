/**
 * HPACK header block decoder (RFC 7541 §3, §6). Fields are appended to a flat array
 * `[name0, value0, name1, value1, ...]`. A block whose header list size (§4.1 sizes, RFC 9113
 * §6.5.2 SETTINGS_MAX_HEADER_LIST_SIZE) passes the limit is still decoded to the end, so the
 * dynamic table stays in step, but its fields are dropped and `decode` returns false.
 * Any malformed input throws HpackError (RFC 9113 §4.3: COMPRESSION_ERROR), nothing else.
 */
import { DynamicTable } from './hpack-dynamic-table.js';
import { HpackError } from './hpack-error.js';
import { decodeInteger, decodeString, type Cursor } from './hpack-primitives.js';
import { STATIC_TABLE } from './hpack-static-table.js';

const STATIC_LEN = STATIC_TABLE.length;

export interface HpackDecoderOptions {
  /** Our SETTINGS_HEADER_TABLE_SIZE: the bound on the peer's table size updates (default 4096). */
  readonly maxTableSize?: number;
  /** Header list size above which fields are dropped (default 16,384). */
  readonly maxHeaderListSize?: number;
}

export class HpackDecoder {
  readonly table: DynamicTable;
  private readonly maxList: number;
  private readonly cur: Cursor = { pos: 0 };

  constructor(options: HpackDecoderOptions = {}) {
    this.table = new DynamicTable(options.maxTableSize ?? 4096);
    this.maxList = options.maxHeaderListSize ?? 16_384;
  }

  /** Decode one complete header block `src[start, end)`; false when over the list size limit. */
  decode(src: Uint8Array, start: number, end: number, out: string[]): boolean {
    const cur = this.cur;
    cur.pos = start;
    const table = this.table;
    // Strings are bounded by the block, itself bounded by the connection (maxHeaderBlockBytes).
    const maxStr = end - start;
    let listSize = 0;
    let fits = true;
    let fieldsSeen = false;
    const first = out.length;
    while (cur.pos < end) {
      const b = src[cur.pos]!;
      let name: string;
      let value: string;
      if (b & 0x80) {
        // §6.1 indexed header field
        const i = decodeInteger(src, end, cur, 7);
        if (i === 0) throw new HpackError('Index 0');
        if (i <= STATIC_LEN) {
          const e = STATIC_TABLE[i - 1]!;
          name = e[0];
          value = e[1];
        } else {
          name = table.name(i - STATIC_LEN);
          value = table.value(i - STATIC_LEN);
        }
      } else if ((b & 0xe0) === 0x20) {
        // §6.3 dynamic table size update: only before the first field (§4.2)
        if (fieldsSeen) throw new HpackError('Table size update after a field');
        table.setMaxSize(decodeInteger(src, end, cur, 5));
        continue;
      } else {
        // §6.2.1 incremental indexing (01), §6.2.2 without (0000), §6.2.3 never (0001)
        const indexing = (b & 0xc0) === 0x40;
        const i = decodeInteger(src, end, cur, indexing ? 6 : 4);
        if (i === 0) name = decodeString(src, end, cur, maxStr);
        else if (i <= STATIC_LEN) name = STATIC_TABLE[i - 1]![0];
        else name = table.name(i - STATIC_LEN);
        value = decodeString(src, end, cur, maxStr);
        if (indexing) table.add(name, value);
      }
      fieldsSeen = true;
      if (fits) {
        listSize += name.length + value.length + 32;
        if (listSize > this.maxList) {
          fits = false;
          out.length = first;
        } else out.push(name, value);
      }
    }
    return fits;
  }
}
