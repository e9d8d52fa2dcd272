import { z } from 'zod';
import { completionBody, fakeChatRequestSchema, resolveCompletion, type FakeChatCompletionRequest, type FakeChatReply } from './fake-chat-completion';

/** Batch statuses as OpenAI reports them. */
export type FakeBatchStatus = 'validating' | 'failed' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelling' | 'cancelled';

/** The default schedule: `validating` on create, `in_progress` on the first poll, `completed` on the second. */
export const DEFAULT_BATCH_SCHEDULE: readonly FakeBatchStatus[] = ['validating', 'in_progress', 'completed'];

/** What a schedule function sees of a batch being created. */
export interface FakeBatchInfo {
  id: string;
  /** 0-based order of creation since the server started or was reset. */
  index: number;
  inputFileId: string;
  /** The `custom_id`s of the input file's valid lines, in order. */
  customIds: readonly string[];
  metadata: Readonly<Record<string, string>> | null;
}

/** A fixed schedule for every batch, or one per batch (e.g. to let one batch expire or fail). */
export type FakeBatchSchedule = readonly FakeBatchStatus[] | ((batch: FakeBatchInfo) => readonly FakeBatchStatus[]);

const TERMINAL_STATUSES: ReadonlySet<FakeBatchStatus> = new Set(['completed', 'failed', 'expired', 'cancelled']);

/** A stored file of the fake server. */
export interface FakeStoredFile {
  id: string;
  filename: string;
  purpose: string;
  content: Buffer;
  createdAt: number;
}

/** A stored batch of the fake server (its OpenAI body is built from this). */
export interface FakeStoredBatch {
  id: string;
  inputFileId: string;
  endpoint: string;
  completionWindow: string;
  metadata: Record<string, string> | null;
  schedule: readonly FakeBatchStatus[];
  step: number;
  status: FakeBatchStatus;
  createdAt: number;
  timestamps: Partial<Record<'in_progress_at' | 'finalizing_at' | 'completed_at' | 'failed_at' | 'expired_at' | 'cancelling_at' | 'cancelled_at', number>>;
  lines: unknown[];
  errors: { code: string; message: string; line: number }[];
  outputFileId: string | null;
  errorFileId: string | null;
  requestCounts: { total: number; completed: number; failed: number };
}

const batchLineSchema = z.looseObject({
  custom_id: z.string().min(1),
  method: z.literal('POST'),
  url: z.string(),
  body: z.unknown(),
});

/** What a batch line's chat request is answered with; shared with the live chat endpoint. */
export type FakeReplyResolver = (request: FakeChatCompletionRequest) => Promise<FakeChatReply>;

/** Result of a files/batches operation: an HTTP status and a JSON (or raw) body. */
export type FakeOperationResult = { status: number; json: unknown } | { status: number; raw: Buffer; contentType: string };

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function notFound(what: string, id: string): FakeOperationResult {
  return { status: 404, json: { error: { message: `No ${what} found with id '${id}'.`, type: 'invalid_request_error', param: 'id', code: null } } };
}

function invalid(message: string, param: string | null = null): FakeOperationResult {
  return { status: 400, json: { error: { message, type: 'invalid_request_error', param, code: null } } };
}

/** Files and batches state of one fake server. */
export class FakeBatchStore {
  readonly files = new Map<string, FakeStoredFile>();
  readonly batches = new Map<string, FakeStoredBatch>();
  private counter = 0;
  private created = 0;
  /** Batches created and not yet in a final status (`cancelling` counts as active). */
  active = 0;
  /** Highest `active` seen since the last `clear`. */
  maxActive = 0;

  constructor(
    private readonly schedule: FakeBatchSchedule,
    private readonly resolveReply: FakeReplyResolver,
  ) {}

  clear(): void {
    this.files.clear();
    this.batches.clear();
    this.created = 0;
    this.active = 0;
    this.maxActive = 0;
  }

  private nextId(prefix: string): string {
    this.counter++;
    return `${prefix}${this.counter.toString().padStart(6, '0')}`;
  }

  addFile(filename: string, purpose: string, content: Buffer): FakeStoredFile {
    const file: FakeStoredFile = { id: this.nextId('file-fake'), filename, purpose, content, createdAt: now() };
    this.files.set(file.id, file);
    return file;
  }

