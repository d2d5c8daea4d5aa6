/**
 * The query engine: {@link SearchIndex} answers a query over an {@link IndexLayout}.
 *
 * A query reads only the postings of its expanded terms (queryWords.ts): O(papers containing
 * them). Each paper reached gets a mask of the words it matched and a score (the sum of each word's
 * best expansion: IDF × weight × precomputed impact); it is a strong or a weak match by the share of
 * the query's weight it covers (understanding.ts), and only the papers in the best groups of
 * (strong, tier of relation to a named loss, key units matched, words matched) are ranked, with a
 * bounded top-k heap (ranking.ts) — never a pass over every record's text. Completions stop at a
 * postings budget (2× the corpus); typo correction and completion look at the vocabulary, which
 * grows far slower than the corpus. Quoted phrases are pruned with the position signatures before
 * any text is read. Filters without words walk a concept's paper list or per-paper typed arrays.
 */
import { Field, plainFieldTexts } from './documents';
import { IndexLayout, type IndexParts } from './indexLayout';
import { LINK_BIT } from './paperMetadata';
import { parseQuery, type HintField, type ParsedQuery, type QueryPhrase, type QueryWord } from './query';
import { resolveExact, resolveWords, type ResolvedWord } from './queryWords';
import { bits, MATCH_SLOTS, popcount, TIERS, topK } from './ranking';
import type { Correction, SearchHit, SearchOptions, SearchResult, SearchSort } from './searchTypes';
import { foldText, phraseMatcher } from './text';
import { mentionsIn, namedConcepts, understand, type Mention, type Understanding } from './understanding';

/** Up to this many candidates, phrases are checked on all of them (exact total); beyond, lazily. */
const PHRASE_CHECK_ALL = 500;
const F_TITLE = Field.Title;

/** One indexed word of a phrase: where its signatures are collected, and its offset in the phrase. */
interface PhraseSlot {
  sigs: Uint32Array;
  offset: number;
}

/** A built or loaded index: the papers, their postings and metadata, and the search over them. */
export class SearchIndex extends IndexLayout {
  // Query scratch, reused by every search (searches are synchronous, so never shared).
  private readonly score: Float32Array;
  private readonly mask: Uint32Array;
  private readonly titleMask: Uint32Array;
  private readonly best: Float32Array;
  private readonly stamp: Int32Array;
  private readonly wordStamp: Int32Array;
  private readonly titleStamp: Int32Array;
  private readonly excluded: Int32Array;
  private readonly rank: Float64Array;
  private readonly touchedScratch: Int32Array;
  private readonly wordTouchedScratch: Int32Array;
  private readonly primary: Float64Array;
  private readonly secondary: Float64Array;
  private stampCounter = 0;
  private readonly sigScratchArrays: (Uint32Array | undefined)[] = [];
  /** Per paper for the current query: 1 when it is a strong match. */
  private readonly strongFlag: Uint8Array;
  /** Per paper for the current query: its ranking group (strong, tier, words matched). */
  private readonly group: Int32Array;
  /** Per paper: its relation tier to a named concept (see `conceptTier`), valid when `tierStamp` is the query's. */
  private readonly tier: Uint8Array;
  private readonly tierStamp: Int32Array;
  private readonly groupCounts = new Int32Array(2 * MATCH_SLOTS * TIERS * MATCH_SLOTS);
  private readonly tertiary: Float64Array;

  constructor(parts: IndexParts) {
    super(parts);
    const n = this.papers.length;
    this.score = new Float32Array(n);
    this.mask = new Uint32Array(n);
    this.titleMask = new Uint32Array(n);
    this.best = new Float32Array(n);
    this.stamp = new Int32Array(n);
    this.wordStamp = new Int32Array(n);
    this.titleStamp = new Int32Array(n);
    this.excluded = new Int32Array(n);
    this.rank = new Float64Array(n);
    this.touchedScratch = new Int32Array(n);
    this.wordTouchedScratch = new Int32Array(n);
    this.primary = new Float64Array(n);
    this.secondary = new Float64Array(n);
    this.tertiary = new Float64Array(n);
    this.strongFlag = new Uint8Array(n);
    this.group = new Int32Array(n);
    this.tier = new Uint8Array(n);
    this.tierStamp = new Int32Array(n);
  }

