import { XMLParser } from 'fast-xml-parser';
import { FormatError } from '../errors';

/**
 * The Heidelberg XML export as a tree of plain nodes: every element an array (so one and many read
 * alike), text under '#text', attributes under '@_name'. fast-xml-parser bounds nesting and entity
 * expansion itself; the file size is bounded before parsing.
 */

export interface XmlNode {
  [key: string]: (XmlNode | string)[] | string | undefined;
}

export const MAX_XML_BYTES = 64 * 1024 * 1024;

export function parseXml(file: string, bytes: Uint8Array): XmlNode {
  if (bytes.length > MAX_XML_BYTES) throw new FormatError(file, 'XML', `${bytes.length} bytes is more than the ${MAX_XML_BYTES} accepted`, 'too-large');
  const text = new TextDecoder('utf-8').decode(bytes);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    isArray: (_name: string, _path: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute,
  });
  try {
    return parser.parse(text, true) as XmlNode;
  } catch (error) {
    // The parser's message can quote the document (names, dates): only its line number goes out.
    const line = /line[:\s]+(\d+)/i.exec(error instanceof Error ? error.message : '')?.[1];
    throw new FormatError(file, 'XML', `is not well-formed${line ? ` (line ${line})` : ''}`);
  }
}

/** The first child element `name` (or a path 'A/B/C'), or undefined. */
export function child(node: XmlNode | undefined, path: string): XmlNode | undefined {
  let current = node;
  for (const name of path.split('/')) {
    const value = current?.[name];
    const first = Array.isArray(value) ? value[0] : undefined;
    current = first && typeof first === 'object' ? first : undefined;
    if (!current) return undefined;
  }
  return current;
}

export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  const value = node?.[name];
  return Array.isArray(value) ? value.filter((v): v is XmlNode => typeof v === 'object') : [];
}

/** An element's text: a leaf comes back from the parser as a string or an object with '#text'. */
export function text(node: XmlNode | undefined, path: string): string | undefined {
  const parts = path.split('/');
  const last = parts.pop() as string;
  const parent = parts.length ? child(node, parts.join('/')) : node;
  const value = parent?.[last];
  const first = Array.isArray(value) ? value[0] : undefined;
  if (typeof first === 'string') return first;
  if (first && typeof first === 'object' && typeof first['#text'] === 'string') return first['#text'] as string;
  return first && typeof first === 'object' ? '' : undefined;
}

export function number(node: XmlNode | undefined, path: string): number | null {
  const t = text(node, path);
  if (t === undefined || t.trim() === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

export function attribute(node: XmlNode | undefined, name: string): string | undefined {
  const value = node?.[`@_${name}`];
  return typeof value === 'string' ? value : undefined;
}
