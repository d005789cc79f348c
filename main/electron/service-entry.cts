/**
 * The library service's entry point as CommonJS: utilityProcess.fork gets a module every Electron
 * version loads, which then imports the (ES module) service.
 */
import('./service.js').catch((error: unknown) => {
  console.error('likeness: the library service failed to load:', error);
  process.exit(1);
});