  /** Signature scratch for the `i`-th phrase word of a query (up to 16), reused across queries. */
  private sigScratch(i: number): Uint32Array | undefined {
    if (i >= 16) return undefined;
    this.sigScratchArrays[i] ??= new Uint32Array(this.papers.length);
    return this.sigScratchArrays[i];
  }


  /**
   * The loss concepts the free words name, longest run of words first: a name, alias, library
   * identifier or hand-written name (`focal loss`, `BCEWithLogitsLoss`,
   * `optax.softmax_cross_entropy_with_integer_labels`), or, for an identifier no concept spells
   * out, a lexicon phrase among its words (`softmax_xent` → `xent`). Keys under three letters
   * (`CE`, `FL`) count only as the whole query.
   */
  mentionsIn(words: readonly QueryWord[], corrected: ReadonlyMap<string, string> = new Map()): Mention[] {
    return mentionsIn(this, words, corrected);
  }

  /** Runs a query (text or already parsed) with UI filters and paging. */
  search(query: string | ParsedQuery, options: SearchOptions = {}): SearchResult {
    const parsed = typeof query === 'string' ? parseQuery(query) : query;
    const offset = Math.max(0, Math.floor(options.offset ?? 0)) || 0;
    const limit = Math.max(0, Math.min(1000, Math.floor(options.limit ?? 20))) || 0;
    const sort: SearchSort = parsed.sort ?? options.sort ?? 'relevance';
    const corrections: Correction[] = [];
    const matchedTerms = new Set<string>();
    const n = this.papers.length;
    const queryStamp = ++this.stampCounter;

    // 1. Words → vocabulary expansions. Free words rank; field words and phrase words are required.
    const free = resolveWords(this, parsed.words, true, corrections, matchedTerms);
    const required = resolveWords(this, parsed.requiredWords, true, corrections, matchedTerms);
    const phraseTerms: ResolvedWord[] = [];
    const phraseSlots: PhraseSlot[][] = [];
    let impossible = required.some((w) => w.expansions.length === 0);
    for (const phrase of parsed.phrases) {
      const slots: PhraseSlot[] = [];
      phrase.words.forEach((word, offset) => {
        const resolved = resolveExact(this, word, phrase.field);
        if (!resolved) return; // a stopword: the phrase check looks at it, the index does not
        if (resolved.expansions.length === 0) impossible = true;
        const slot = this.sigScratch(phraseTerms.length);
        if (slot) {
          resolved.sigOut = slot;
          slots.push({ sigs: slot, offset });
        }
        phraseTerms.push(resolved);
        matchedTerms.add(word);
      });
      phraseSlots.push(slots);
    }
    // Bits: free words first, then required words, then phrase words (as many as fit; the phrase
    // check is authoritative anyway).
    const scoring: ResolvedWord[] = [...free, ...required, ...phraseTerms].slice(0, 32);
    // A phrase word cut off here collects no signatures: its phrase is then checked on text only.
    for (const w of phraseTerms) {
      if (w.sigOut && !scoring.includes(w)) for (let i = 0; i < phraseSlots.length; i++) phraseSlots[i] = phraseSlots[i].filter((s) => s.sigs !== w.sigOut);
    }
    const freeBits = bits(Math.min(free.length, 32));
    const wordBits = bits(scoring.length);
    const requiredBits = (wordBits & ~freeBits) >>> 0;
    const understanding = understand(this, parsed.words, free.slice(0, 32), corrections);
    let strongTotal = 0;

    // 2. Exclusions.
    const excludeStamp = queryStamp;
    for (const word of resolveWords(this, parsed.excludedWords, false, [], new Set())) this.markPostings(word, excludeStamp);
    for (const phrase of parsed.excludedPhrases) this.markPhrase(phrase, excludeStamp);
    const excluding = parsed.excludedWords.length > 0 || parsed.excludedPhrases.length > 0;

    // 3. Structured filters.
    const conceptsResolved: string[] = [];
    const conceptSets: Set<number>[] = [];
    for (const value of parsed.concepts) {
      const ids = this.resolveConcept(value);
      conceptsResolved.push(...ids);
      if (ids.length === 0) impossible = true;
      conceptSets.push(this.conceptSet(ids));
    }
    const excludedConceptSets = parsed.excludedConcepts.map((c) => this.conceptSet(this.resolveConcept(c))).filter((set) => set.size > 0);
    const f = options.filters ?? {};
    if (f.concept) {
      const idx = this.conceptIndex.get(f.concept);
      if (idx === undefined) impossible = true;
      else conceptSets.push(new Set([idx]));
    }
    const yearFrom = Math.max(parsed.years?.from ?? -Infinity, f.yearFrom ?? -Infinity);
    const yearTo = Math.min(parsed.years?.to ?? Infinity, f.yearTo ?? Infinity);
    const yearFiltered = Number.isFinite(yearFrom) || Number.isFinite(yearTo);
    let hasBits = 0;
    for (const k of parsed.has) hasBits |= LINK_BIT[k];
    if (f.hasCode) hasBits |= LINK_BIT.code;
    let hasNotBits = 0;
    for (const k of parsed.hasNot) hasNotBits |= LINK_BIT[k];
    const sourceSets: Set<number>[] = parsed.sources.map((v) => new Set(this.sourceNames.flatMap((name, i) => (name.toLowerCase().includes(v) ? [i] : []))));
    if (f.source !== undefined) sourceSets.push(new Set(this.sourceNames.flatMap((name, i) => (name === f.source ? [i] : []))));
    let idSet: Set<number> | undefined;
    if (parsed.ids.length) {
      idSet = new Set(parsed.ids.flatMap((id) => { const d = this.byId().get(id) ?? this.byId().get(id.replace(/v\d+$/, '')); return d === undefined ? [] : [d]; }));
    }
    const filtering = excluding || idSet !== undefined || yearFiltered || hasBits !== 0 || hasNotBits !== 0
      || conceptSets.length > 0 || excludedConceptSets.length > 0 || sourceSets.length > 0;
    const accept = (d: number): boolean => {
      if (excluding && this.excluded[d] === excludeStamp) return false;
      if (idSet && !idSet.has(d)) return false;
      if (yearFiltered) {
        const y = this.years[d];
        if (y === 0 || y < yearFrom || y > yearTo) return false;
      }
      if ((this.links[d] & hasBits) !== hasBits || (this.links[d] & hasNotBits) !== 0) return false;
      for (const set of conceptSets) if (!this.hasConcept(d, set)) return false;
      for (const set of excludedConceptSets) if (this.hasConcept(d, set)) return false;
      for (const set of sourceSets) if (!this.hasSource(d, set)) return false;
      return true;
    };

    // 4. Candidates: papers reached by the words (scored), or every paper when there are none.
    let candidates: number[] = [];
    // Papers matching more free words rank first, so when enough papers match the most words, the
    // rest only count towards the total: they are counted, not ranked.
    let total = 0;
    let rankedTiers = false;
    if (!impossible) {
      if (scoring.length > 0) {
        const mask = this.mask;
        const groups = this.groupCounts;
        groups.fill(0);
        let touched = this.accumulate([...scoring, ...understanding.bonus], queryStamp, scoring.length);
        touched = this.addNamedPapers(understanding, touched, queryStamp);
        const kept = this.wordTouchedScratch;
        const { group, strongFlag, tier: tiers, tierStamp } = this;
        // Strong or weak, and how many key units matched, depend only on which words matched:
        // decided once per mask seen.
        const strongOf = new Map<number, number>();
        let keptCount = 0;
        strongTotal = 0;
        for (let i = 0; i < touched.length; i++) {
          const d = touched[i];
          const m = mask[d];
          if ((m & requiredBits) >>> 0 !== requiredBits) continue;
          if (freeBits !== 0 && (m & freeBits) === 0) continue;
          if (filtering && !accept(d)) continue;
          kept[keptCount++] = d;
          let sk = strongOf.get(m);
          if (sk === undefined) {
            sk = (understanding.isStrong(m) ? 1 : 0) * MATCH_SLOTS + understanding.keyUnits(m);
            strongOf.set(m, sk);
          }
          const strong = sk >= MATCH_SLOTS ? 1 : 0;
          strongFlag[d] = strong;
          strongTotal += strong;
          const tier = understanding.focused && tierStamp[d] === queryStamp ? tiers[d] : 0;
          const g = (sk * TIERS + tier) * MATCH_SLOTS + popcount(m & freeBits);
          group[d] = g;
          groups[g]++;
        }
        total = keptCount;
        // Strong before weak, then more of the query's key units matched (a named loss counts as
        // one; parameter names and generic words as none), then papers tagged with a named loss
        // (the paper that introduced it first), then more words matched: when enough papers are in
        // the best groups, the rest are counted, not ranked.
        let minGroup = 0;
        if (sort === 'relevance' && parsed.phrases.length === 0) {
          const need = offset + limit;
          let atLeast = 0;
          for (let g = groups.length - 1; g > 0; g--) {
            atLeast += groups[g];
            if (atLeast >= need) {
              minGroup = g;
              break;
            }
          }
        }
        rankedTiers = minGroup > 0;
        candidates = [];
        for (let i = 0; i < keptCount; i++) {
          const d = kept[i];
          if (!rankedTiers || group[d] >= minGroup) candidates.push(d);
        }
      } else if (idSet) {
        for (const d of idSet) if (accept(d)) candidates.push(d);
      } else if (conceptSets.length > 0) {
        // Only the papers of the filtered concept(s) can pass: walk the smallest concept's list.
        const lists = conceptSets.map((set) => [...set].map((c) => this.papersOf(c)));
        const sizes = lists.map((ls) => ls.reduce((sum, l) => sum + l.length, 0));
        const smallest = lists[sizes.indexOf(Math.min(...sizes))];
        const seen = new Set<number>();
        for (const list of smallest) {
          for (const d of list) {
            if (smallest.length > 1 && seen.has(d)) continue;
            if (smallest.length > 1) seen.add(d);
            if (accept(d)) candidates.push(d);
          }
        }
      } else {
        for (let d = 0; d < n; d++) if (!filtering || accept(d)) candidates.push(d);
      }
      if (!rankedTiers) total = candidates.length;
      if (scoring.length === 0) {
        for (const d of candidates) this.strongFlag[d] = 1;
        strongTotal = candidates.length;
      }
    }

    // 5. Rank keys: more free words matched first, then score (or the date first, for `newest`).
    const { primary, secondary, tertiary, dates } = this;
    const totalWords = popcount(wordBits);
    const named = understanding.named.size ? understanding.named : undefined;
    for (const d of candidates) {
      // Strong matches first whatever the sort: weak ones are never mixed in.
      const strong = this.strongFlag[d];
      if (scoring.length > 0) {
        const titleCoverage = popcount(this.titleMask[d] & wordBits) / totalWords;
        this.rank[d] = this.score[d] * (1 + 0.5 * titleCoverage) * (named ? this.namedConceptBoost(d, named) : 1);
        primary[d] = this.group[d];
        secondary[d] = this.rank[d];
      } else {
        // Without words, papers that propose a filtered concept come before papers that study it.
        this.rank[d] = 0;
        primary[d] = conceptSets.length ? this.mainConceptCount(d, conceptSets) : 0;
        secondary[d] = 0;
      }
      tertiary[d] = dates[d];
      if (sort === 'newest') {
        secondary[d] = primary[d] * 1e6 + secondary[d];
        primary[d] = strong * 1e9 + dates[d];
      }
    }

    // 6. The page. Phrases are checked against the text, in rank order, only as far as needed.
    const need = offset + limit;
    let page: number[];
    let totalExact = true;
    if (parsed.phrases.length === 0) {
      page = topK(candidates, need, primary, secondary, tertiary);
    } else {
      const matchers = parsed.phrases.map((p, i) => ({ phrase: p, test: phraseMatcher(p.words), slots: phraseSlots[i] }));
      const verify = (d: number): boolean => matchers.every((m) => mayHoldPhrase(d, m.slots) && this.containsPhrase(d, m.phrase, m.test));
      if (candidates.length <= PHRASE_CHECK_ALL) {
        const survivors = candidates.filter(verify);
        page = topK(survivors, need, primary, secondary, tertiary);
        total = survivors.length;
        strongTotal = survivors.reduce((sum, d) => sum + this.strongFlag[d], 0);
      } else {
        // Many candidates (a phrase of common words in a large corpus): check the best-ranked until
        // the page is full, and estimate the total from the share that passed.
        const ok: number[] = [];
        let checked = 0;
        let k = Math.max(256, 4 * need);
        for (;;) {
          const ranked = topK(candidates, Math.min(k, candidates.length), primary, secondary, tertiary);
          for (let i = checked; i < ranked.length; i++) if (verify(ranked[i])) ok.push(ranked[i]);
          checked = ranked.length;
          if (ok.length >= need || checked >= candidates.length) break;
          k *= 4;
        }
        page = ok.slice(0, need);
        totalExact = checked >= candidates.length;
        total = totalExact ? ok.length : Math.max(ok.length, Math.round((ok.length / checked) * candidates.length));
        const strongOk = ok.reduce((sum, d) => sum + this.strongFlag[d], 0);
        strongTotal = totalExact ? strongOk : Math.round(ok.length ? (strongOk / ok.length) * total : 0);
      }
    }
    const hits: SearchHit[] = page.slice(offset).map((d) => ({
      index: d,
      match: this.strongFlag[d] ? 'strong' as const : 'weak' as const,
      coverage: scoring.length > 0 ? Number(understanding.coverage(this.mask[d]).toFixed(3)) : 1,
      paper: this.papers[d],
      score: this.rank[d],
      matchedWords: scoring.length > 0 ? popcount(this.mask[d] & freeBits) : 0,
    }));
    return {
      total,
      totalExact,
      hits,
      query: parsed,
      corrections,
      terms: [...matchedTerms].slice(0, 64),
      concepts: [...new Set(conceptsResolved)],
      sort,
      strongTotal: impossible ? 0 : strongTotal,
      named: namedConcepts(this, understanding.mentions, parsed.words),
      about: parsed.freeText,
    };
  }

