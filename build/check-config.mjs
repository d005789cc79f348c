#!/usr/bin/env node
// Validates build/electron-builder.yml against electron-builder's own schema, offline (no Electron
// download, no packaging): `node build/check-config.mjs`. Exits 1 with the schema errors if invalid.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const configPath = path.join(root, 'build', 'electron-builder.yml');
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config');
const { DebugLogger } = require('builder-util');

try {
  const config = await getConfig(root, configPath, null);
  await validateConfiguration(config, new DebugLogger(false));
  const missing = [config.linux?.icon, config.mac?.entitlements].filter((f) => f && !fs.existsSync(path.join(root, f)));
  if (missing.length) throw new Error(`missing files: ${missing.join(', ')}`);
  console.log(`electron-builder config OK: ${path.relative(root, configPath)} (${config.productName}, ${config.appId})`);
} catch (error) {
  console.error(`electron-builder config is invalid:\n${error.message}`);
  process.exit(1);
}
