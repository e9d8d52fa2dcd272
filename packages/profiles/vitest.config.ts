import { cascadeProject } from '../../vitest.shared.ts';

export default cascadeProject('@cascade/profiles');