  /**
   * Adds each word's best expansion score to the papers it reaches and sets the word's bit.
   * Returns the papers reached.
   */
  private accumulate(words: readonly ResolvedWord[], queryStamp: number, bitCount = words.length): Int32Array {
    const { docs, impacts, fields, starts, ends, idf, score, mask, titleMask, best, stamp, wordStamp, titleStamp } = this;
    const touched = this.touchedScratch;
    const wordTouched = this.wordTouchedScratch;
    let touchedCount = 0;
    const titleBit = 1 << F_TITLE;
    for (let bit = 0; bit < words.length; bit++) {
      const word = words[bit];
      const ws = ++this.stampCounter;
      let wordCount = 0;
      const fieldMask = word.fieldMask;
      const titleFactor = word.titleFactor ?? 1;
      const sigOut = word.sigOut;
      const sigs = this.sigs;
      for (const { termId, weight, idfCap } of word.expansions) {
        const w = (idfCap === undefined ? idf[termId] : Math.min(idf[termId], idfCap)) * weight;
        const end = ends[termId];
        for (let p = starts[termId]; p < end; p++) {
          const fm = fields[p];
          if ((fm & fieldMask) === 0) continue;
          const d = docs[p];
          let s = w * impacts[p];
          if (titleFactor !== 1 && (fm & titleBit) !== 0) s *= titleFactor;
          if (wordStamp[d] !== ws) {
            wordStamp[d] = ws;
            best[d] = s;
            wordTouched[wordCount++] = d;
            if (sigOut) sigOut[d] = sigs[p];
          } else {
            if (s > best[d]) best[d] = s;
            if (sigOut) sigOut[d] |= sigs[p];
          }
          if (fm & titleBit) titleStamp[d] = ws;
        }
      }
      // Words past `bitCount` only add to the score (a named concept's name in a paper's text).
      const b = bit < bitCount ? (1 << bit) >>> 0 : 0;
      for (let i = 0; i < wordCount; i++) {
        const d = wordTouched[i];
        if (stamp[d] !== queryStamp) {
          stamp[d] = queryStamp;
          score[d] = 0;
          mask[d] = 0;
          titleMask[d] = 0;
          touched[touchedCount++] = d;
        }
        score[d] += best[d];
        mask[d] |= b;
        if (titleStamp[d] === ws) titleMask[d] |= b;
      }
    }
    return touched.subarray(0, touchedCount);
  }

