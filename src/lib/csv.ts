/**
 * Tables as CSV files that open correctly in Excel: UTF-8 with a byte-order mark (without it Excel reads
 * the file as the PC's legacy code page and mangles "’" and accents), CRLF line ends, and every value
 * quoted where it must be (Papa Parse's unparse). Dates are written YYYY-MM-DD, which Excel reads as a date.
 */
import Papa from 'papaparse';
import { offerDownload } from './download';

/** A cell: text, a number, or a calendar date (YYYY-MM-DD). */
export type CsvCell = string | number | { date: string };

export const BOM = '\uFEFF';

export function toCsv(headers: string[], rows: CsvCell[][]): string {
  const plain = rows.map((row) => row.map((cell) => (typeof cell === 'object' ? cell.date : cell)));
  return BOM + Papa.unparse({ fields: headers, data: plain }, { newline: '\r\n', quotes: false, escapeFormulae: true });
}

/** Reads a CSV file made by toCsv (or by Excel saving one as "CSV UTF-8"): header row, then rows of text. */
export function fromCsv(text: string): string[][] {
  const parsed = Papa.parse<string[]>(text.startsWith(BOM) ? text.slice(1) : text, { skipEmptyLines: true });
  return parsed.data;
}

/** Offers the file to the person (the browser's download). */
export function downloadCsv(fileName: string, csv: string): void {
  offerDownload(fileName, csv, 'text/csv;charset=utf-8');
}
