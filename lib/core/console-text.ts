/**
 * A Windows console program's output, decoded in the code page it was written in. A console
 * program writing to a pipe (netsh, sc) converts its text to the console's output code page
 * (`chcp`; the OEM code page by default: 932 on Japanese Windows, 936 Simplified Chinese, 949
 * Korean, 437 or 850 in the West), not UTF-8: read as UTF-8, "イーサネット" in CP932 is mojibake.
 * The code page comes from the addon (windowsPlatform().consoleCodePage: GetConsoleOutputCP, or
 * GetOEMCP without a console); the decoding is Node's TextDecoder, which knows the code pages
 * the WHATWG Encoding Standard names. A code page it does not know (the DOS ones, 437, 850, …)
 * keeps ASCII as it is and shows every other byte as \xNN: nothing is guessed.
 */

/** Code page numbers and the WHATWG labels of the encodings TextDecoder has for them. */
const ENCODINGS: Readonly<Record<number, string>> = {
  65001: 'utf-8', 932: 'shift_jis', 936: 'gbk', 54936: 'gb18030', 949: 'euc-kr', 950: 'big5', 866: 'ibm866',
  874: 'windows-874', 1250: 'windows-1250', 1251: 'windows-1251', 1252: 'windows-1252', 1253: 'windows-1253',
  1254: 'windows-1254', 1255: 'windows-1255', 1256: 'windows-1256', 1257: 'windows-1257', 1258: 'windows-1258',
  20866: 'koi8-r', 21866: 'koi8-u', 28591: 'iso-8859-1', 28592: 'iso-8859-2', 28605: 'iso-8859-15',
};

/** `bytes` as text, decoded in code page `codePage`. */
export function decodeConsoleText(bytes: Uint8Array, codePage: number): string {
  const label = ENCODINGS[codePage];
  if (label !== undefined) {
    try {
      return new TextDecoder(label).decode(bytes);
    } catch {
      // A node built without full ICU has only UTF-8 and UTF-16: fall through to the escapes.
    }
  }
  let text = '';
  for (const byte of bytes) text += byte < 0x80 ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
  return text;
}
