export {
  createOpenAIChatModel,
  openAIChatModelConfigSchema,
  type OpenAIChatModelConfig,
  type OpenAIChatModelDependencies,
} from './openai-chat-model';
export { mapOpenAIError, isRetryableStatus, retryAfterMsFrom, type OpenAIErrorContext } from './map-openai-error';
export { mapFinishReason, mapToolCalls } from './map-openai-response';
export { toChatCompletionBody, type MaxTokensParameter } from './chat-completion-body';
