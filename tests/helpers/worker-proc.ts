// A `svodka worker` with the demo adapter registered: the crash test kills it mid-job.
import { loadEnv } from '../../src/config/env.js';
import { createLogger } from '../../src/log/logger.js';
import { openRuntime } from '../../src/runtime/runtime.js';
import { demoAdapter } from '../fixtures/demo-adapter.js';

const env = loadEnv();
const rt = await openRuntime(env, { units: { adapters: [demoAdapter], plugins: [] }, log: createLogger('warn') });
await rt.startWorker();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void rt.close().then(() => process.exit(0));
});
