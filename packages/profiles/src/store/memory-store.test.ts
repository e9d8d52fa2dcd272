import { describeProfileStoreContract } from './__fixtures__/store-contract';
import { createMemoryProfileStore } from './memory-store';

describeProfileStoreContract('memory', async () => createMemoryProfileStore(), async () => undefined);
