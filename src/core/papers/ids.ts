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

const ARXIV_NEW = /^\d{4}\.\d{4,5}(v\d+)?$/;
const ARXIV_OLD = /^[a-z-]+(\.[A-Z]{2})?\/\d{7}(v\d+)?$/;

/** True for arXiv identifiers in the new (2401.01234) or old (hep-th/9901001) scheme. */
export function isArxivId(id: string): boolean {
  return ARXIV_NEW.test(id) || ARXIV_OLD.test(id);
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
