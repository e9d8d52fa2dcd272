// Provider batch APIs (OpenAI-compatible `/v1/batches`), on the official `openai` SDK.
export {
  createOpenAIBatchRunner,
  openAIBatchRunnerConfigSchema,
  type OpenAIBatchRunner,
  type OpenAIBatchRunnerConfig,
  type OpenAIBatchRunnerDeps,
  type OpenAIBatchSubmitOptions,
  type OpenAIBatchWaitOptions,
  type OpenAIBatchJob,
  type OpenAIBatchStatus,
  type OpenAIBatchItemResult,
  type OpenAIBatchSummary,
  type OpenAIBatchReport,
} from './openai-batch-runner';
