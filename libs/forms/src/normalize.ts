// Chinese input methods type full-width characters (０１０－６２３４５６７８); the 2015 client
// folded them before checking, and so do we.

const FULL_WIDTH_FIRST = 0xff01; // ！
const FULL_WIDTH_LAST = 0xff5e; // ～
const FULL_WIDTH_OFFSET = 0xfee0;
const IDEOGRAPHIC_SPACE = 0x3000;
const FOLDABLE = /[\uFF01-\uFF5E\u3000]/;

/** Folds full-width ASCII (U+FF01–U+FF5E) and the ideographic space to half-width. */
export function foldFullWidth(text: string): string {
  // Most text has nothing to fold: returned as it is, without building a copy.
  if (!FOLDABLE.test(text)) return text;
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (code >= FULL_WIDTH_FIRST && code <= FULL_WIDTH_LAST) out += String.fromCharCode(code - FULL_WIDTH_OFFSET);
    else if (code === IDEOGRAPHIC_SPACE) out += ' ';
    else out += char;
  }
  return out;
}

/** Trims and folds full-width ASCII: what every coded field (phone, URL, e-mail…) gets before its rule. */
export function normalizeText(text: string): string {
  return foldFullWidth(text).trim();
}

/**
 * Free text (names, units, addresses) is only trimmed, ideographic spaces included: folding
 * would rewrite the full-width brackets of a unit's official name (某某局（某某办）).
 */
export function trimText(text: string): string {
  return text.trim();
}
