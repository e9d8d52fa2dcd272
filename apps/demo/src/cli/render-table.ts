/** A column of a text table. */
export interface Column {
  header: string;
  align?: 'left' | 'right';
}

// Colour codes take no width on screen.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const width = (text: string): number => text.replace(ANSI, '').length;

function pad(text: string, size: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, size - width(text)));
  return align === 'right' ? fill + text : text + fill;
}

/** Renders rows as an aligned text table with a header rule; returns its lines. */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string[] {
  const sizes = columns.map((column, index) => Math.max(width(column.header), ...rows.map((row) => width(row[index] ?? ''))));
  const renderRow = (cells: readonly string[]): string =>
    columns.map((column, index) => pad(cells[index] ?? '', sizes[index]!, column.align ?? 'left')).join('  ').trimEnd();
  return [renderRow(columns.map((column) => column.header)), sizes.map((size) => '─'.repeat(size)).join('  '), ...rows.map(renderRow)];
}

/** `$0.001234` with enough digits for tiny amounts. */
export function formatUsd(value: number): string {
  if (value === 0) return '$0';
  if (Math.abs(value) >= 1) return `$${value.toFixed(2)}`;
  if (Math.abs(value) >= 0.01) return `$${value.toFixed(4)}`;
  return `$${value.toFixed(6)}`;
}

/** `42.0%`. */
export function formatPercent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

/** `1.2 s` or `85 ms`. */
export function formatMs(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}