  private markPostings(word: ResolvedWord, mark: number): void {
    for (const { termId } of word.expansions) {
      for (let p = this.starts[termId]; p < this.ends[termId]; p++) {
        if (this.fields[p] & word.fieldMask) this.excluded[this.docs[p]] = mark;
      }
    }
  }

  private markPhrase(phrase: QueryPhrase, mark: number): void {
    // Papers holding the phrase's rarest indexed word are the only ones that can hold the phrase.
    let rarest: number | undefined;
    for (const w of phrase.words) {
      const id = resolveExact(this, w, phrase.field)?.expansions[0]?.termId;
      if (id !== undefined && (rarest === undefined || this.ends[id] - this.starts[id] < this.ends[rarest] - this.starts[rarest])) rarest = id;
    }
    if (rarest === undefined) return;
    const test = phraseMatcher(phrase.words);
    for (let p = this.starts[rarest]; p < this.ends[rarest]; p++) {
      const d = this.docs[p];
      if (this.containsPhrase(d, phrase, test)) this.excluded[d] = mark;
    }
  }

  /** Whether paper `d` holds the phrase in one field (its own fields, or its concepts' names). */
  private containsPhrase(d: number, phrase: QueryPhrase, test: (folded: string) => boolean = phraseMatcher(phrase.words)): boolean {
    const paper = this.papers[d];
    const own = plainFieldTexts(paper);
    if (phrase.field) return test(foldText(own[fieldIndex(phrase.field)]));
    for (const text of own) if (test(foldText(text))) return true;
    for (const tag of paper.concepts ?? []) {
      const info = this.conceptInfo.get(tag.id);
      if (info && test(foldText(info.text))) return true;
    }
    return false;
  }


