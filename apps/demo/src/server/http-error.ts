/** An error of the server itself (routing, auth, body), written for the client, answered in OpenAI's shape: `{ error: { message, type, code, param } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
    readonly param: string | null = null,
    /** For the operator's log only (never answered): what exactly went wrong. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
