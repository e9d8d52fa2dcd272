/**
 * A tool the model may call, OpenAI chat shape. `parameters` is a JSON schema of the arguments object;
 * with `strict` the provider constrains the arguments to it (the cascade checks them either way).
 */
export interface ToolDefinition {
  type: 'function';
  function: {
    name: string;
    description?: string;
    parameters?: Record<string, unknown>;
    strict?: boolean;
  };
}

/**
 * Whether and which tool the model must call: `auto` (may), `none` (must not), `required` (must call
 * at least one), or one named tool.
 */
export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };
