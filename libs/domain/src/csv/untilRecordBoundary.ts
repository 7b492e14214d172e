import { countByte } from './countByte';

const DOUBLE_QUOTE = 0x22;
const LINE_FEED = 0x0a;

/** Where a segment ended: how many bytes it passed on, and whether that was the whole rest. */
export interface SegmentEnd {
  /** Bytes passed on, from the segment's start. */
  bytes: number;
  /** Line feeds passed on: the next segment starts that many physical lines further. */
  lineFeeds: number;
  /** The source ended: no bytes are left for another segment. */
  complete: boolean;
}

/**
 * Passes a CSV byte stream on until `stop()` says to stop, then up to and including the next
 * line break that ends a record, and no further: the next segment of the file can start
 * exactly there, in another invocation, with a ranged read. The source must start at a record
 * boundary (the file's start, or where a previous segment ended).
 *
 * A line feed ends a record when it is outside quotes. As in csv-parser, every quote that is
 * not part of a doubled pair opens or closes a quoted section, so the count of quotes read since
 * the segment's start is even exactly outside quotes. `stop` is asked after each chunk passed
 * on; `end` is filled in when the stream ends, and the source is closed however it ends.
 *
 * @example
 * ```ts
 * const end = { bytes: 0, lineFeeds: 0, complete: false };
 * const bytes = untilRecordBoundary(s3Body, () => remainingTimeMs() < reserveMs, end);
 * for await (const records of readCsvRecordBatches(bytes, options)) stage(records);
 * end.complete ? finish() : continueAt(offset + end.bytes);
 * ```
 */
export async function* untilRecordBoundary(
  source: AsyncIterable<Uint8Array>,
  stop: (bytesSoFar: number) => boolean,
  end: SegmentEnd,
): AsyncGenerator<Uint8Array> {
  end.bytes = 0;
  end.lineFeeds = 0;
  end.complete = false;
  let quotes = 0;
  let stopping = false;
  for await (const piece of source) {
    const chunk = Buffer.isBuffer(piece)
      ? piece
      : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    if (!stopping) {
      quotes += countByte(chunk, DOUBLE_QUOTE);
      end.lineFeeds += countByte(chunk, LINE_FEED);
      end.bytes += chunk.length;
      yield chunk;
      stopping = stop(end.bytes);
      continue;
    }
    const boundary = recordBoundaryIn(chunk, quotes);
    const passed = boundary === -1 ? chunk : chunk.subarray(0, boundary + 1);
    quotes += countByte(passed, DOUBLE_QUOTE);
    end.lineFeeds += countByte(passed, LINE_FEED);
    end.bytes += passed.length;
    yield passed;
    if (boundary !== -1) return;
  }
  end.complete = true;
}

/**
 * The index of the first line feed in `chunk` that ends a record, given the quotes read before
 * it, or -1.
 */
function recordBoundaryIn(chunk: Buffer, quotesBefore: number): number {
  let quotes = quotesBefore;
  for (let at = 0; at < chunk.length; at++) {
    const byte = chunk[at];
    if (byte === DOUBLE_QUOTE) quotes++;
    else if (byte === LINE_FEED && quotes % 2 === 0) return at;
  }
  return -1;
}
