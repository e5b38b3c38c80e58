/**
 * Writes export rows as CSV (RFC 4180, UTF-8, header row, empty field for null) or Parquet
 * (hyparquet-writer, one typed, nullable column per field). The file appears whole or not at all:
 * it is written beside its destination under a temporary name and renamed.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { EXPORT_COLUMNS, type ExportRow } from './rows';

export const EXPORT_FORMATS = ['csv', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: readonly ExportRow[]): string {
  const lines = [EXPORT_COLUMNS.map((c) => c.name).join(',')];
  for (const row of rows) lines.push(EXPORT_COLUMNS.map((c) => csvField(row[c.name])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function toParquet(rows: readonly ExportRow[]): Uint8Array {
  const buffer = parquetWriteBuffer({
    columnData: EXPORT_COLUMNS.map((column) => ({
      name: column.name,
      type: column.type,
      nullable: true,
      data: rows.map((row) => row[column.name]),
    })),
  });
  return new Uint8Array(buffer);
}

export function writeExport(rows: readonly ExportRow[], format: ExportFormat, file: string): void {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.partial`);
  try {
    writeFileSync(temporary, format === 'csv' ? toCsv(rows) : toParquet(rows));
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
