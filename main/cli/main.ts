/** The `likeness` command line: dispatches to one sub-command and turns errors into messages. */
import { commands } from './commands/index.js';
import { UsageError } from './args.js';

function help(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return [
    'Likeness — a photo library that understands what is in the pictures.',
    '',
    'Usage:',
    ...Object.values(commands).map((c) => `  ${c.usage}`),
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Without --db, the library lives in your user data folder.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(help());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`likeness: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`Usage: ${command.usage}`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`likeness ${name}: ${error.message}\nUsage: ${command.usage}`);
      return 2;
    }
    console.error(`likeness ${name}: ${(error as Error).message}`);
    if (process.env.LIKENESS_DEBUG) console.error((error as Error).stack);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
