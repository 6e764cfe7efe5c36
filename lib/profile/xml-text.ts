/**
 * Writing XML text without a DOM: escaping, refusal of what XML 1.0 cannot carry, and a small
 * element tree that prints with indentation. Profiles are written here and parsed by EAPHost's
 * own parser (MSXML on Windows, the portable host elsewhere), so every string that enters a
 * document passes through `xmlText` first.
 */

/** XML 1.0 §2.2 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. */
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Refuses text XML 1.0 cannot represent (NUL, most C0 controls, lone surrogates, U+FFFE/FFFF). */
export function checkXmlChars(value: string, name: string): string {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string`);
  const bad = NOT_XML_CHAR.exec(value);
  if (bad) {
    const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw new TypeError(`${name} holds U+${code} at offset ${bad.index}, which XML 1.0 cannot carry`);
  }
  return value;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;', '\n': '&#10;', '\t': '&#9;',
};

/** `value` as XML character data or attribute text: checked, then & < > " ' escaped. CR, LF and
 *  tab are written as character references: a parser's line-end and attribute normalization keeps
 *  them, and a written document stays one element per line, so embedding it in another with more
 *  indentation (windows-profile.ts) cannot put spaces into a text that held a line break. */
export function xmlText(value: string, name: string): string {
  return checkXmlChars(value, name).replace(/[&<>"'\r\n\t]/g, (c) => ESCAPES[c]);
}

/** An element: name, attributes (written in the order given), then text or children. */
export interface XmlElement {
  name: string;
  attributes?: [string, string][];
  text?: string;
  children?: XmlElement[];
}

export function element(name: string, content?: string | XmlElement[], attributes?: [string, string][]): XmlElement {
  if (typeof content === 'string') return { name, text: content, attributes };
  return { name, children: content, attributes };
}

function open(node: XmlElement): string {
  const attributes = (node.attributes ?? []).map(([key, value]) => ` ${key}="${xmlText(value, key)}"`).join('');
  return `${node.name}${attributes}`;
}

function write(node: XmlElement, depth: number, lines: string[]): void {
  const pad = '  '.repeat(depth);
  if (node.text !== undefined) {
    lines.push(node.text.length === 0 ? `${pad}<${open(node)}/>`
      : `${pad}<${open(node)}>${xmlText(node.text, node.name)}</${node.name}>`);
    return;
  }
  if (!node.children || node.children.length === 0) {
    lines.push(`${pad}<${open(node)}/>`);
    return;
  }
  lines.push(`${pad}<${open(node)}>`);
  for (const child of node.children) write(child, depth + 1, lines);
  lines.push(`${pad}</${node.name}>`);
}

/** The document: an XML declaration (UTF-8) and `root`, two-space indented, ending in a newline. */
export function xmlDocument(root: XmlElement): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  write(root, 0, lines);
  return lines.join('\n') + '\n';
}
