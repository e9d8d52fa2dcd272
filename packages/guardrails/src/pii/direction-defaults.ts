import type { GuardAction } from '@cascade/core';
import { PII_ENTITY_TYPES, type PiiEntityType } from './pii-entity';

/** Which way text is going: the request on its way to a model, or the model's answer on its way to the user. */
export type PiiDirection = 'input' | 'output';

/**
 * Contact and identity data: kept from the model (input), passed through in answers (output), where it
 * is usually the point — a support answer's link, phone number or address, the user's own name.
 */
export const PII_CONTACT_ENTITY_TYPES: readonly PiiEntityType[] = Object.freeze([
  'EMAIL_ADDRESS', 'PHONE_NUMBER', 'URL', 'IP_ADDRESS', 'PERSON', 'LOCATION', 'ORGANIZATION', 'STREET_ADDRESS', 'DATE_TIME',
]);

const contact = new Set<PiiEntityType>(PII_CONTACT_ENTITY_TYPES);

/**
 * The middleware's default action per entity type and direction, used where no config or policy names
 * one: secrets, keys, card numbers, IBANs and SSNs are redacted both ways; contact and identity data
 * ({@link PII_CONTACT_ENTITY_TYPES}) only on input. An explicit `action`/`actions` (config or policy)
 * wins in both directions; `pii.input` / `pii.output` set one direction.
 */
export const PII_DEFAULT_ACTIONS: Readonly<Record<PiiDirection, Readonly<Record<PiiEntityType, GuardAction>>>> = Object.freeze({
  input: Object.freeze(Object.fromEntries(PII_ENTITY_TYPES.map((type) => [type, 'redact'])) as Record<PiiEntityType, GuardAction>),
  output: Object.freeze(Object.fromEntries(PII_ENTITY_TYPES.map((type) => [type, contact.has(type) ? 'allow' : 'redact'])) as Record<PiiEntityType, GuardAction>),
});
