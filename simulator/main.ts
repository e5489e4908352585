/**
 * Standalone simulator: `npm run simulator [-- --seed-demo]`.
 * Env: PORT (default 4010), HOST (default 127.0.0.1), WHOP_API_KEY, WHOP_WEBHOOK_SECRET
 * (ws_<hex> or whsec_<base64>; generated if unset), WEBHOOK_TARGET_URL,
 * WEBHOOK_RETRY_DELAYS_MS (comma-separated, default 10000,20000,40000).
 */
import { seedDemoScenario } from './demo-seed.js';
import { startWhopSimulator } from './whop-simulator.js';

const env = process.env;
const retryDelays = env.WEBHOOK_RETRY_DELAYS_MS?.split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isFinite(n) && n >= 0);

const sim = await startWhopSimulator({
  port: Number(env.PORT ?? 4010),
  host: env.HOST ?? '127.0.0.1',
  ...(env.WHOP_API_KEY ? { apiKey: env.WHOP_API_KEY } : {}),
  webhook: {
    url: env.WEBHOOK_TARGET_URL || null,
    ...(env.WHOP_WEBHOOK_SECRET ? { secret: env.WHOP_WEBHOOK_SECRET } : {}),
    ...(retryDelays?.length ? { retryDelaysMs: retryDelays } : {}),
  },
});

console.log(`Whop simulator listening: ${sim.baseURL}`);
console.log(`  API key:          ${sim.apiKey}`);
console.log(`  webhook secret:   ${sim.webhookSecret}  (SDK webhookKey: ${sim.sdkWebhookKey})`);
console.log(`  webhook target:   ${sim.webhooks.targetUrl ?? '(none; set WEBHOOK_TARGET_URL)'}`);
console.log(
  `  control routes:   ${sim.origin}/_sim/state, /_sim/requests, /_sim/webhooks, POST /_sim/actions/:name`,
);

if (process.argv.includes('--seed-demo')) {
  const demo = seedDemoScenario(sim);
  console.log(`Seeded demo scenario for company ${demo.companyId}:`);
  console.log(JSON.stringify(demo, null, 2));
}

let closing = false;
const shutdown = async () => {
  if (closing) return;
  closing = true;
  await sim.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
