#!/usr/bin/env node
// `npm run bench -- [scenario …] [--backend pglite|postgres|both] [--procs N] [--seconds S] [--clients C]`
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
