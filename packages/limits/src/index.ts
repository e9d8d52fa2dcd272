// @cascade/limits: see issue; exports land here.
export {};
