export { MockChatModel, mockProviderError, type MockChatModelOptions, type MockResponse, type MockCall } from './mock-chat-model';
export { collect, fromArray, streamText } from './stream-helpers';
