import { describeAuditStoreContract } from './__fixtures__/audit-store-contract';
import { createMemoryAuditStore } from './memory-audit-store';

describeAuditStoreContract('memory', () => createMemoryAuditStore());
