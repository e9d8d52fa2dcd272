import type { StreamPart } from '../model/stream-part';

/** A streamed `delta.tool_calls[]` entry, as OpenAI-compatible providers send it. */
interface ToolCallDelta {
  index?: number;
  id?: string | null;
  type?: string | null;
  function?: { name?: string | null; arguments?: string | null } | null;
}

/**
 * Reassembles streamed tool calls: OpenAI sends the id and name in the first delta of a call
 * (by `index`) and the JSON arguments in pieces after it. Yields `tool-call-start` once per call,
 * `tool-call-delta` per argument piece, and `tool-call-end` for every call when the stream ends.
 */
export class ToolCallAssembler {
  private readonly calls = new Map<number, { id: string; name: string; arguments: string }>();

  /** Parts for one chunk's `delta.tool_calls`. */
  *add(deltas: readonly ToolCallDelta[]): Generator<StreamPart> {
    for (const delta of deltas) {
      const index = typeof delta.index === 'number' ? delta.index : this.calls.size;
      let call = this.calls.get(index);
      if (!call) {
        call = { id: delta.id ?? `call_${index}`, name: delta.function?.name ?? '', arguments: '' };
        this.calls.set(index, call);
        yield { type: 'tool-call-start', index, id: call.id, name: call.name };
      } else if (delta.function?.name && call.name === '') {
        call.name = delta.function.name;
      }
      const piece = delta.function?.arguments;
      if (piece) {
        call.arguments += piece;
        yield { type: 'tool-call-delta', index, argumentsDelta: piece };
      }
    }
  }

  /** `tool-call-end` for every call, in index order. */
  *end(): Generator<StreamPart> {
    for (const [index, call] of [...this.calls].sort((left, right) => left[0] - right[0])) {
      yield { type: 'tool-call-end', index, toolCall: { id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } } };
    }
  }

  /** Every call's arguments, for estimating output tokens when the provider reports no usage. */
  argumentsText(): string {
    let text = '';
    for (const call of this.calls.values()) text += call.name + call.arguments;
    return text;
  }
}

