#!/usr/bin/env node
// The `grove` command. Node ≥ 22.18 runs the TypeScript sources directly.
import { enableCompileCache } from 'node:module';

// Compiled code is cached on disk: a cold `grove` (a mount, an MCP server) starts faster.
enableCompileCache?.();
await import('../src/cli/main.ts');
