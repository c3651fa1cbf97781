// Which code a command runs: the JavaScript that `npm run build` compiled into build/, or the
// TypeScript source through tsx's loader (development, where tsx is installed).
import { existsSync, readdirSync, statSync } from 'node:fs';

const ROOT = new URL('../', import.meta.url);

/** The newest modification time of any file under a folder (a few milliseconds for src/). */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(`${entry.parentPath}/${entry.name}`).mtimeMs);
  }
  return latest;
}

/** build/<name>.js when it exists and no source file is newer than it (or `always`: production runs what was built). */
export function compiled(name, { always = false } = {}) {
  const file = new URL(`build/${name}.js`, ROOT);
  if (!existsSync(file)) return undefined;
  const source = new URL('src/', ROOT);
  if (always || !existsSync(source) || statSync(file).mtimeMs >= newest(source)) return file;
  return undefined;
}

/** Runs src/<name>.ts through tsx (a development dependency). */
export async function runSource(name) {
  const { register } = await import('tsx/esm/api');
  register();
  return import(new URL(`src/${name}.ts`, ROOT).href);
}

export { ROOT };
