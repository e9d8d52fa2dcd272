export { traceSchema, traceResponseSchema, traceModelsSchema, type Trace, type TraceResponse, type TraceModels } from './trace-schema';
export { parseTraces, readTraceFile, readTraceModels } from './read-traces';
export { createReplayModel, createReplayModels, replayPrices, modelsByCost, promptKey, type ReplayModelOptions, type ReplayPacing } from './replay-model';
export { createTraceRecorder, fileTraceSink, type TraceRecorder, type TraceRecorderOptions, type TraceSink } from './trace-recorder';
