import { createCascadeAgent } from '@cascade/core';
import { createOpenAIChatModel } from '@cascade/core/openai';
import { createAuditTrail, createComplianceMiddleware, createDataSubjectRequests, createMemoryProfileStore, createProfileManager, createProfileMiddleware, type PersonalDataSource } from '@cascade/profiles';
import { createSqliteAuditStore } from '@cascade/profiles/sqlite'; // or createPostgresAuditStore from '@cascade/profiles/postgres'

const store = createMemoryProfileStore();
const manager = createProfileManager({}, { store });
const redact = (text: string): string => text.replace(/\S+@\S+/g, '[EMAIL]'); // e.g. createPiiRedactor() of @cascade/guardrails
const trail = createAuditTrail({}, { store: createSqliteAuditStore({ filename: 'audit.db' }), redact });
const compliance = createComplianceMiddleware({ models: { 'llama-local': { modes: ['hipaa', 'gdpr'] } } });
const models = [createOpenAIChatModel({ modelId: 'llama-local', baseURL: 'http://127.0.0.1:11434/v1' }), createOpenAIChatModel({ modelId: 'gpt-4o' })];
// + your limits and guardrails middleware between compliance and the trail (compliance needs input and output guards)
const agent = createCascadeAgent({ models, middleware: [createProfileMiddleware(manager), compliance, trail.middleware] });
setInterval(() => void trail.purge(), 3_600_000).unref(); // retention

const usageSource: PersonalDataSource = { name: 'usage', export: async () => [], erase: async () => 0 }; // your usage ledger
const dsr = createDataSubjectRequests({ profiles: store, manager, audit: trail, others: [usageSource] });
await dsr.export('user_1'); await dsr.erase('user_1');
console.log(agent.stats());
await trail.close(); // on shutdown: writes every queued record
