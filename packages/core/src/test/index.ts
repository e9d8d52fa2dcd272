export { MockChatModel, mockProviderError, type MockChatModelOptions, type MockResponse, type MockCall } from './mock-chat-model';
export { collect, fromArray, streamText } from './stream-helpers';
export { simulateMissingPackage } from './simulate-missing-package';
export {
  createFakeOpenAIServer,
  type FakeOpenAIServer,
  type FakeOpenAIServerOptions,
  type FakeChatScript,
  type FakeRequestRecord,
  type FakeServerStats,
} from './fake-openai-server/fake-openai-server';
export type { FakeChatReply, FakeChatHandler, FakeChatCompletionRequest, FakeFinishReason } from './fake-openai-server/fake-chat-completion';
export type { FakeFault, FakeFaultOptions } from './fake-openai-server/fake-fault';
export {
  FAKE_MODERATION_CATEGORIES,
  type FakeModerationCategory,
  type FakeModerationScores,
  type FakeModerationRule,
  type FakeModerationHandler,
} from './fake-openai-server/fake-moderation';
export { DEFAULT_BATCH_SCHEDULE, type FakeBatchStatus, type FakeBatchSchedule, type FakeBatchInfo } from './fake-openai-server/fake-batches';
