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

/**
 * What a CSV download sends: UTF-8 with a byte order mark, which Excel needs to read Chinese names
 * as UTF-8 (without it, it guesses the system code page); other programs skip the mark.
 */
export function withBom(csv: string): string {
	return `\uFEFF${csv}`;
}
