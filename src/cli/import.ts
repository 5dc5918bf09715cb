/** `plaza import products FILE.csv`: imports a catalog CSV and prints the per-row error report. */
import { readFileSync } from 'node:fs';
import { formatImportErrors, importProductsCsv } from '../modules/catalog/index.ts';
import { ConfigError } from '../platform/config.ts';
import { progress } from '../platform/progress.ts';
import type { Runtime } from '../runtime.ts';

/** The file's bytes: the import decodes them and reports lines that are not UTF-8. */
const readCsv = (file: string): Uint8Array => {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new ConfigError(`cannot read ${file}: ${(e as Error).message}`);
  }
};

/** Runs the import; returns the process exit code (1 when some rows were refused). */
export const importProducts = async (rt: Runtime, file: string, batchRows?: number): Promise<number> => {
  const r = await importProductsCsv(rt.deps, readCsv(file), { progress, batchRows });
  console.log(
    `Imported ${file} in ${(r.ms / 1000).toFixed(1)} s: ${r.rows} rows, ` +
      `${r.products_created} products created, ${r.products_updated} updated, ` +
      `${r.variants_created} variants created, ${r.variants_updated} updated, ${r.prices_changed} prices changed.`,
  );
  if (r.errors.length === 0) return 0;
  console.error(`\n${r.errors.length} row(s) not imported:`);
  for (const line of formatImportErrors(r.errors)) console.error(`  ${line}`);
  return 1;
};
