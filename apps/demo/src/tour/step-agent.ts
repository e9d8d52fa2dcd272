import { type ChatRequest, createCascadeAgent, createPricing, tool } from '@cascade/core';
import { MockChatModel, type MockResponse } from '@cascade/core/test';
import { z } from 'zod';
import { formatUsd } from '../cli/render-table';
import type { Terminal } from '../cli/terminal';

/** Figures of the agent step. */
export interface AgentOutcome {
  steps: number;
  rejectedDraft: boolean;
  answer: string;
}

const QUESTION = 'What do 17 * 23 requests of one million input tokens each cost on gpt-4o-mini?';

const toolResults = (request: ChatRequest): Map<string, string> =>
  new Map(request.messages.filter((message) => message.role === 'tool').map((message) => [message.tool_call_id ?? '', typeof message.content === 'string' ? message.content : '']));

/**
 * The scripted local models of this step. They are deterministic stand-ins, NOT recorded model answers:
 * the drafter calls the calculator with an argument the schema does not know (`expr`), the strong model
 * calls both tools correctly, then answers from their results.
 */
function scriptedModels(): [MockChatModel, MockChatModel] {
  const drafter = new MockChatModel({ modelId: 'gpt-4o-mini', responses: (): MockResponse => ({ toolCalls: [{ id: 'draft-1', name: 'calculator', arguments: '{"expr":"17 * 23"}' }] }) });
  const strong = new MockChatModel({
    modelId: 'gpt-4o',
    responses: (request): MockResponse => {
      const results = toolResults(request);
      if (results.size === 0) {
        return { toolCalls: [{ id: 'calc-1', name: 'calculator', arguments: '{"a":17,"op":"*","b":23}' }, { id: 'price-1', name: 'lookup_price', arguments: '{"modelId":"gpt-4o-mini"}' }] };
      }
      const count = Number(results.get('calc-1'));
      const price = (JSON.parse(results.get('price-1') ?? '{}') as { inputUsdPerMTok?: number }).inputUsdPerMTok ?? Number.NaN;
      return { text: `${count} requests × $${price} per million input tokens = $${(count * price).toFixed(2)}.` };
    },
  });
  return [drafter, strong];
}

/**
 * Step: an agent with tools. A calculator and a lookup over core's shipped price table; the drafted
 * call with bad arguments is rejected and escalated; the tool loop runs the calls and finishes.
 * Driven by scripted local models, labelled as such: their answers are not recorded model answers.
 */
export async function showAgent(terminal: Terminal): Promise<AgentOutcome> {
  const { color } = terminal;
  const pricing = createPricing();
  const [drafter, strong] = scriptedModels();
  const agent = createCascadeAgent({ models: [drafter, strong], pricing, learning: false, policy: { qualityTarget: 0.7 } });
  terminal.line(color.bold('An agent with tools') + color.dim('  (tool loop in agent.run; scripted deterministic local models, not recorded answers)'));
  terminal.line(`  ${color.cyan('Q')} ${QUESTION}`);
  const result = await agent.run(QUESTION, {
    maxSteps: 3,
    tools: {
      calculator: tool({
        description: 'a op b',
        parameters: z.strictObject({ a: z.number(), op: z.enum(['+', '-', '*', '/']), b: z.number() }),
        execute: ({ a, op, b }) => (op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : a / b),
      }),
      lookup_price: tool({
        description: 'USD per million input tokens of a model, from the shipped price table',
        parameters: z.object({ modelId: z.string() }),
        execute: ({ modelId }) => ({ modelId, inputUsdPerMTok: pricing.costOf(modelId, { inputTokens: 1_000_000, outputTokens: 0, source: 'provider' }) }),
      }),
    },
  });
  let rejectedDraft = false;
  for (const step of result.steps ?? []) {
    for (const attempt of step.attempts) {
      if (attempt.status === 'escalated') rejectedDraft = true;
      const mark = attempt.status === 'escalated' ? color.red('✗ rejected') : color.green('✓');
      terminal.line(`  step ${step.index + 1}: ${attempt.modelId} ${mark} ${color.dim(attempt.reason)}`);
    }
    for (const toolResult of step.toolResults) terminal.line(`    ${color.yellow('tool')} ${toolResult.toolName} → ${toolResult.content}`);
  }
  terminal.line(`  ${color.bold('A')} ${result.text} ${color.dim(`(${result.steps?.length ?? 0} steps, cost ${formatUsd(result.costUsd)} at list prices of the scripted token counts)`)}`);
  terminal.line();
  return { steps: result.steps?.length ?? 0, rejectedDraft, answer: result.text };
}
