import { createCascadeAgent } from '@cascade/core';
import { createOpenAIChatModel } from '@cascade/core/openai';
import { fromUIMessages, streamCascade } from '@cascade/stream';

const agent = createCascadeAgent({ models: [createOpenAIChatModel({ modelId: 'gpt-4o-mini' }), createOpenAIChatModel({ modelId: 'gpt-4o' })] });

// app/api/chat/route.ts: the endpoint of a `useChat()` front end (AI SDK 5/6, default transport).
export async function POST(request: Request): Promise<Response> {
  const { messages } = (await request.json()) as { messages: unknown };
  const stream = streamCascade(agent, fromUIMessages(messages), {
    abortSignal: request.signal,
    onFinish: ({ text, costUsd, modelId }) => console.log(`${modelId} answered ${text.length} chars for $${costUsd}`),
    onError: ({ error }) => console.error(error),
  });
  return stream.toUIMessageStreamResponse(); // only accepted text reaches the browser
}

// A plain-text completion (`useCompletion({ streamProtocol: 'text' })`, curl) with AI SDK style input.
export async function complete(request: Request): Promise<Response> {
  const { prompt } = (await request.json()) as { prompt: string };
  return streamCascade(agent, { system: 'Answer in one paragraph.', prompt }, { abortSignal: request.signal }).toTextStreamResponse();
}

// Or await the answer's text, as with the AI SDK's `text` promise.
export async function answer(prompt: string): Promise<string> {
  return streamCascade(agent, { prompt }).text;
}
