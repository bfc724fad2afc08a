/** subset-font 2.9.0 ships no types; only what the certificate uses is declared. */
declare module 'subset-font' {
	export interface SubsetOptions {
		targetFormat?: 'sfnt' | 'truetype' | 'woff' | 'woff2';
		noLayoutClosure?: boolean;
		preserveNameIds?: number[];
		keepFeatures?: string[];
		noHinting?: boolean;
	}
	export default function subsetFont(font: Uint8Array, text: string, options?: SubsetOptions): Promise<Buffer>;
}
