import { createHash } from 'node:crypto';
import { CascadeError } from '@cascade/core';
import { describe, expect, it } from 'vitest';
import { createPiiRedactor, maskValue } from './pii-redactor';

const text = 'card 4111 1111 1111 1111, mail ada@example.com, ip 10.0.0.1';

describe('createPiiRedactor actions', () => {
  it('redact: typed placeholders, configurable template', () => {
    expect(createPiiRedactor().redact(text).text).toBe('card [CREDIT_CARD], mail [EMAIL_ADDRESS], ip [IP_ADDRESS]');
    expect(createPiiRedactor({ placeholder: '<{type}>' }).redact('ip 10.0.0.1').text).toBe('ip <IP_ADDRESS>');
  });

  it('mask: keeps separators and at most the last four (and a quarter) of the characters', () => {
    const result = createPiiRedactor({ action: 'mask' }).redact('card 4111 1111 1111 1111');
    expect(result.text).toBe('card **** **** **** 1111');
    expect(maskValue('10.0.0.1', '#', 4)).toBe('##.#.#.1');
    expect(maskValue('abcdefgh', '*', 2)).toBe('******gh');
  });

  it('hash: salted SHA-256, stable for the same salt and different across salts', () => {
    const salt = 'a-secret-salt-of-16+';
    const hashed = createPiiRedactor({ action: 'hash', hashSalt: salt }).redact('ip 10.0.0.1').text;
    const digest = createHash('sha256').update(salt).update('\u0000').update('10.0.0.1').digest('hex').slice(0, 16);
    expect(hashed).toBe(`ip [IP_ADDRESS:${digest}]`);
    expect(createPiiRedactor({ action: 'hash', hashSalt: 'another-salt-value-x' }).redact('ip 10.0.0.1').text).not.toBe(hashed);
  });

  it('hash without a salt fails with INVALID_CONFIG saying what to set', () => {
    try {
      createPiiRedactor({ actions: { EMAIL_ADDRESS: 'hash' } });
      expect.unreachable();
    } catch (error) {
      expect(CascadeError.isInstance(error) && error.code).toBe('INVALID_CONFIG');
      expect((error as Error).message).toContain('hashSalt');
    }
  });

  it('block: marks the result blocked and keeps the text', () => {
    const result = createPiiRedactor({ actions: { CREDIT_CARD: 'block' } }).redact(text);
    expect(result.blocked).toBe(true);
    expect(result.findings.find((finding) => finding.type === 'CREDIT_CARD')).toMatchObject({ action: 'block', start: 5, end: 24 });
  });

  it('warn: reports without changing the text', () => {
    const result = createPiiRedactor({ action: 'warn' }).redact(text);
    expect(result.text).toBe(text);
    expect(result.blocked).toBe(false);
    expect(result.findings).toHaveLength(3);
    expect(result.findings.every((finding) => finding.action === 'warn')).toBe(true);
  });

  it('allow: neither changes nor reports the entity', () => {
    const result = createPiiRedactor({ actions: { IP_ADDRESS: 'allow' } }).redact(text);
    expect(result.text).toBe('card [CREDIT_CARD], mail [EMAIL_ADDRESS], ip 10.0.0.1');
    expect(result.findings.map((finding) => finding.type)).toEqual(['CREDIT_CARD', 'EMAIL_ADDRESS']);
  });

  it('merged overlaps take the most severe action of their members', () => {
    const result = createPiiRedactor({ actions: { IP_ADDRESS: 'block', URL: 'redact' } }).redact('go to http://10.0.0.1/admin');
    expect(result.blocked).toBe(true);
  });

  it('findings carry offsets and scores but never the value', () => {
    const result = createPiiRedactor().redact(text);
    expect(JSON.stringify(result.findings)).not.toMatch(/4111|ada@|10\.0\.0\.1/);
    for (const finding of result.findings) expect(finding.score).toBeGreaterThan(0.5);
  });
});
