/** The media type of every Excel workbook the system writes or serves. */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
