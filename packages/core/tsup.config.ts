import { cascadeBuild } from '../../tsup.shared.ts';

export default cascadeBuild(['openai', 'otel', 'replay', 'test']);
