/** RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes doubled; CRLF line ends. */
export function toCsv(rows: Array<Array<string | number | null>>): string {
	const field = (value: string | number | null) => {
		let text = value === null ? '' : String(value);
		// A leading =, +, - or @ would run as a formula in spreadsheet programs (CSV injection).
		if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
		return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
	};
	return rows.map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}