  /** Papers tagged with a named concept join the candidates and match the words that name it. */
  private addNamedPapers(u: Understanding, touched: Int32Array, queryStamp: number): Int32Array {
    if (u.named.size === 0) return touched;
    const out = this.touchedScratch;
    let count = touched.length;
    const { stamp, score, mask, titleMask } = this;
    for (const [c, spanBits] of u.spanBitsOf) {
      for (const d of this.papersOf(c)) {
        if (stamp[d] !== queryStamp) {
          stamp[d] = queryStamp;
          score[d] = 0;
          mask[d] = 0;
          titleMask[d] = 0;
          out[count++] = d;
        }
        mask[d] = (mask[d] | spanBits) >>> 0;
        if (this.tierStamp[d] !== queryStamp) {
          this.tierStamp[d] = queryStamp;
          this.tier[d] = this.conceptTier(d, u.named);
        }
      }
    }
    return out.subarray(0, count);
  }
}

function fieldIndex(field: HintField): number {
  switch (field) {
    case 'title': return Field.Title;
    case 'abstract': return Field.Abstract;
    case 'authors': return Field.Authors;
    default: return Field.Venue;
  }
}

/**
 * False when paper `d` cannot hold the phrase: no position p where its first word sits at p, the
 * next at p+1 and so on (positions modulo 32, from the collected signatures). True may be a false
 * positive; the text check decides.
 */
function mayHoldPhrase(d: number, slots: readonly PhraseSlot[]): boolean {
  let possible = 0xffffffff;
  for (const { sigs, offset } of slots) {
    const sig = sigs[d];
    const k = offset & 31;
    possible &= k === 0 ? sig : (sig >>> k) | (sig << (32 - k));
    if (possible === 0) return false;
  }
  return true;
}