  fileBody(file: FakeStoredFile): Record<string, unknown> {
    return { id: file.id, object: 'file', bytes: file.content.length, created_at: file.createdAt, filename: file.filename, purpose: file.purpose, status: 'processed', expires_at: null, status_details: null };
  }

  getFile(id: string): FakeOperationResult {
    const file = this.files.get(id);
    return file ? { status: 200, json: this.fileBody(file) } : notFound('file', id);
  }

  getFileContent(id: string): FakeOperationResult {
    const file = this.files.get(id);
    return file ? { status: 200, raw: file.content, contentType: file.filename.endsWith('.jsonl') ? 'application/jsonl' : 'application/octet-stream' } : notFound('file', id);
  }

  listFiles(): FakeOperationResult {
    return { status: 200, json: { object: 'list', data: [...this.files.values()].map((file) => this.fileBody(file)), has_more: false } };
  }

  createBatch(body: unknown): FakeOperationResult {
    const parsed = z
      .looseObject({ input_file_id: z.string(), endpoint: z.string(), completion_window: z.string(), metadata: z.record(z.string(), z.string()).nullish() })
      .safeParse(body);
    if (!parsed.success) return invalid(`Invalid batch request: ${z.prettifyError(parsed.error)}`);
    const { input_file_id: inputFileId, endpoint, completion_window: completionWindow } = parsed.data;
    if (endpoint !== '/v1/chat/completions') return invalid(`The fake server runs batches for /v1/chat/completions only, got '${endpoint}'.`, 'endpoint');
    const file = this.files.get(inputFileId);
    if (!file) return notFound('file', inputFileId);
    if (file.purpose !== 'batch') return invalid(`File ${inputFileId} has purpose '${file.purpose}', expected 'batch'.`, 'input_file_id');

    const lines: unknown[] = [];
    const errors: FakeStoredBatch['errors'] = [];
    const seen = new Set<string>();
    file.content
      .toString('utf8')
      .split('\n')
      .forEach((text, index) => {
        if (text.trim() === '') return;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          errors.push({ code: 'invalid_json_line', message: 'This line is not parseable as valid JSON.', line: index + 1 });
          return;
        }
        const line = batchLineSchema.safeParse(value);
        if (!line.success) errors.push({ code: 'invalid_request', message: z.prettifyError(line.error), line: index + 1 });
        else if (line.data.url !== endpoint) errors.push({ code: 'mismatched_endpoint', message: `The line's url '${line.data.url}' does not match the batch endpoint.`, line: index + 1 });
        else if (seen.has(line.data.custom_id)) errors.push({ code: 'duplicate_custom_id', message: `Duplicate custom_id '${line.data.custom_id}'.`, line: index + 1 });
        else {
          seen.add(line.data.custom_id);
          lines.push(line.data);
        }
      });
    if (lines.length === 0 && errors.length === 0) errors.push({ code: 'empty_file', message: 'The input file has no requests.', line: 0 });

