// @cascade/profiles: see issue; exports land here.
export {};
