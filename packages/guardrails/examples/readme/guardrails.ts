import { CascadeError, createCascadeAgent } from '@cascade/core';
import { createOpenAIChatModel } from '@cascade/core/openai';
import { createGuardrailsMiddleware, createPiiRedactor, redactStream } from '@cascade/guardrails';

const guardrails = createGuardrailsMiddleware({
  pii: { actions: { CREDIT_CARD: 'block', EMAIL_ADDRESS: 'mask' } },
  moderation: { enabled: true },                 // local baseline unless you pass a moderator
});
const agent = createCascadeAgent({ models: [createOpenAIChatModel({ modelId: 'gpt-4o-mini' }), createOpenAIChatModel({ modelId: 'gpt-4o' })], middleware: [guardrails] });
try {
  await agent.run('My card is 4111 1111 1111 1111, is it valid?');
} catch (error) {
  if (CascadeError.isInstance(error)) console.log(error.code); // 'GUARDRAIL_BLOCKED', before any model call
}

const redactor = createPiiRedactor();
console.log(redactor.redact('Call +1 (415) 555-2671').text);  // 'Call [PHONE_NUMBER]'
async function* modelDeltas(): AsyncIterable<string> { yield 'Call +1 (415) 5'; yield '55-2671 today.'; } // e.g. a model's text deltas
for await (const part of redactStream(modelDeltas(), redactor)) if (part.type === 'text') process.stdout.write(part.text);
