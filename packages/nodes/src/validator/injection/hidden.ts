// Hidden text: Unicode tag characters (invisible ASCII, "ASCII smuggling"), bidi controls (text that
// reads differently than it is stored) and zero-width characters inside ordinary text.
import { hasInstructionCue, type SignalHit } from './cues.js';

const TAGS = /(?:\uDB40[\uDC00-\uDC7F])+/g;
const BIDI = /[\u202A-\u202E\u2066-\u2069]/g;
/** Zero-width and invisible operators; ZWJ/ZWNJ count only between ASCII letters (emoji and Indic scripts use them). */
const ZERO_WIDTH = /[\u200B\u2060-\u2064\u180E]|(?<!^)\uFEFF|(?<=[A-Za-z])[\u200C\u200D](?=[A-Za-z])/g;
const BLACK_FLAG = 0x1f3f4;

/** The ASCII that a run of tag characters spells. */
function decodeTags(run: string): string {
  let out = '';
  for (const ch of run) {
    const code = (ch.codePointAt(0) ?? 0) - 0xe0000;
    if (code >= 0x20 && code < 0x7f) out += String.fromCharCode(code);
  }
  return out;
}

/** Evidence of hidden content in `text`. */
export function findHidden(text: string, out: SignalHit[]): void {
  TAGS.lastIndex = 0;
  for (let m = TAGS.exec(text); m !== null; m = TAGS.exec(text)) {
    // Emoji subdivision flags (🏴 + tags + cancel tag) are the one legitimate use.
    if (text.codePointAt(m.index - 2) === BLACK_FLAG && m[0].endsWith('\uDB40\uDC7F')) continue;
    const spelled = decodeTags(m[0]);
    const weight = hasInstructionCue(spelled) ? 0.95 : spelled.length >= 4 ? 0.8 : 0.5;
    out.push({ signal: 'hidden_unicode', weight, start: m.index, end: m.index + m[0].length });
  }
  BIDI.lastIndex = 0;
  for (let m = BIDI.exec(text); m !== null; m = BIDI.exec(text)) {
    out.push({ signal: 'hidden_unicode', weight: 0.45, start: m.index, end: m.index + 1 });
  }
  let count = 0;
  let first = -1;
  let last = -1;
  ZERO_WIDTH.lastIndex = 0;
  for (let m = ZERO_WIDTH.exec(text); m !== null; m = ZERO_WIDTH.exec(text)) {
    if (first < 0) first = m.index;
    last = m.index + 1;
    count++;
  }
  if (count > 0) {
    out.push({ signal: 'hidden_unicode', weight: count >= 3 ? 0.55 : 0.3, start: first, end: last });
  }
}
