// Worker-thread entry of the forecasting pool (pool.ts): TypeScript runs through tsx, as in bin/plaza.mjs.
import { register } from 'tsx/esm/api';

register();
await import('./worker-main.ts');
