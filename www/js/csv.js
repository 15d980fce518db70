// Records → CSV text. No DOM here, so `node --test tests/js/` can check it.

export const CSV_COLUMNS = ['run', 'shortcuts', 'depth', 'step', 'train_loss', 'train_error',
  'test_error', 'ms'];

// One cell: null/undefined → empty (not measured); non-finite numbers keep a spelling that
// Python and pandas read back (`nan`, `inf`, `-inf`); text with a comma or quote is quoted.
export function csvCell(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
    return String(value);
  }
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

// `records` are objects shaped like the worker's records; errors stay fractions in [0, 1].
export function recordsToCsv(records) {
  const lines = [CSV_COLUMNS.join(',')];
  for (const record of records) {
    lines.push(CSV_COLUMNS.map((column) => csvCell(record[column])).join(','));
  }
  return lines.join('\n') + '\n';
}
