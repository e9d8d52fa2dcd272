import { createGuardrailsMiddleware } from '@cascade/guardrails';
createGuardrailsMiddleware({ pii: { actions: { URL: 'redact' } } });                 // both directions
createGuardrailsMiddleware({ pii: { output: { actions: { EMAIL_ADDRESS: 'mask' } } } }); // answers only
createGuardrailsMiddleware({ pii: { action: 'redact' } });                           // every type, both ways (the old default)
