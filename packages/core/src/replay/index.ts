// Trace replay lands here (see issue 2).
export {};
