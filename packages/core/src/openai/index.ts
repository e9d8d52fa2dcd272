// The OpenAI-compatible adapter lands here (see issue 2).
export {};