    const id = this.nextId('batch_fake');
    const metadata = parsed.data.metadata ?? null;
    const schedule = typeof this.schedule === 'function'
      ? this.schedule({ id, index: this.created, inputFileId, customIds: lines.map((line) => batchLineSchema.parse(line).custom_id), metadata })
      : this.schedule;
    this.created++;
    const batch: FakeStoredBatch = {
      id,
      inputFileId,
      endpoint,
      completionWindow,
      metadata,
      schedule,
      step: 0,
      status: errors.length > 0 ? 'failed' : (schedule[0] ?? 'validating'),
      createdAt: now(),
      timestamps: errors.length > 0 ? { failed_at: now() } : {},
      lines,
      errors,
      outputFileId: null,
      errorFileId: null,
      requestCounts: { total: errors.length > 0 ? 0 : lines.length, completed: 0, failed: 0 },
    };
    this.batches.set(batch.id, batch);
    if (!TERMINAL_STATUSES.has(batch.status)) {
      this.active++;
      this.maxActive = Math.max(this.maxActive, this.active);
    }
    return { status: 200, json: this.batchBody(batch) };
  }

  /** Each poll moves the batch one step along its schedule; reaching `completed` runs every line; a schedule may end `failed` or `expired` instead. */
  async pollBatch(id: string): Promise<FakeOperationResult> {
    const batch = this.batches.get(id);
    if (!batch) return notFound('batch', id);
    if (batch.status === 'cancelling') this.setStatus(batch, 'cancelled');
    else if (batch.status !== 'failed' && batch.status !== 'cancelled' && batch.step < batch.schedule.length - 1) {
      batch.step++;
      const status = batch.schedule[batch.step]!;
      if (status === 'completed') await this.run(batch);
      this.setStatus(batch, status);
    }
    return { status: 200, json: this.batchBody(batch) };
  }

  cancelBatch(id: string): FakeOperationResult {
    const batch = this.batches.get(id);
    if (!batch) return notFound('batch', id);
    if (batch.status === 'completed' || batch.status === 'failed' || batch.status === 'expired') return { status: 409, json: { error: { message: `Cannot cancel a batch with status '${batch.status}'.`, type: 'invalid_request_error', param: null, code: null } } };
    if (batch.status !== 'cancelled') this.setStatus(batch, 'cancelling');
    return { status: 200, json: this.batchBody(batch) };
  }

  listBatches(): FakeOperationResult {
    return { status: 200, json: { object: 'list', data: [...this.batches.values()].map((batch) => this.batchBody(batch)), has_more: false, first_id: null, last_id: null } };
  }

  private setStatus(batch: FakeStoredBatch, status: FakeBatchStatus): void {
    if (!TERMINAL_STATUSES.has(batch.status) && TERMINAL_STATUSES.has(status)) this.active--;
    if (status === 'failed' && batch.errors.length === 0) batch.errors.push({ code: 'batch_failed', message: 'The batch failed (fake schedule).', line: 0 });
    batch.status = status;
    const key = `${status}_at` as keyof FakeStoredBatch['timestamps'];
    if (status !== 'validating' && batch.timestamps[key] === undefined) batch.timestamps[key] = now();
  }

  private async run(batch: FakeStoredBatch): Promise<void> {
    const output: string[] = [];
    const failures: string[] = [];
    for (const value of batch.lines) {
      const line = batchLineSchema.parse(value);
      const requestId = this.nextId('req_fake');
      const entry = (statusCode: number, body: unknown): string => JSON.stringify({ id: this.nextId('batch_req_fake'), custom_id: line.custom_id, response: { status_code: statusCode, request_id: requestId, body }, error: null });
      const request = fakeChatRequestSchema.safeParse(line.body);
      if (!request.success) {
        failures.push(entry(400, { error: { message: z.prettifyError(request.error), type: 'invalid_request_error', param: null, code: null } }));
        continue;
      }
      const reply = await this.resolveReply({ ...request.data, stream: false });
      if (reply.fault?.status !== undefined) {
        failures.push(entry(reply.fault.status, { error: { message: reply.fault.errorMessage ?? `Fake failure ${reply.fault.status}`, type: 'server_error', param: null, code: null } }));
        continue;
      }
      const completion = resolveCompletion(request.data, reply, this.nextId('chatcmpl-fake'));
      output.push(entry(200, completionBody(request.data, completion)));
    }
    batch.requestCounts = { total: batch.lines.length, completed: output.length, failed: failures.length };
    if (output.length > 0) batch.outputFileId = this.addFile(`${batch.id}_output.jsonl`, 'batch_output', Buffer.from(output.join('\n') + '\n')).id;
    if (failures.length > 0) batch.errorFileId = this.addFile(`${batch.id}_error.jsonl`, 'batch_output', Buffer.from(failures.join('\n') + '\n')).id;
  }

  private batchBody(batch: FakeStoredBatch): Record<string, unknown> {
    return {
      id: batch.id,
      object: 'batch',
      endpoint: batch.endpoint,
      errors: batch.errors.length > 0 ? { object: 'list', data: batch.errors.map((error) => ({ ...error, param: null })) } : null,
      input_file_id: batch.inputFileId,
      completion_window: batch.completionWindow,
      status: batch.status,
      output_file_id: batch.outputFileId,
      error_file_id: batch.errorFileId,
      created_at: batch.createdAt,
      in_progress_at: batch.timestamps.in_progress_at ?? null,
      expires_at: batch.createdAt + 24 * 3600,
      finalizing_at: batch.timestamps.finalizing_at ?? null,
      completed_at: batch.timestamps.completed_at ?? null,
      failed_at: batch.timestamps.failed_at ?? null,
      expired_at: batch.timestamps.expired_at ?? null,
      cancelling_at: batch.timestamps.cancelling_at ?? null,
      cancelled_at: batch.timestamps.cancelled_at ?? null,
      request_counts: batch.requestCounts,
      metadata: batch.metadata,
    };
  }
}
