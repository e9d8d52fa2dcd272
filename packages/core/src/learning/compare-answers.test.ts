import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../model/chat-request';
import { requestKind } from './answer-kind';
import { answerEvidence, compareAnswers } from './compare-answers';

const ask = (content: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({ messages: [{ role: 'user', content }], ...extra });

const wordProblem = ask('Janet’s ducks lay 16 eggs per day. She eats 3 and sells the rest at $2 each. How much does she make every day?');
const multipleChoice = ask('Which gas do plants absorb?\nA) oxygen\nB) carbon dioxide\nC) helium\nD) neon\nAnswer with the letter only.\nAnswer:');

describe('requestKind', () => {
  it('reads the expected answer format from the request alone', () => {
    expect(requestKind(wordProblem)).toBe('number');
    expect(requestKind(ask('A robe takes 2 bolts of blue fiber and half that much white fiber. How many bolts in total does it take?'))).toBe('number');
    expect(requestKind(multipleChoice)).toBe('choice');
    expect(requestKind(ask('List three colours.', { responseFormat: { type: 'json_object' } }))).toBe('json');
    expect(requestKind(ask('Return the user as JSON with name and age.'))).toBe('json');
    expect(requestKind(ask('Write a function to remove all elements from a given list present in another list.'))).toBe('code');
    expect(requestKind(ask('Compose an engaging travel blog post about a trip to Hawaii.'))).toBe('text');
  });
});

describe('compareAnswers', () => {
  it('compares final numbers, however the solution is worded', () => {
    expect(compareAnswers(wordProblem, '16 - 3 = 13, 13 * 2 = 26\n#### 26', 'She sells 13 eggs and makes $26 every day.')).toMatchObject({ verdict: 'agree', kind: 'number' });
    expect(compareAnswers(wordProblem, 'She makes $1,300.00.', 'The answer is 1300')).toMatchObject({ verdict: 'agree' });
    expect(compareAnswers(wordProblem, '#### 18', 'She makes $26 every day.')).toMatchObject({ verdict: 'disagree', detail: '18 vs 26' });
  });

  it('compares option letters', () => {
    expect(compareAnswers(multipleChoice, 'B\n', 'B')).toMatchObject({ verdict: 'agree', kind: 'choice' });
    expect(compareAnswers(multipleChoice, '(B) carbon dioxide', 'The answer is B.')).toMatchObject({ verdict: 'agree' });
    expect(compareAnswers(multipleChoice, 'A', 'B')).toMatchObject({ verdict: 'disagree', detail: 'A vs B' });
    expect(compareAnswers(multipleChoice, 'I cannot say.', 'B')).toMatchObject({ verdict: 'disagree' });
  });

  it('compares JSON values, not their spelling', () => {
    const request = ask('Give the point.', { responseFormat: { type: 'json_object' } });
    expect(compareAnswers(request, '{"x": 1, "y": [2, 3]}', '```json\n{ "y": [2,3], "x": 1.0 }\n```')).toMatchObject({ verdict: 'agree', kind: 'json' });
    expect(compareAnswers(request, '{"x": 1, "y": [3, 2]}', '{"x": 1, "y": [2, 3]}')).toMatchObject({ verdict: 'disagree' });
    expect(compareAnswers(request, '{"x": 1,', '{"x": 1}')).toMatchObject({ verdict: 'disagree', detail: 'the draft holds no valid JSON' });
  });

  it('says undecidable rather than guessing', () => {
    const essay = ask('Compose an engaging travel blog post about a trip to Hawaii.');
    expect(compareAnswers(essay, 'Aloha! My trip began…', 'Hawaii welcomed me with…').verdict).toBe('undecidable');
    expect(compareAnswers(essay, 'Same text.', '  same text ').verdict).toBe('agree');
    const code = ask('Write a function to add two numbers.');
    expect(compareAnswers(code, '```python\ndef add(a, b):\n    return a + b\n```', '```python\ndef add(x, y):\n    return x + y\n```').verdict).toBe('undecidable');
    expect(compareAnswers(code, '```python\ndef add(a, b):  # sum\n    return a + b\n```', 'Here:\n```py\ndef add(a, b):\n  return a + b\n```').verdict).toBe('agree');
    expect(compareAnswers(wordProblem, '#### 26', 'I do not know.').verdict).toBe('undecidable');
    expect(compareAnswers(multipleChoice, 'B', 'It depends.').verdict).toBe('undecidable');
  });
});

describe('compareAnswers: tool calls', () => {
  const request = { messages: [{ role: 'user' as const, content: 'Weather in Paris?' }] };
  const call = (name: string, args: string, id = 'x') => ({ id, type: 'function' as const, function: { name, arguments: args } });
  it('agrees on the same tool with equivalent arguments, in any order and key order', () => {
    const draft = answerEvidence({ text: '', toolCalls: [call('get_weather', '{"city":"Paris","unit":"c"}', 'a'), call('get_time', '{}', 'b')] });
    const reference = answerEvidence({ text: '', toolCalls: [call('get_time', '', 'c'), call('get_weather', '{"unit":"c","city":"Paris"}', 'd')] });
    expect(compareAnswers(request, draft, reference).verdict).toBe('agree');
  });
  it('disagrees on other arguments, another tool, or a call against text', () => {
    const draft = answerEvidence({ text: '', toolCalls: [call('get_weather', '{"city":"Paris"}')] });
    expect(compareAnswers(request, draft, answerEvidence({ text: '', toolCalls: [call('get_weather', '{"city":"Rome"}')] })).verdict).toBe('disagree');
    expect(compareAnswers(request, draft, answerEvidence({ text: '', toolCalls: [call('get_forecast', '{"city":"Paris"}')] })).verdict).toBe('disagree');
    expect(compareAnswers(request, draft, 'It is sunny.').verdict).toBe('disagree');
    expect(compareAnswers(request, 'It is sunny.', draft).verdict).toBe('disagree');
  });
});
