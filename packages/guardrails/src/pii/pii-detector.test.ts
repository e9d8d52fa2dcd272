import { CascadeError } from '@cascade/core';
import { describe, expect, it } from 'vitest';
import { PII_ENTITY_TYPES, PII_NAME_ENTITY_TYPES, type PiiEntityType } from './pii-entity';
import { createPiiDetector, isContextual } from './pii-detector';

const detector = createPiiDetector();

function found(text: string): { type: PiiEntityType; value: string }[] {
  return detector.detect(text).map((match) => ({ type: match.type, value: text.slice(match.start, match.end) }));
}

const VALID: readonly [PiiEntityType, string, string][] = [
  ['EMAIL_ADDRESS', 'write to ada.lovelace+notes@example.co.uk today', 'ada.lovelace+notes@example.co.uk'],
  ['EMAIL_ADDRESS', 'mail:Bob_O-Neil@mail-server.io.', 'Bob_O-Neil@mail-server.io'],
  ['PHONE_NUMBER', 'call +1 (415) 555-2671 now', '+1 (415) 555-2671'],
  ['PHONE_NUMBER', 'ring +44 20 7946 0958 tonight', '+44 20 7946 0958'],
  ['PHONE_NUMBER', 'Tel: 030 901820 (Berlin)', '030 901820'],
  ['PHONE_NUMBER', 'phone: 06 12 34 56 78', '06 12 34 56 78'],
  ['PHONE_NUMBER', 'office (212) 555-0199 ext', '(212) 555-0199'],
  ['PHONE_NUMBER', 'reach me at 415-555-2671x204.', '415-555-2671x204'],
  ['PHONE_NUMBER', 'mobile +46 (0)8 928 571 38', '+46 (0)8 928 571 38'],
  ['CREDIT_CARD', 'card 4111 1111 1111 1111 expires', '4111 1111 1111 1111'],
  ['CREDIT_CARD', 'amex 3782-822463-10005.', '3782-822463-10005'],
  ['CREDIT_CARD', 'pay with 5555555555554444', '5555555555554444'],
  ['CREDIT_CARD', 'visa 4222222222222 (13 digits)', '4222222222222'],
  ['CREDIT_CARD', 'my card 6759649826438453789 is lost', '6759649826438453789'],
  ['US_SSN', 'SSN 536-22-1234 on file', '536-22-1234'],
  ['US_SSN', 'social security number: 536221234', '536221234'],
  ['IP_ADDRESS', 'from 192.168.10.254 to', '192.168.10.254'],
  ['IP_ADDRESS', 'net 10.0.0.0/8 is private', '10.0.0.0/8'],
  ['IP_ADDRESS', 'host 2001:db8:85a3::8a2e:370:7334 up', '2001:db8:85a3::8a2e:370:7334'],
  ['IP_ADDRESS', 'v6 fe80::1ff:fe23:4567:890a', 'fe80::1ff:fe23:4567:890a'],
  ['IP_ADDRESS', 'mapped ::ffff:192.0.2.128 ok', '::ffff:192.0.2.128'],
  ['IBAN_CODE', 'IBAN GB82 WEST 1234 5698 7654 32.', 'GB82 WEST 1234 5698 7654 32'],
  ['IBAN_CODE', 'pay DE89370400440532013000 now', 'DE89370400440532013000'],
  ['IBAN_CODE', 'lower gb82west12345698765432 too', 'gb82west12345698765432'],
  ['URL', 'see https://example.com/path?q=1#x.', 'https://example.com/path?q=1#x'],
  ['URL', '(docs at www.example.org/a_(b))', 'www.example.org/a_(b)'],
  ['API_KEY', 'key=sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8t end', 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8t'],
  ['API_KEY', 'ANTHROPIC_API_KEY=sk-ant-api03-Zx9yW8vU7tS6rQ5pO4nM3lK2jI1hG0fE', 'sk-ant-api03-Zx9yW8vU7tS6rQ5pO4nM3lK2jI1hG0fE'],
  ['API_KEY', 'google AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q key', 'AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q'],
  ['API_KEY', 'stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'],
  ['API_KEY', 'slack xoxb-123456789012-abcdefABCDEF1234', 'xoxb-123456789012-abcdefABCDEF1234'],
  ['API_KEY', 'slack app xapp-1-A0123456789-1234567890123-abcdef', 'xapp-1-A0123456789-1234567890123-abcdef'],
  ['API_KEY', 'stripe test sk_test_4eC39HqLyjWDarjtT1zdp7dc', 'sk_test_4eC39HqLyjWDarjtT1zdp7dc'],
  ['API_KEY', 'restricted rk_live_51H8abcDEF123ghiJKL456', 'rk_live_51H8abcDEF123ghiJKL456'],
  ['API_KEY', 'webhook whsec_1234567890abcdefGHIJKLMNOPqr', 'whsec_1234567890abcdefGHIJKLMNOPqr'],
  ['AWS_ACCESS_KEY', 'session ASIAY34FZKBOKMUTVV7A ok', 'ASIAY34FZKBOKMUTVV7A'],
  ['GITHUB_TOKEN', 'fine github_pat_11ABCDEFG0123456789abc_defghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUV', 'github_pat_11ABCDEFG0123456789abc_defghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUV'],
  ['GITHUB_TOKEN', 'oauth gho_16C7e42F292c6912E7710c838347Ae178B4a', 'gho_16C7e42F292c6912E7710c838347Ae178B4a'],
  ['AWS_ACCESS_KEY', 'aws AKIAIOSFODNN7EXAMPLE ok', 'AKIAIOSFODNN7EXAMPLE'],
  ['AWS_SECRET_KEY', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
  ['GITHUB_TOKEN', 'token ghp_16C7e42F292c6912E7710c838347Ae178B4a here', 'ghp_16C7e42F292c6912E7710c838347Ae178B4a'],
  ['JWT', 'Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
  ['PRIVATE_KEY', 'x\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\ny', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----'],
  ['PRIVATE_KEY', 'cut -----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nabc', '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nabc'],
];

const INVALID: readonly [PiiEntityType, string][] = [
  ['EMAIL_ADDRESS', 'not an email: user@localhost or @handle or a@b.c'],
  ['PHONE_NUMBER', 'on 2024-05-17 the ratio was 3.14159 and 12345'],
  ['PHONE_NUMBER', 'order no. 5551234567 shipped'],
  ['PHONE_NUMBER', 'we live at 1200 3400 Main Street'],
  ['PHONE_NUMBER', 'so 23786 - 17509 = 6277 people and 1000 2000 = 3000 beds'],
  ['CREDIT_CARD', 'card 4111 1111 1111 1112 fails Luhn'],
  ['CREDIT_CARD', 'number 1234567812345670 has no issuer and no context? 0000000000000000'],
  ['US_SSN', 'SSN 000-12-3456, 666-12-3456, 912-34-5678, 123-00-4567, 123-45-0000'],
  ['IP_ADDRESS', '256.1.1.1 and 1.2.3 and 1.2.3.4.5 and 12:30:45 and std::vector'],
  ['IBAN_CODE', 'GB83 WEST 1234 5698 7654 32 and XX82WEST12345698765432 and GB82WEST1234569876543'],
  ['URL', 'not a url: example.com or http:// alone'],
  ['API_KEY', 'sk-short and task-abcdefghijklmnopqrstuvwxyz1234 and AIzaShort'],
  ['AWS_ACCESS_KEY', 'AKIA1234 and XAKIAIOSFODNN7EXAMPLE'],
  ['GITHUB_TOKEN', 'ghp_tooShort123'],
  ['JWT', 'eyJub3QiOiJqd3QifQ.eyJ.x is not a token header'],
  ['PRIVATE_KEY', '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----'],
];

describe('createPiiDetector', () => {
  it.each(VALID)('finds %s in %j', (type, text, value) => {
    expect(found(text)).toContainEqual({ type, value });
  });

  it.each(INVALID)('does not report %s in %j', (type, text) => {
    expect(found(text).filter((match) => match.type === type)).toEqual([]);
  });

  it('reports exact offsets, also after astral characters', () => {
    const text = '😀 café ada@example.com';
    const [match] = detector.detect(text);
    expect(text.slice(match!.start, match!.end)).toBe('ada@example.com');
    expect(match!.start).toBe(8);
  });

  it('never carries the raw value unless asked', () => {
    const [plain] = detector.detect('ada@example.com');
    expect(plain).not.toHaveProperty('value');
    expect(JSON.stringify(plain)).not.toContain('ada@');
    const [withValue] = createPiiDetector({ includeValues: true }).detect('ada@example.com');
    expect(withValue!.value).toBe('ada@example.com');
  });

  it('raises a weak phone with context words and drops it without', () => {
    expect(found('Phone: 467 3395')).toEqual([{ type: 'PHONE_NUMBER', value: '467 3395' }]);
    expect(found('We counted 467 3395 sheep')).toEqual([]);
  });

  it('needs context for a bare 9-digit SSN', () => {
    expect(found('reference 536221234')).toEqual([]);
    expect(found('my SSN is 536221234')).toEqual([{ type: 'US_SSN', value: '536221234' }]);
  });

  it('merges overlapping spans into one covering span with the other types listed', () => {
    const text = 'see http://192.168.1.20/admin now';
    const matches = detector.detect(text);
    expect(matches).toHaveLength(1);
    expect(text.slice(matches[0]!.start, matches[0]!.end)).toBe('http://192.168.1.20/admin');
    expect(matches[0]!.type).toBe('URL');
    expect(matches[0]!.mergedTypes).toEqual(['IP_ADDRESS']);
  });

  it('filters by entity type and minimum score', () => {
    const only = createPiiDetector({ entities: ['EMAIL_ADDRESS'] });
    expect(only.detect('ada@example.com 4111111111111111').map((match) => match.type)).toEqual(['EMAIL_ADDRESS']);
    const strict = createPiiDetector({ minScore: 0.9 });
    expect(strict.detect('Phone: 467 3395')).toEqual([]);
  });

  it('rejects an unknown entity type with INVALID_CONFIG naming the field', () => {
    try {
      createPiiDetector({ entities: ['US_DRIVER_LICENSE' as PiiEntityType] });
      expect.unreachable();
    } catch (error) {
      expect(CascadeError.isInstance(error) && error.code).toBe('INVALID_CONFIG');
      expect((error as Error).message).toContain('entities');
    }
  });

  it('stays linear on adversarial inputs (output is bounded, no hang)', () => {
    const inputs = ['1 '.repeat(20_000), 'a@'.repeat(20_000), ':'.repeat(40_000), '-----BEGIN RSA PRIVATE KEY-----'.repeat(2_000), 'http://'.repeat(10_000), 'eyJ.'.repeat(10_000), '('.repeat(40_000) + '1'];
    for (const input of inputs) expect(Array.isArray(detector.detect(input))).toBe(true);
  });
});

describe('isContextual', () => {
  it('holds exactly for the name, address and date types', () => {
    for (const type of PII_ENTITY_TYPES) expect(isContextual(type)).toBe((PII_NAME_ENTITY_TYPES as readonly string[]).includes(type));
  });
});
