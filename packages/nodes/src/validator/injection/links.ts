// Links that could exfiltrate: a markdown or HTML image is fetched by the client that renders it,
// so an image URL whose query (or path) carries data sends that data to the URL's host unseen.
import type { SignalHit } from './cues.js';

const MD_IMAGE = /!\[[^\]\n]{0,500}\]\([ \t]{0,4}<?(https?:\/\/[^\s)>]{1,4096})/gi;
const HTML_IMAGE = /<img\b[^>]{0,1000}?\bsrc[ \t]{0,3}=[ \t]{0,3}["']?(https?:\/\/[^\s"'>]{1,4096})/gi;
const MD_LINK = /(?<!!)\[[^\]\n]{0,500}\]\([ \t]{0,4}<?(https?:\/\/[^\s)>]{1,4096})/gi;
const TEMPLATE = /[{}$<>]|%s|\[(?:DATA|INFO|SECRET|INPUT)/i;
const DATA_LIKE = /^[A-Za-z0-9+/_%=.-]{24,}$/;
const CUE =
  /\b(?:append|add|include|encode|insert|put)\b.{0,60}\b(?:to|in|into|as)\s{1,3}(?:the\s{1,3})?(?:url|link|query|image|parameter)\b/gi;

/** How strongly a URL looks like it carries data: 0 when it does not. */
export function urlDataWeight(raw: string, image: boolean): number {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return image ? 0.3 : 0;
  }
  const values = [...url.searchParams.values()];
  const decodedRaw = raw.replace(/%7B/gi, '{').replace(/%7D/gi, '}').replace(/%24/g, '$');
  if (TEMPLATE.test(decodedRaw.slice(url.origin.length))) return image ? 0.85 : 0.55;
  if (values.some((v) => v.length >= 16 || DATA_LIKE.test(v))) return image ? 0.75 : 0;
  if (url.pathname.split('/').some((seg) => DATA_LIKE.test(seg) && seg.length >= 40)) return image ? 0.6 : 0;
  if (values.length > 0) return image ? 0.35 : 0;
  return 0;
}

function scan(text: string, re: RegExp, image: boolean, out: SignalHit[]): void {
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const weight = urlDataWeight(m[1] ?? '', image);
    if (weight > 0)
      out.push({ signal: 'exfiltration_link', weight, start: m.index, end: m.index + m[0].length });
  }
}

/** Evidence of links built to carry data out. */
export function findLinks(text: string, out: SignalHit[]): void {
  if (text.includes('](')) {
    scan(text, MD_IMAGE, true, out);
    scan(text, MD_LINK, false, out);
  }
  if (/<img/i.test(text)) scan(text, HTML_IMAGE, true, out);
  CUE.lastIndex = 0;
  for (let m = CUE.exec(text); m !== null; m = CUE.exec(text)) {
    out.push({ signal: 'exfiltration_link', weight: 0.5, start: m.index, end: m.index + m[0].length });
  }
}
