/** A text part of a message's content, OpenAI chat shape. */
export interface TextContentPart {
  type: 'text';
  text: string;
}

/**
 * An image part, OpenAI chat shape: `url` is an `https:` URL or a base64 `data:` URL
 * (`data:image/png;base64,...`, see {@link imagePart}). Passed through to the model untouched.
 */
export interface ImageContentPart {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
}

/** A file part (e.g. a PDF), OpenAI chat shape: an uploaded `file_id` or base64 `file_data` with a `filename`. */
export interface FileContentPart {
  type: 'file';
  file: { file_id?: string; file_data?: string; filename?: string };
}

/** One part of a message's content. Only text parts are read by checks and guards; the others pass through. */
export type ContentPart = TextContentPart | ImageContentPart | FileContentPart;

/** A tool call the model asks for, OpenAI chat shape. `arguments` is the JSON text the model wrote. */
export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** Roles of the OpenAI chat format. */
export type ChatRole = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

/** One chat message in OpenAI chat shape. */
export interface ChatMessage {
  role: ChatRole;
  /** Text, or content parts (text parts concatenated by {@link messageText}). `''` for an assistant message of tool calls only. */
  content: string | readonly ContentPart[];
  name?: string;
  /** For `role: 'assistant'`: the tools it called. */
  tool_calls?: readonly ToolCall[];
  /** For `role: 'tool'`: the call this message answers. */
  tool_call_id?: string;
}

/** The plain text of a message: its text parts joined (images and files carry no text). */
export function messageText(message: ChatMessage): string {
  if (typeof message.content === 'string') return message.content;
  let text = '';
  for (const part of message.content) if (part.type === 'text') text += part.text;
  return text;
}

/** The text of the last user message, which quality checks and guards judge. */
export function lastUserText(messages: readonly ChatMessage[]): string {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index]!;
    if (message.role === 'user') return messageText(message);
  }
  return '';
}

/**
 * An image content part from a URL, or from base64 data and its media type.
 *
 * @example
 * imagePart({ url: 'https://example.com/cat.png' });
 * imagePart({ base64: png.toString('base64'), mediaType: 'image/png' });
 */
export function imagePart(source: { url: string } | { base64: string; mediaType: string }, detail?: 'auto' | 'low' | 'high'): ImageContentPart {
  const url = 'url' in source ? source.url : `data:${source.mediaType};base64,${source.base64}`;
  return { type: 'image_url', image_url: { url, ...(detail ? { detail } : {}) } };
}
