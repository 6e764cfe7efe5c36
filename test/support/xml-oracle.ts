/**
 * An XML parser this package did not write: Python's xml.etree (expat), run as a child
 * process. It reads the documents the profile writers produce and reports each element as
 * { ns, name, text, children }, so tests check names, namespaces, order and the exact text a
 * conforming parser gets back — including what escaping had to protect.
 */
import { execFileSync } from 'node:child_process';

export interface ParsedElement {
  ns: string;
  name: string;
  /** Character data directly inside the element (whitespace-only text is ''). */
  text: string;
  children: ParsedElement[];
}

const SCRIPT = `
import json, sys, xml.etree.ElementTree as ET
def walk(e):
    ns, name = ('', e.tag)
    if e.tag.startswith('{'):
        ns, name = e.tag[1:].split('}', 1)
    text = e.text or ''
    if text.strip() == '':
        text = ''
    return {'ns': ns, 'name': name, 'text': text, 'children': [walk(c) for c in e]}
data = sys.stdin.buffer.read()
print(json.dumps(walk(ET.fromstring(data))))
`;

export function parseXml(xml: string): ParsedElement {
  const out = execFileSync('python3', ['-c', SCRIPT], { input: Buffer.from(xml, 'utf8'), maxBuffer: 16 << 20 });
  return JSON.parse(out.toString('utf8')) as ParsedElement;
}

/** The child of `element` named `name` (exactly one must exist). */
export function child(element: ParsedElement, name: string): ParsedElement {
  const found = element.children.filter((c) => c.name === name);
  if (found.length !== 1) throw new Error(`<${element.name}> has ${found.length} <${name}> children`);
  return found[0];
}

/** Children's names in document order, with their namespaces. */
export function childNames(element: ParsedElement): string[] {
  return element.children.map((c) => `{${c.ns}}${c.name}`);
}
