import { readFile } from 'node:fs/promises';
import type { BatchRequest } from '@cascade/batch';
import { CascadeError } from '@cascade/core';
import { z } from 'zod';

const messageSchema = z.object({ role: z.enum(['system', 'developer', 'user', 'assistant']), content: z.string() });

/** One line of a batch file: a JSON string (the prompt) or an object. */
export const batchLineSchema = z.union([
  z.string().min(1),
  z
    .strictObject({
      id: z.string().min(1).max(200).optional(),
      prompt: z.string().min(1).optional(),
      messages: z.array(messageSchema).min(1).optional(),
      user: z.string().min(1).max(256).optional(),
    })
    .refine((line) => (line.prompt === undefined) !== (line.messages === undefined), { message: 'give exactly one of "prompt" or "messages"' }),
]);

/**
 * Reads a JSON Lines batch file into batch requests. Each line is validated; a bad line is
 * `INVALID_INPUT` naming the file, the line and the field.
 */
export async function readBatchFile(path: string, defaultUser: string): Promise<BatchRequest[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CascadeError('INVALID_INPUT', `Cannot read batch file ${path}: ${(error as Error).message}.`, { cause: error });
  }
  const items: BatchRequest[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index]!.trim();
    if (raw.length === 0) continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      throw new CascadeError('INVALID_INPUT', `${path}:${index + 1}: not valid JSON. Each line is "a prompt" or {"id","prompt"|"messages","user"}.`, { cause: error });
    }
    const parsed = batchLineSchema.safeParse(json);
    if (!parsed.success) throw new CascadeError('INVALID_INPUT', `${path}:${index + 1}: ${z.prettifyError(parsed.error)}`, { cause: parsed.error });
    const line = parsed.data;
    const id = typeof line === 'string' ? `line-${index + 1}` : (line.id ?? `line-${index + 1}`);
    const input = typeof line === 'string' ? line : line.prompt !== undefined ? line.prompt : { messages: line.messages! };
    items.push({ id, input, userId: typeof line === 'string' ? defaultUser : (line.user ?? defaultUser) });
  }
  if (items.length === 0) throw new CascadeError('INVALID_INPUT', `${path} holds no items.`);
  return items;
}
