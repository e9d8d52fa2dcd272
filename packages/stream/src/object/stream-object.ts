import {
  type CascadeAgent, type CascadeInput, type CascadeResult, type ObjectOf, type ObjectOptions, type TokenUsage,
  objectRequest, parseConfig, parseObject, parsePartialJson,
} from '@cascade/core';
import { z } from 'zod';
import type { CascadeStream } from '../cascade/cascade-stream';
import { streamCascade } from '../cascade/stream-cascade';
import type { PartialObject, PartialObjectEvent } from '../events/partial-object-event';
import type { CascadeStreamEvent } from '../events/stream-event';
import { streamCascadeOptionsObjectSchema } from '../options/stream-options';

export type { PartialObject, PartialObjectEvent } from '../events/partial-object-event';

/** The events of a {@link streamObject}: the cascade's events, with a `partial-object` after each text delta that grew the object. */
export type ObjectStreamEvent<T> = CascadeStreamEvent | PartialObjectEvent<T>;

/**
 * A structured answer being streamed. `partialObjectStream` gives snapshots of the object as the
 * chosen answer's text arrives; `object` the final object, parsed and validated by the schema.
 */
export interface ObjectStream<T> extends AsyncIterable<ObjectStreamEvent<T>> {
  /**
   * Snapshots of the object, each replacing the previous one; throws the request's `CascadeError` at
   * the end of a failed request. Follows the stream mode like `textStream`: in `buffered` mode (default)
   * no snapshot comes from an answer that is later replaced — drafts are held until accepted, the
   * strongest tier's answer until its schema check passes; only its one repair (final) streams live. In
   * `optimistic` mode rejected drafts' snapshots show, and a `switch` event starts the object over.
   */
  readonly partialObjectStream: AsyncIterable<PartialObject<T>>;
  /** The final object, validated by the schema; rejects with `OUTPUT_INVALID` when even the strongest tier's repaired answer does not fit. */
  readonly object: Promise<T>;
  /** The cascade result (its `text` is the JSON the model wrote). */
  readonly result: Promise<CascadeResult>;
  /** The raw JSON text, as `CascadeStream.textStream`. */
  readonly textStream: AsyncIterable<string>;
  readonly usage: Promise<TokenUsage>;
  readonly cost: Promise<number>;
  cancel(reason?: unknown): void;
}

const isSchema = (value: unknown): value is z.ZodType | Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Options of {@link streamObject}: the stream options (no tools) and the schema. */
export const streamObjectOptionsSchema = streamCascadeOptionsObjectSchema.omit({ tools: true, maxSteps: true }).extend({
  /** A zod schema (the object comes back typed) or a JSON schema. */
  schema: z.custom<z.ZodType | Record<string, unknown>>(isSchema, { message: 'schema must be a zod schema or a JSON schema object' }),
  /** The schema's name for the provider. @default 'result' */
  schemaName: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'schemaName is 1-64 letters, digits, _ or -').optional(),
  /** Ask the provider to constrain the answer to the schema (OpenAI structured outputs). @default false */
  strict: z.boolean().optional(),
});

/** What callers pass to {@link streamObject}. */
export type StreamObjectOptions<Schema extends z.ZodType | Record<string, unknown>> = Omit<z.input<typeof streamObjectOptionsSchema>, 'schema' | 'schemaName' | 'strict'> & ObjectOptions<Schema>;

/**
 * Structured output, streamed: asks for JSON matching `schema` and streams it through the cascade
 * (`streamCascade`'s modes, guards, reservations), yielding partial objects as the chosen answer's text
 * arrives. Drafts are judged as in `agent.generateObject`: one that fails the schema is repaired once on
 * the same tier, then escalated; the final object is parsed and validated by the schema.
 *
 * @param agent - from `createCascadeAgent`.
 * @param input - a prompt, messages, or a request.
 * @param options - `schema` (zod or JSON schema), `schemaName`, `strict`, and the options of `streamCascade` (no `tools`).
 * @throws `INVALID_CONFIG` at once for bad options, `INVALID_INPUT` for a bad input.
 * @example
 * const stream = streamObject(agent, 'Extract the invoice: ...', { schema: z.object({ total: z.number() }) });
 * for await (const partial of stream.partialObjectStream) render(partial);
 * const invoice = await stream.object; // typed, validated
 */
export function streamObject<Schema extends z.ZodType | Record<string, unknown>>(agent: CascadeAgent, input: CascadeInput, options: StreamObjectOptions<Schema>): ObjectStream<ObjectOf<Schema>> {
  parseConfig(streamObjectOptionsSchema, options, 'streamObject options');
  const { schema, schemaName, strict, ...streamOptions } = options;
  const request = objectRequest(input, { schema, ...(schemaName !== undefined ? { schemaName } : {}), ...(strict !== undefined ? { strict } : {}) });
  const stream = streamCascade(agent, request, streamOptions);
  let object: Promise<ObjectOf<Schema>> | undefined;
  const events = (): AsyncIterable<ObjectStreamEvent<ObjectOf<Schema>>> => withPartialObjects<ObjectOf<Schema>>(stream);
  return {
    [Symbol.asyncIterator]: () => events()[Symbol.asyncIterator](),
    get partialObjectStream() {
      return partialObjects(events());
    },
    get object() {
      if (!object) {
        object = stream.result.then((result) => parseObject(result, schema));
        // Unawaited, a rejection must not crash the process; awaiting it still throws.
        object.catch(noop);
      }
      return object;
    },
    get result() {
      return stream.result;
    },
    get textStream() {
      return stream.textStream;
    },
    get usage() {
      return stream.usage;
    },
    get cost() {
      return stream.cost;
    },
    cancel: (reason?: unknown) => stream.cancel(reason),
  };
}

/**
 * The stream's events with a `partial-object` event after each text delta that grew the object. A
 * `switch` starts a new answer (the client was told to drop the old text): the object starts over.
 * Parsing re-reads the answer so far at each delta (linear each time), like other partial-JSON readers.
 */
async function* withPartialObjects<T>(stream: CascadeStream): AsyncGenerator<ObjectStreamEvent<T>> {
  let text = '';
  let last: string | undefined;
  for await (const event of stream) {
    yield event;
    if (event.type === 'switch') {
      text = '';
      last = undefined;
    } else if (event.type === 'text-delta') {
      text += event.text;
      const partial = parsePartialJson(text);
      if (partial === undefined) continue;
      const key = JSON.stringify(partial);
      if (key === last) continue;
      last = key;
      yield { type: 'partial-object', object: partial as PartialObject<T>, modelId: event.modelId, tier: event.tier };
    }
  }
}

async function* partialObjects<T>(events: AsyncIterable<ObjectStreamEvent<T>>): AsyncGenerator<PartialObject<T>> {
  for await (const event of events) {
    if (event.type === 'partial-object') yield event.object;
    else if (event.type === 'error') throw event.error;
  }
}

function noop(): void {}
