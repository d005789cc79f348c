#!/usr/bin/env node
// The `likeness` command. The TypeScript sources are compiled to dist/ by `npm install` (prepare).
import '../dist/main/cli/main.js';
