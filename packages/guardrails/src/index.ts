// @cascade/guardrails: see issue; exports land here.
export {};
