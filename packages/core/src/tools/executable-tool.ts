import { z } from 'zod';
import type { ChatMessage } from '../model/chat-message';
import type { ToolDefinition } from '../model/tool-definition';

/** What `execute` receives besides the arguments. */
export interface ToolExecutionOptions {
  /** Fires when the request is aborted or times out: stop the work. The loop stops waiting either way. */
  abortSignal?: AbortSignal;
  toolCallId: string;
  /** The conversation so far (read-only). */
  messages: readonly ChatMessage[];
}

/** A JSON schema object, or a zod schema (converted to JSON schema for the model; it also parses the arguments). */
export type ToolParameters = Record<string, unknown> | z.ZodType;

/**
 * A tool for `agent.run(..., { tools })`: a description and a parameter schema for the model, and an
 * optional `execute`. Without `execute`, a call to the tool ends the loop and is returned to the
 * caller in `result.toolCalls`. Whatever `execute` returns is sent to the model as JSON (strings as is);
 * if it throws, the model gets `{"error": message}` and the loop goes on.
 */
export interface ExecutableTool<Args = unknown, Output = unknown> {
  description?: string;
  parameters: ToolParameters;
  /** Ask the provider to constrain arguments to the schema (OpenAI structured outputs). */
  strict?: boolean;
  execute?(args: Args, options: ToolExecutionOptions): Output | Promise<Output>;
}

/** Tools by name (names are 1-64 letters, digits, `_` or `-`). */
export type ToolSet = Readonly<Record<string, ExecutableTool>>;

/**
 * Defines a tool with typed arguments: with a zod schema, `execute` gets the parsed value.
 *
 * @example
 * const add = tool({
 *   description: 'Adds two numbers',
 *   parameters: z.object({ a: z.number(), b: z.number() }),
 *   execute: ({ a, b }) => a + b,
 * });
 */
export function tool<Schema extends z.ZodType, Output>(definition: { description?: string; parameters: Schema; strict?: boolean; execute?: (args: z.output<Schema>, options: ToolExecutionOptions) => Output | Promise<Output> }): ExecutableTool<z.output<Schema>, Output>;
export function tool<Output>(definition: { description?: string; parameters: Record<string, unknown>; strict?: boolean; execute?: (args: Record<string, unknown>, options: ToolExecutionOptions) => Output | Promise<Output> }): ExecutableTool<Record<string, unknown>, Output>;
export function tool(definition: ExecutableTool): ExecutableTool {
  return definition;
}

/** True for a zod schema. */
export function isZodSchema(value: unknown): value is z.ZodType {
  return typeof value === 'object' && value !== null && '_zod' in value && typeof (value as z.ZodType).safeParse === 'function';
}

const jsonSchemaCache = new WeakMap<object, Record<string, unknown>>();

/** The JSON schema of a zod schema (draft-07, what OpenAI and Ajv read), or a JSON schema as is. Cached per schema object. */
export function toJsonSchema(schema: ToolParameters): Record<string, unknown> {
  if (!isZodSchema(schema)) return schema;
  let json = jsonSchemaCache.get(schema);
  if (!json) {
    const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
    json = rest;
    jsonSchemaCache.set(schema, json);
  }
  return json;
}

/** The `ToolDefinition`s a model sees for a tool set. */
export function toToolDefinitions(tools: ToolSet): ToolDefinition[] {
  return Object.entries(tools).map(([name, definition]) => ({
    type: 'function',
    function: {
      name,
      ...(definition.description !== undefined ? { description: definition.description } : {}),
      parameters: toJsonSchema(definition.parameters),
      ...(definition.strict !== undefined ? { strict: definition.strict } : {}),
    },
  }));
}
