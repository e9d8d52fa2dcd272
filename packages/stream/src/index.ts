// @cascade/stream: see issue; exports land here.
export {};
