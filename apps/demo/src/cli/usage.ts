/** The CLI's help text. */
export const USAGE = `Cascade demo — the whole agent, offline by default (replays real recorded answers).

  pnpm demo                                   the tour (no key, no network)
      [--traces file.traces.jsonl]...         replay another trace file (e.g. ../shared/data/traces/gsm8k-routellm.traces.jsonl)
      [--speed 10 | --no-pacing]              replay speed-up, or answer instantly
  pnpm demo ask "<question>" [--user U] [--stream]
  pnpm demo batch <file.jsonl> [--user U] [--concurrency 8]
                                              lines: "prompt" or {"id","prompt"|"messages","user"}
  pnpm demo serve [--port 8787] [--host 127.0.0.1] [--redis redis://127.0.0.1:6379] [--redis-prefix cascade:demo:limits]
                                              OpenAI-compatible server: /v1/chat/completions, /v1/ui/chat (useChat), /v1/models, /v1/usage
                                              limits (rate, tokens, budget): in this process's memory, or on Redis with
                                              --redis / REDIS_URL (prefix: CASCADE_REDIS_PREFIX) so every server process
                                              shares them; Redis unreachable at start: exit 1, later: 429 until it is back.
                                              Profiles, keys, /v1/usage spend and the learned state: the SQLite file, or
                                              PostgreSQL with DATABASE_URL (schema: CASCADE_PG_SCHEMA) so every host shares them.
      [--admin-key K]                         CASCADE_ADMIN_KEY (16+ characters): serves GET /metrics (Prometheus text)
                                              and /dashboard (open /dashboard#key=K in a browser)
      [--heartbeat-ms 15000]                  streamed answers: an SSE ": ping" comment after this long without
                                              a write, so proxies keep idle connections (CASCADE_SSE_HEARTBEAT_MS; 0: off)
  pnpm demo admin create-user <userId> [--tier free|starter|pro|business|enterprise]
  pnpm demo admin create-key <userId> [--label name]    prints the key once; stored hashed
  pnpm demo admin set-tier <userId> <tier>
  pnpm demo admin list                        users and key hints
  pnpm demo admin revoke-key <keyId>
  pnpm demo admin delete-user <userId>        deletes the profile and its keys (usage rows are kept)
  pnpm demo admin export-user <userId>        GDPR access: profile, key hints, usage rows and audit records as JSON
  pnpm demo admin erase-user <userId>         GDPR erasure: profile, keys, usage rows and audit records

Live models: set OPENAI_API_KEY and/or OPENAI_BASE_URL, and CASCADE_MODELS=cheap,strong
(e.g. CASCADE_MODELS=gpt-4o-mini,gpt-4o). CASCADE_PRICES='{"model":{"inputUsdPerMTok":0,"outputUsdPerMTok":0}}'
prices models missing from the built-in table. Server, ask, batch and admin share CASCADE_DEMO_DB
(default apps/demo/.data/cascade-demo.sqlite), or PostgreSQL when DATABASE_URL is set. Only serve reads REDIS_URL: the tour stays offline and
self-contained, and ask and batch keep their limits in their own process.`;
