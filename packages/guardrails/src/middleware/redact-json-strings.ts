import type { GuardFinding } from '@cascade/core';
import type { PiiRedactor } from '../pii/pii-redactor';

/** What PII redaction did to a tool call's JSON arguments. */
export interface JsonRedaction {
  /** The arguments with every redacted value replaced (still valid JSON when the input was). */
  text: string;
  /** True when an entity's action is `block`. */
  blocked: boolean;
  findings: GuardFinding[];
}

/**
 * Redacts PII inside the string and number values of a JSON text, leaving keys and structure alone, so
 * the arguments still parse and a tool's schema still sees its fields. One linear pass over the tokens
 * (no recursion: deep JSON cannot overflow the stack). A number that is PII (a card number written as a
 * number) becomes the redaction as a string. Text that is not valid JSON is redacted as plain text.
 */
export function redactJsonStrings(json: string, redactor: PiiRedactor): JsonRedaction {
  try {
    JSON.parse(json);
  } catch {
    const result = redactor.redact(json);
    return { text: result.text, blocked: result.blocked, findings: result.findings.map(withoutOffsets) };
  }
  const findings: GuardFinding[] = [];
  let blocked = false;
  let out = '';
  let copiedTo = 0;
  const replace = (start: number, end: number, value: string): void => {
    const result = redactor.redact(value);
    if (result.findings.length === 0) return;
    findings.push(...result.findings.map(withoutOffsets));
    if (result.blocked) blocked = true;
    if (result.text === value) return;
    out += json.slice(copiedTo, start) + JSON.stringify(result.text);
    copiedTo = end;
  };
  let index = 0;
  while (index < json.length) {
    const char = json.charCodeAt(index);
    if (char === 0x22 /* " */) {
      const end = stringEnd(json, index);
      if (!isKey(json, end)) replace(index, end, JSON.parse(json.slice(index, end)) as string);
      index = end;
    } else if (char === 0x2d /* - */ || (char >= 0x30 && char <= 0x39)) {
      let end = index + 1;
      while (end < json.length && /[0-9.eE+-]/.test(json[end]!)) end++;
      replace(index, end, json.slice(index, end));
      index = end;
    } else {
      index++;
    }
  }
  return { text: copiedTo === 0 ? json : out + json.slice(copiedTo), blocked, findings };
}

/** The index just past the closing quote of the string literal opening at `start` (the JSON is valid). */
function stringEnd(json: string, start: number): number {
  let index = start + 1;
  while (index < json.length) {
    const char = json[index]!;
    if (char === '\\') index += 2;
    else if (char === '"') return index + 1;
    else index++;
  }
  return json.length;
}

/** True when the string that ended at `end` is an object key (a `:` follows). */
function isKey(json: string, end: number): boolean {
  let index = end;
  while (index < json.length && (json[index] === ' ' || json[index] === '\n' || json[index] === '\r' || json[index] === '\t')) index++;
  return json[index] === ':';
}

/** Offsets into one value of the JSON mean nothing to the caller: drop them. */
function withoutOffsets(finding: GuardFinding): GuardFinding {
  const { start: _start, end: _end, ...rest } = finding;
  return rest;
}
