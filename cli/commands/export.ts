/** `personaact export ID --format csv|parquet [--out PATH]`: interactions as one table for pandas and R. */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { KeySegmentSchema } from '../../core/primitives';
import { cliConfig } from '../config';
import { UserError } from '../errors';
import { openCliStore } from '../audit/store';
import { collectRows, EXPORT_KINDS, resolveKind, type ExportKind } from '../export/collect';
import { EXPORT_COLUMNS } from '../export/rows';
import { EXPORT_FORMATS, writeExport, type ExportFormat } from '../export/write';

export interface ExportOptions {
  format: ExportFormat;
  out?: string;
  kind?: ExportKind;
  force?: boolean;
}

/** Checks everything, then writes the file; returns what it wrote. */
export async function exportAction(id: string, options: ExportOptions, out: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Promise<{ file: string; rows: number; kind: ExportKind }> {
  const idCheck = KeySegmentSchema.safeParse(id);
  if (!idCheck.success) throw new UserError(`ID "${id}": ${idCheck.error.issues[0]?.message ?? 'invalid'}`);
  const file = resolve(options.out ?? `${id}.${options.format}`);
  if (!existsSync(dirname(file)) || !statSync(dirname(file)).isDirectory()) throw new UserError(`--out ${options.out}: folder ${dirname(file)} does not exist`);
  if (existsSync(file) && !options.force) throw new UserError(`--out ${file} already exists (use --force to replace it)`);
  const store = openCliStore(cliConfig());
  const kind = await resolveKind(store, id, options.kind);
  const rows = await collectRows(store, id, kind);
  if (rows.length === 0) throw new UserError(`${kind} ${id} has no interaction records yet; nothing written`);
  writeExport(rows, options.format, file);
  const audits = new Set(rows.map((row) => row.audit)).size;
  out(`wrote ${rows.length} interactions of ${audits} audit(s) of ${kind} ${id} to ${file}`);
  return { file, rows: rows.length, kind };
}

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('write every interaction of an audit, study or series as one CSV or Parquet table (for pandas and R)')
    .argument('<id>', 'an audit id, a study id or a series id (which one is found in the artifact store)')
    .addOption(new Option('--format <format>', 'file format').choices(EXPORT_FORMATS).makeOptionMandatory())
    .option('--out <path>', 'file to write (default: ./<id>.<format>)')
    .addOption(new Option('--kind <kind>', 'what the id names, when an audit, study or series share it').choices(EXPORT_KINDS))
    .option('--force', 'replace --out if it exists', false)
    .addHelpText('after', `
One row per interaction, columns: ${EXPORT_COLUMNS.map((c) => c.name).join(', ')}.
study/cell/arm/replicate are set for a study's audits, series/session for a series' sessions
(arm is then the session's role: original or reversed); list-valued fields are '|'-separated.
Read from the artifact store alone (PERSONAACT_ARTIFACTS); the file appears whole or not at all.
Column meanings: docs/exports.md.

Examples:
  personaact export my-study --format parquet      # pandas.read_parquet("my-study.parquet")
  personaact export audit-user-a-20260105T090000-1a2b --format csv --out feed.csv   # read.csv("feed.csv") in R`)
    .action(async (id: string, flags: ExportOptions) => {
      await exportAction(id, flags);
    });
}
