export { createRedisStore, redisStoreConfigSchema, redisKeyOf, type RedisStore, type RedisStoreConfig, type RedisStoreDependencies, type RedisScriptClient } from './redis-store';
export { LIMIT_SCRIPT, LIMIT_SCRIPT_SHA } from './limit-script';
