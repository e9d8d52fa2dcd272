import type { CallOptions, ChatModel, ChatRequest, StreamPart } from '@cascade/core';

/**
 * Wraps a model to report every request it receives — what the model really saw, after the
 * pipeline's guards — so the tour can show a redacted prompt. Forwards each member explicitly.
 */
export function withRequestTap(model: ChatModel, onRequest: (modelId: string, request: ChatRequest) => void): ChatModel {
  return {
    specificationVersion: model.specificationVersion,
    provider: model.provider,
    modelId: model.modelId,
    ...(model.supportsChoiceCount !== undefined ? { supportsChoiceCount: model.supportsChoiceCount } : {}),
    doGenerate(request: ChatRequest, options?: CallOptions) {
      onRequest(model.modelId, request);
      return model.doGenerate(request, options);
    },
    async *doStream(request: ChatRequest, options?: CallOptions): AsyncIterable<StreamPart> {
      onRequest(model.modelId, request);
      yield* model.doStream(request, options);
    },
  };
}
