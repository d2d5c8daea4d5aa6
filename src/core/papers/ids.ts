/** Helpers for stable identifiers and link construction. */

/** A lowercase ASCII slug of a title: accents folded, words joined with dashes, at most 80 chars. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, 80).replace(/-+$/, '') || 'untitled';
}

/** Title normalised for duplicate detection: case, accents, punctuation and spacing ignored. */
export function normaliseTitle(title: string): string {
  return slugify(title).replace(/-/g, ' ');
}

const ARXIV_NEW = /^(\d{2})(\d{2})\.(\d{4,5})(v\d+)?$/;
const ARXIV_OLD = /^[a-z-]+(\.[A-Z]{2})?\/(\d{2})(\d{2})\d{3}(v\d+)?$/;

/**
 * True for arXiv identifiers in the new (2401.01234) or old (hep-th/9901001) scheme that can
 * exist. Per arXiv's "Understanding the arXiv identifier" (info.arxiv.org/help/arxiv_identifier.html):
 * the new scheme is YYMM.NNNN from April 2007 (0704) to December 2014 and YYMM.NNNNN from
 * January 2015 (1501); the old scheme is archive/YYMMNNN, used from 1991 to March 2007. The month
 * is 01–12 in both.
 */
export function isArxivId(id: string): boolean {
  const m = ARXIV_NEW.exec(id);
  if (m) {
    const yymm = Number(m[1]) * 100 + Number(m[2]);
    const month = Number(m[2]);
    if (month < 1 || month > 12 || yymm < 704) return false;
    return m[3].length === (yymm >= 1501 ? 5 : 4);
  }
  const o = ARXIV_OLD.exec(id);
  if (o) {
    const yy = Number(o[2]);
    const month = Number(o[3]);
    if (month < 1 || month > 12) return false;
    // 91–99 are 1991–1999, 00–07 are 2000 to March 2007.
    return yy >= 91 || yy * 100 + month <= 703;
  }
  return false;
}

/** The standard links for an arXiv paper. */
export function arxivLinks(arxivId: string): { arxiv: string; pdf: string; huggingFace: string } {
  const bare = arxivId.replace(/v\d+$/, '');
  return {
    arxiv: `https://arxiv.org/abs/${bare}`,
    pdf: `https://arxiv.org/pdf/${bare}`,
    huggingFace: `https://huggingface.co/papers/${bare}`,
  };
}
