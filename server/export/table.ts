// A table to export: columns with Chinese headers and how their numbers are shown.
export type ColumnFormat = 'text' | 'int' | 'decimal' | 'percent';

export interface Column {
  header: string;
  format: ColumnFormat;
  width?: number;
}

export type CellValue = string | number | null;

export interface Sheet {
  name: string;
  /** lines above the header: what the table is (region, year, filters) and 数据截至 */
  title?: string[];
  columns: Column[];
  rows: CellValue[][];
}
