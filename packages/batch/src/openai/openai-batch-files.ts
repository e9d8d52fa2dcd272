import { CascadeError } from '@cascade/core';
import { type BatchItem, type NormalizedBatchItem, normalizeBatchItem } from '../items/batch-item';

/** One input file's worth of lines, ready to upload. Only the file being built is held in memory. */
export interface BatchInputFile {
  /** 0-based order of the file. */
  fileIndex: number;
  /** The JSONL lines (no newline), in input order. */
  lines: string[];
  /** `custom_id` of each line. */
  ids: string[];
  /** Input index of each line. */
  indices: number[];
  /** UTF-8 size of the file: every line plus its newline. */
  bytes: number;
}

/** An item that is not sent: its line alone passes the byte limit, or its id repeats an earlier one. */
export interface RejectedBatchItem {
  index: number;
  id: string;
  error: CascadeError;
}

export type BatchFileEvent = { kind: 'file'; file: BatchInputFile } | { kind: 'rejected'; item: RejectedBatchItem };

export interface BatchFileLimits {
  maxRequestsPerFile: number;
  maxBytesPerFile: number;
}

/**
 * Pulls items lazily and groups their lines into files that respect both limits. A file is yielded
 * as soon as it is full by count (without reading the next item) or when the next line would pass
 * the byte limit (that line starts the next file). An item whose line alone passes the byte limit
 * is yielded as rejected. A duplicate id throws `INVALID_INPUT` while no file has been yielded yet
 * (nothing was uploaded), and is rejected afterwards.
 */
export async function* batchInputFiles(
  items: Iterable<BatchItem> | AsyncIterable<BatchItem>,
  limits: BatchFileLimits,
  toLine: (item: NormalizedBatchItem) => string,
  onRead?: () => void,
): AsyncGenerator<BatchFileEvent, { read: number }> {
  const seen = new Set<string>();
  let index = 0;
  let fileIndex = 0;
  let current: BatchInputFile = { fileIndex, lines: [], ids: [], indices: [], bytes: 0 };
  const take = (): BatchInputFile => {
    const full = current;
    fileIndex++;
    current = { fileIndex, lines: [], ids: [], indices: [], bytes: 0 };
    return full;
  };
  for await (const raw of items) {
    const item = normalizeBatchItem(raw, index++);
    onRead?.();
    if (seen.has(item.id)) {
      const error = new CascadeError('INVALID_INPUT', `Duplicate batch item id "${item.id}": ids become custom_ids and must be unique.`, { details: { index: item.index, id: item.id, reason: 'duplicate-id' } });
      if (fileIndex === 0) throw error;
      yield { kind: 'rejected', item: { index: item.index, id: item.id, error } };
      continue;
    }
    seen.add(item.id);
    const line = toLine(item);
    const lineBytes = Buffer.byteLength(line, 'utf8') + 1;
    if (lineBytes > limits.maxBytesPerFile) {
      yield {
        kind: 'rejected',
        item: {
          index: item.index, id: item.id,
          error: new CascadeError('INVALID_INPUT', `Batch item "${item.id}" (index ${item.index}) is ${lineBytes} bytes as a JSONL line, more than maxBytesPerFile (${limits.maxBytesPerFile}); it was not sent.`, {
            details: { index: item.index, id: item.id, reason: 'request-too-large', bytes: lineBytes, maxBytesPerFile: limits.maxBytesPerFile },
          }),
        },
      };
      continue;
    }
    if (current.lines.length > 0 && current.bytes + lineBytes > limits.maxBytesPerFile) yield { kind: 'file', file: take() };
    current.lines.push(line);
    current.ids.push(item.id);
    current.indices.push(item.index);
    current.bytes += lineBytes;
    if (current.lines.length >= limits.maxRequestsPerFile) yield { kind: 'file', file: take() };
  }
  if (current.lines.length > 0) yield { kind: 'file', file: take() };
  return { read: index };
}

/** The file's JSONL as one buffer; the line strings are released as they are copied. */
export function toJsonlBuffer(file: BatchInputFile): Buffer {
  const buffer = Buffer.allocUnsafe(file.bytes);
  let offset = 0;
  for (let line = 0; line < file.lines.length; line++) {
    offset += buffer.write(file.lines[line]!, offset, 'utf8');
    buffer[offset++] = 0x0a;
    file.lines[line] = '';
  }
  return buffer;
}
