/**
 * The one escape for text put into SVG/XML (report pages, previews, legends). Besides the five markup
 * characters it drops what XML 1.0 forbids anywhere in a document (C0 controls other than TAB/LF/CR,
 * lone surrogates, U+FFFE/U+FFFF): librsvg refuses the whole page over one of them ("PCDATA invalid
 * Char value"), and a file name may carry any of them.
 */
// eslint-disable-next-line no-control-regex
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for SVG/XML content and attribute values (quoted either way). */
export function escapeXml(text: string): string {
  return text.replace(XML_FORBIDDEN, '').replace(/[&<>"']/g, (c) => ENTITY[c]!);
}
