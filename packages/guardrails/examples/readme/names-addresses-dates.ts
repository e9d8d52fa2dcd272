import { createPiiRedactor, PII_ENTITY_TYPES } from '@cascade/guardrails';

const redactor = createPiiRedactor({ entities: [...PII_ENTITY_TYPES] }); // or list the types you want
console.log(redactor.redact('Margaret Thornton moved to 90 Whitchurch Road, Cardiff on June 5, 2020.').text);
// '[PERSON] moved to [STREET_ADDRESS], [LOCATION] on [DATE_TIME].' (what the model finds; see the figures below)
