export { createOpenAIModerator, openAIModeratorConfigSchema, type OpenAIModeratorConfig, type OpenAIModeratorDependencies } from './openai-moderator';
