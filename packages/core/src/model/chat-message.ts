/** A text part of a message's content, OpenAI chat shape. */
export interface TextContentPart {
  type: 'text';
  text: string;
}

/** Roles of the OpenAI chat format. */
export type ChatRole = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

/** One chat message in OpenAI chat shape. */
export interface ChatMessage {
  role: ChatRole;
  /** Text, or text parts (concatenated by {@link messageText}). */
  content: string | readonly TextContentPart[];
  name?: string;
  /** For `role: 'tool'`: the call this message answers. */
  tool_call_id?: string;
}

/** The plain text of a message, parts joined. */
export function messageText(message: ChatMessage): string {
  if (typeof message.content === 'string') return message.content;
  let text = '';
  for (const part of message.content) text += part.text;
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
