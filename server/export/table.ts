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
  columns: Column[];
  rows: CellValue[][];
}
