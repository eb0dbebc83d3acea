#!/usr/bin/env node
import module from 'node:module';

// Node 22.1+ caches compiled code between runs, which roughly halves start-up; Node 20 has no
// such API and skips this.
module.enableCompileCache?.();
await import('./dist/index.js');
