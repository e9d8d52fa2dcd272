import { CascadeError } from '@cascade/core';
import { describeType } from '../util/require-input';
import type { InjectionInput } from './injection-detector';

/**
 * Throws `INVALID_INPUT` unless `input` is `{ text: string, systemPrompt?: string, source?: 'user' | 'tool' | 'document' }`:
 * a bare string or a message object is the common mistake, and it must not surface as a `TypeError`
 * (or, in a combined detector, as a failed detector that fail-open would wave through).
 */
export function checkInjectionInput(input: unknown, where: string): asserts input is InjectionInput {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new CascadeError('INVALID_INPUT', `${where} expects an input object { text, systemPrompt?, source? }, got ${describeType(input)}. Wrap the text: detect({ text }).`);
  }
  const { text, systemPrompt, source } = input as Record<string, unknown>;
  if (typeof text !== 'string') throw new CascadeError('INVALID_INPUT', `${where} expects input.text as a string, got ${describeType(text)}. Pass the message text, e.g. detect({ text: message.content }).`);
  if (systemPrompt !== undefined && typeof systemPrompt !== 'string') {
    throw new CascadeError('INVALID_INPUT', `${where} expects input.systemPrompt as a string or undefined, got ${describeType(systemPrompt)}.`);
  }
  if (source !== undefined && source !== 'user' && source !== 'tool' && source !== 'document') {
    throw new CascadeError('INVALID_INPUT', `${where} expects input.source to be 'user', 'tool' or 'document' (or undefined), got ${typeof source === 'string' ? `"${source}"` : describeType(source)}.`);
  }
}
