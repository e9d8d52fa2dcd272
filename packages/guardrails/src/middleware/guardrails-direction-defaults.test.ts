import type { AgentPolicy, ChatRequest, GuardedStreamPart, PipelineContext } from '@cascade/core';
import { collect, fromArray } from '@cascade/core/test';
import { describe, expect, it } from 'vitest';
import { PII_DEFAULT_ACTIONS } from '../pii/direction-defaults';
import { createGuardrailsMiddleware } from './guardrails-middleware';

function contextWith(policy: AgentPolicy = {}): PipelineContext {
  return {
    requestId: 'r1', mode: 'run', userId: 'u1', principal: undefined, policy, request: { messages: [] },
    estimate: { inputTokens: 0, maxOutputTokens: 0, costUsd: 0 }, abortSignal: undefined, state: new Map(),
  };
}

const CONTACT = 'See https://help.example.com/faq or write to ada@example.com, call +1 (415) 555-2671, server 10.0.0.1.';
const SECRETS = 'Card 4111 1111 1111 1111, IBAN GB82 WEST 1234 5698 7654 32, SSN 536-22-1234, key sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8t.';
const userSays = (text: string): ChatRequest => ({ messages: [{ role: 'user', content: text }] });

async function inputText(middleware: ReturnType<typeof createGuardrailsMiddleware>, text: string, policy?: AgentPolicy): Promise<string> {
  const verdict = await middleware.guardInput!(contextWith(policy), userSays(text));
  if (verdict.action === 'allow') return text;
  if (verdict.action !== 'modify') throw new Error(`unexpected ${verdict.action}`);
  return verdict.value.messages[0]!.content as string;
}

async function outputText(middleware: ReturnType<typeof createGuardrailsMiddleware>, text: string, policy?: AgentPolicy): Promise<string> {
  const verdict = await middleware.guardOutput!(contextWith(policy), text);
  if (verdict.action === 'allow') return text;
  if (verdict.action !== 'modify') throw new Error(`unexpected ${verdict.action}`);
  return verdict.value;
}

async function streamedText(middleware: ReturnType<typeof createGuardrailsMiddleware>, text: string, policy?: AgentPolicy): Promise<string> {
  // Split every 7 characters so entities straddle chunk boundaries.
  const chunks = text.match(/[\s\S]{1,7}/g) ?? [];
  const parts: GuardedStreamPart[] = await collect(middleware.guardStream!(contextWith(policy), fromArray(chunks)));
  return parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

describe('PII defaults per direction', () => {
  it('keeps URLs, emails, phone numbers and IPs in answers (whole and streamed) but redacts them in requests', async () => {
    const middleware = createGuardrailsMiddleware();
    expect(await outputText(middleware, CONTACT)).toBe(CONTACT);
    expect(await streamedText(middleware, CONTACT)).toBe(CONTACT);
    expect(await inputText(middleware, CONTACT)).toBe('See [URL] or write to [EMAIL_ADDRESS], call [PHONE_NUMBER], server [IP_ADDRESS].');
  });

  it('redacts secrets, cards, IBANs and SSNs both ways, streams included', async () => {
    const middleware = createGuardrailsMiddleware();
    const expected = 'Card [CREDIT_CARD], IBAN [IBAN_CODE], SSN [US_SSN], key [API_KEY].';
    expect(await inputText(middleware, SECRETS)).toBe(expected);
    expect(await outputText(middleware, SECRETS)).toBe(expected);
    expect(await streamedText(middleware, SECRETS)).toBe(expected);
  });

  it('still redacts a secret hidden inside an allowed URL of an answer', async () => {
    const text = 'Open https://api.example.com/v1?key=sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8t now';
    expect(await outputText(createGuardrailsMiddleware(), text)).not.toContain('sk-proj');
  });

  it('lets explicit config win: both-ways actions, one direction, a catch-all action', async () => {
    const bothWays = createGuardrailsMiddleware({ pii: { actions: { URL: 'redact' } } });
    expect(await outputText(bothWays, 'Docs: https://help.example.com/faq')).toBe('Docs: [URL]');
    expect(await streamedText(bothWays, 'Docs: https://help.example.com/faq')).toBe('Docs: [URL]');

    const outputOnly = createGuardrailsMiddleware({ pii: { output: { actions: { EMAIL_ADDRESS: 'mask' } }, input: { actions: { EMAIL_ADDRESS: 'allow' } } } });
    expect(await outputText(outputOnly, 'mail ada@example.com')).toBe('mail ***@*******.com');
    expect(await inputText(outputOnly, 'mail ada@example.com')).toBe('mail ada@example.com');

    const catchAll = createGuardrailsMiddleware({ pii: { action: 'redact' } });
    expect(await outputText(catchAll, 'call +1 (415) 555-2671')).toBe('call [PHONE_NUMBER]');

    const relaxed = createGuardrailsMiddleware({ pii: { output: { actions: { CREDIT_CARD: 'allow' } } } });
    expect(await outputText(relaxed, 'Card 4111 1111 1111 1111')).toBe('Card 4111 1111 1111 1111');
    expect(await inputText(relaxed, 'Card 4111 1111 1111 1111')).toBe('Card [CREDIT_CARD]');
  });

  it('lets a policy win over both the config and the defaults', async () => {
    const middleware = createGuardrailsMiddleware({ pii: { output: { actions: { URL: 'allow' } } } });
    const policy: AgentPolicy = { guardrails: { pii: { enabled: true, actions: { URL: 'redact' } } } };
    expect(await outputText(middleware, 'Docs: https://help.example.com/faq', policy)).toBe('Docs: [URL]');
    const compliance: AgentPolicy = { compliance: { mode: 'hipaa', models: ['m'] }, guardrails: { pii: { enabled: true, action: 'redact' } } };
    expect(await outputText(middleware, 'mail ada@example.com', compliance)).toBe('mail [EMAIL_ADDRESS]');
  });

  it('documents one table: contact data on input only, everything else both ways', () => {
    expect(Object.entries(PII_DEFAULT_ACTIONS.output).filter(([, action]) => action === 'allow').map(([type]) => type)).toEqual([
      'EMAIL_ADDRESS', 'PHONE_NUMBER', 'IP_ADDRESS', 'URL', 'PERSON', 'LOCATION', 'ORGANIZATION', 'STREET_ADDRESS', 'DATE_TIME',
    ]);
    expect(new Set(Object.values(PII_DEFAULT_ACTIONS.input))).toEqual(new Set(['redact']));
  });

  it('rejects unknown keys in a direction', () => {
    expect(() => createGuardrailsMiddleware({ pii: { output: { action: 'allow', acitons: {} } as never } })).toThrow(/acitons/);
  });
});
