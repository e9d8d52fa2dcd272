// @cascade/batch: see issue; exports land here.
export {};
