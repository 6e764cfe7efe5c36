/**
 * Reading the XML documents profiles arrive in (eap-config): elements, attributes, text, CDATA,
 * comments and processing instructions, the five predefined entities and character references.
 * A DOCTYPE is refused: entity declarations are how XML documents blow up a reader, and no
 * profile format needs one. Sizes and depth are bounded; any malformation is a ProfileError.
 */
import { ProfileError } from './network-profile';
import { checkXmlChars } from './xml-text';

export interface XmlNode {
  /** The name without its prefix. */
  name: string;
  attributes: Record<string, string>;
  /** The element's own character data, concatenated. */
  text: string;
  children: XmlNode[];
}

export const MAX_XML_BYTES = 4 << 20;
const MAX_DEPTH = 64;
const NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?/;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function malformed(message: string): never {
  throw new ProfileError('malformed-document', '', `malformed XML: ${message}`);
}

function decode(raw: string, at: number): string {
  return raw.replace(/&([^;&\s]{1,10});|&/g, (match, ref: string | undefined) => {
    if (ref === undefined) malformed(`a bare '&' near offset ${at}`);
    if (ref[0] === '#') {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!Number.isInteger(code) || code > 0x10ffff || !/^#(x[0-9A-Fa-f]+|[0-9]+)$/.test(ref)) malformed(`bad character reference &${ref};`);
      const char = String.fromCodePoint(code);
      try {
        checkXmlChars(char, 'character reference');
      } catch {
        malformed(`&${ref}; is not an XML character`);
      }
      return char;
    }
    const predefined = PREDEFINED[ref];
    if (predefined === undefined) malformed(`undeclared entity &${ref};`);
    return predefined;
  });
}

function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon < 0 ? qualified : qualified.slice(colon + 1);
}

/** The document's root element. */
export function readXml(input: string | Buffer): XmlNode {
  const text = Buffer.isBuffer(input) ? input.toString('utf8') : input;
  if (Buffer.byteLength(text) > MAX_XML_BYTES) malformed(`over ${MAX_XML_BYTES} bytes`);
  try {
    checkXmlChars(text, 'document');
  } catch (error) {
    malformed((error as Error).message);
  }
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const stack: { node: XmlNode; qualified: string }[] = [];
  let root: XmlNode | undefined;

  const skipMisc = (): void => {
    for (;;) {
      while (pos < text.length && /\s/.test(text[pos])) ++pos;
      if (text.startsWith('<?', pos)) {
        const end = text.indexOf('?>', pos);
        if (end < 0) malformed('unterminated processing instruction');
        pos = end + 2;
      } else if (text.startsWith('<!--', pos)) {
        const end = text.indexOf('-->', pos + 4);
        if (end < 0) malformed('unterminated comment');
        pos = end + 3;
      } else if (text.startsWith('<!DOCTYPE', pos)) {
        malformed('a DOCTYPE is not accepted');
      } else {
        return;
      }
    }
  };

  skipMisc();
  while (pos < text.length) {
    if (root !== undefined && stack.length === 0) {
      skipMisc();
      if (pos < text.length) malformed(`content after the root element at offset ${pos}`);
      break;
    }
    const lt = text.indexOf('<', pos);
    if (lt !== pos) {
      const end = lt < 0 ? text.length : lt;
      const chars = text.slice(pos, end);
      if (stack.length === 0) {
        if (chars.trim() !== '') malformed(`text outside the root element at offset ${pos}`);
      } else {
        stack[stack.length - 1].node.text += decode(chars, pos);
      }
      pos = end;
      continue;
    }
    if (text.startsWith('<!--', pos)) {
      const end = text.indexOf('-->', pos + 4);
      if (end < 0) malformed('unterminated comment');
      pos = end + 3;
    } else if (text.startsWith('<![CDATA[', pos)) {
      const end = text.indexOf(']]>', pos);
      if (end < 0 || stack.length === 0) malformed('misplaced or unterminated CDATA');
      stack[stack.length - 1].node.text += text.slice(pos + 9, end);
      pos = end + 3;
    } else if (text.startsWith('<?', pos)) {
      const end = text.indexOf('?>', pos);
      if (end < 0) malformed('unterminated processing instruction');
      pos = end + 2;
    } else if (text.startsWith('<!', pos)) {
      malformed(`a declaration is not accepted at offset ${pos}`);
    } else if (text[pos + 1] === '/') {
      const match = NAME.exec(text.slice(pos + 2, pos + 2 + 256));
      const open = stack.pop();
      if (!match || !open || match[0] !== open.qualified) malformed(`unexpected end tag at offset ${pos}`);
      pos += 2 + match[0].length;
      while (/\s/.test(text[pos] ?? '')) ++pos;
      if (text[pos] !== '>') malformed(`bad end tag at offset ${pos}`);
      ++pos;
    } else {
      const match = NAME.exec(text.slice(pos + 1, pos + 1 + 256));
      if (!match) malformed(`bad tag at offset ${pos}`);
      if (root !== undefined && stack.length === 0) malformed('two root elements');
      if (stack.length >= MAX_DEPTH) malformed(`nested deeper than ${MAX_DEPTH}`);
      pos += 1 + match[0].length;
      const node: XmlNode = { name: localName(match[0]), attributes: {}, text: '', children: [] };
      for (;;) {
        const spaced = /^\s+/.exec(text.slice(pos, pos + 4096));
        if (spaced) pos += spaced[0].length;
        if (text.startsWith('/>', pos) || text[pos] === '>') break;
        if (!spaced) malformed(`attributes need white space before them at offset ${pos}`);
        const attribute = /^([A-Za-z_][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(text.slice(pos, pos + MAX_XML_BYTES));
        if (!attribute) malformed(`bad attribute at offset ${pos}`);
        const key = localName(attribute[1]);
        if (Object.prototype.hasOwnProperty.call(node.attributes, key)) malformed(`attribute ${key} given twice`);
        node.attributes[key] = decode(attribute[3] ?? attribute[4], pos);
        pos += attribute[0].length;
      }
      if (stack.length > 0) stack[stack.length - 1].node.children.push(node);
      else root = node;
      if (text[pos] === '/') {
        pos += 2;
      } else {
        ++pos;
        stack.push({ node, qualified: match[0] });
      }
    }
  }
  if (root === undefined) malformed('no root element');
  if (stack.length > 0) malformed(`<${stack[stack.length - 1].qualified}> is not closed`);
  return root;
}
