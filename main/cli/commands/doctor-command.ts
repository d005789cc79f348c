import path from 'node:path';
import { defaultDbPath } from '../../core/paths.js';
import { examineDatabase } from '../../core/store/doctor.js';
import { dbOption, jsonOption, parse, printJson } from '../args.js';

export const usage = 'likeness doctor [--db FILE] [--json]';

/** The full check of the library database; exit 1 when something is wrong (and what to do). */
export async function doctorCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { ...dbOption, ...jsonOption });
  const report = examineDatabase(path.resolve(values.db ?? defaultDbPath()));
  if (values.json) {
    printJson(report);
    return report.ok ? 0 : 1;
  }
  console.log(`Library: ${report.file}`);
  if (report.readOnly) console.log(`Read-only: ${report.readOnly} (checked from a private copy).`);
  if (report.structure.length === 0) console.log('Structure: sound (SQLite integrity check passed).');
  else {
    console.log('Structure: damaged:');
    for (const problem of report.structure.slice(0, 20)) console.log(`  ${problem}`);
    if (report.structure.length > 20) console.log(`  … and ${report.structure.length - 20} more`);
  }
  const { checked, damaged, queued } = report.vectors;
  if (report.structure.length === 0) {
    console.log(`Vectors: ${checked} checked, ${damaged.length ? `${damaged.length} damaged${queued ? ' (queued to be embedded again)' : ''}:` : 'none damaged.'}`);
    for (const d of damaged.slice(0, 50)) console.log(`  ${d.path}\n      ${d.reason}`);
    if (damaged.length > 50) console.log(`  … and ${damaged.length - 50} more`);
  }
  console.log(report.advice ?? 'Nothing to do.');
  return report.ok ? 0 : 1;
}
