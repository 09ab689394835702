//! Document-level consistency: a name is usually tagged the same way throughout an article, but
//! the sentence tagger sees one sentence at a time. A first pass tags every sentence; then each
//! sentence is decoded again with a bonus on the tags its words (by stem key) got in the first
//! pass of the neighbouring sentences of the same document (±[`DocConfig::window`] sentences,
//! the sentence itself left out). The first pass's emission scores are kept, so the second pass
//! costs one more Viterbi over the sentence.
//!
//! [`DocTagger`] streams: sentences go in one at a time and come out, with their tags, once the
//! sentences after them in the window have been seen (or at [`DocTagger::flush`], the end of a
//! document), so memory stays flat whatever the input's length.

use crate::conll::{Reader, Sentence};
use crate::features::WordInfo;
use crate::gazetteer::IdMap;
use crate::model::{self, Lattice};
use crate::tags::{NT, TAGS};
use crate::{Buffers, Tagger};
use std::collections::VecDeque;
use std::io::{BufRead, Write};

/// Settings of the document-level second pass.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DocConfig {
    /// Sentences before and after a sentence that count as its context (0: no second pass).
    pub window: usize,
    /// Bonus on an entity tag, times the share of that tag among the word's context tags.
    pub entity: f32,
    /// Bonus on O, times the share of O among the word's context tags.
    pub outside: f32,
}

impl Default for DocConfig {
    /// The settings chosen by cross-validation over ANERcorp (`models/ner.experiments.md`).
    fn default() -> Self {
        DocConfig {
            window: 10,
            entity: 30.0,
            outside: 20.0,
        }
    }
}

impl DocConfig {
    /// No second pass: each sentence tagged alone.
    pub fn off() -> Self {
        DocConfig {
            window: 0,
            entity: 0.0,
            outside: 0.0,
        }
    }

    /// Whether the second pass can change anything.
    pub fn is_on(&self) -> bool {
        self.window > 0 && (self.entity != 0.0 || self.outside != 0.0)
    }
}

/// One sentence in the window.
struct Pending<T> {
    infos: Vec<WordInfo>,
    em: Vec<[f32; NT]>,
    first: Vec<u8>,
    payload: Option<T>,
}

/// Tags the sentences of documents with the document-level second pass; `T` is whatever the
/// caller wants back with each sentence's tags (its tokens, its gold tags, its index).
pub struct DocTagger<'a, T> {
    tagger: &'a Tagger,
    view: usize,
    cfg: DocConfig,
    window: VecDeque<Pending<T>>,
    /// Index in `window` of the next sentence to finish.
    next: usize,
    /// First-pass tag counts per stem key over the sentences in `window`.
    counts: IdMap<[u16; NT]>,
    ready: VecDeque<(T, Vec<u8>)>,
    buf: Buffers,
    em2: Vec<[f32; NT]>,
    lattice: Lattice,
    spare: Vec<Pending<T>>,
}

impl<'a, T> DocTagger<'a, T> {
    /// A document tagger in view `view` (0 when the model has no such view).
    pub fn new(tagger: &'a Tagger, view: usize, cfg: DocConfig) -> Self {
        DocTagger {
            tagger,
            view: if view < tagger.views() { view } else { 0 },
            cfg,
            window: VecDeque::new(),
            next: 0,
            counts: IdMap::default(),
            ready: VecDeque::new(),
            buf: Buffers::default(),
            em2: Vec::new(),
            lattice: Lattice::default(),
            spare: Vec::new(),
        }
    }

    /// The settings.
    pub fn config(&self) -> DocConfig {
        self.cfg
    }

    /// Adds the next sentence of the current document, given its word infos.
    pub fn push(&mut self, infos: &[WordInfo], payload: T) {
        let mut p = self.spare.pop().unwrap_or_else(|| Pending {
            infos: Vec::new(),
            em: Vec::new(),
            first: Vec::new(),
            payload: None,
        });
        p.infos.clear();
        p.infos.extend_from_slice(infos);
        p.payload = Some(payload);
        self.tagger
            .emissions(&p.infos, self.view, &mut self.buf, &mut p.em);
        let trans = self.tagger.transitions(self.view);
        let infos = &p.infos;
        model::viterbi(
            &p.em,
            trans,
            |i| infos[i].link,
            &mut self.lattice,
            &mut p.first,
        );
        if !self.cfg.is_on() {
            let tags = p.first.clone();
            self.ready
                .push_back((p.payload.take().expect("payload"), tags));
            self.spare.push(p);
            return;
        }
        add_counts(&mut self.counts, &p, 1);
        self.window.push_back(p);
        while self.next < self.window.len() && self.window.len() - 1 - self.next >= self.cfg.window
        {
            self.finish(self.next);
            self.next += 1;
        }
        self.trim();
    }

    /// Ends the current document: every sentence pushed so far comes out.
    pub fn flush(&mut self) {
        while self.next < self.window.len() {
            self.finish(self.next);
            self.next += 1;
        }
        while let Some(p) = self.window.pop_front() {
            self.spare.push(p);
        }
        self.counts.clear();
        self.next = 0;
    }

    /// The next finished sentence: its payload and tags (one tag index per word).
    pub fn pop(&mut self) -> Option<(T, Vec<u8>)> {
        self.ready.pop_front()
    }

    /// Drops the sentences no unfinished sentence has in its window.
    fn trim(&mut self) {
        while self.next > self.cfg.window {
            let Some(p) = self.window.pop_front() else {
                break;
            };
            add_counts(&mut self.counts, &p, -1);
            self.spare.push(p);
            self.next -= 1;
        }
    }

    /// Decodes sentence `k` of the window again with the context bonus.
    fn finish(&mut self, k: usize) {
        // the context of a sentence leaves the sentence out
        add_counts(&mut self.counts, &self.window[k], -1);
        let p = &self.window[k];
        self.em2.clear();
        self.em2.extend_from_slice(&p.em);
        for (info, e) in p.infos.iter().zip(self.em2.iter_mut()) {
            let Some(c) = self.counts.get(&info.stem) else {
                continue;
            };
            let total: u32 = c.iter().map(|&x| u32::from(x)).sum();
            if total == 0 {
                continue;
            }
            let inv = 1.0 / total as f32;
            e[0] += self.cfg.outside * f32::from(c[0]) * inv;
            for t in 1..NT {
                e[t] += self.cfg.entity * f32::from(c[t]) * inv;
            }
        }
        let mut tags = Vec::with_capacity(p.infos.len());
        let trans = self.tagger.transitions(self.view);
        model::viterbi(
            &self.em2,
            trans,
            |i| p.infos[i].link,
            &mut self.lattice,
            &mut tags,
        );
        add_counts(&mut self.counts, &self.window[k], 1);
        let payload = self.window[k].payload.take().expect("payload");
        self.ready.push_back((payload, tags));
    }
}

/// Adds (`d = 1`) or removes (`d = -1`) a sentence's first-pass tags to the counts.
fn add_counts<T>(counts: &mut IdMap<[u16; NT]>, p: &Pending<T>, d: i32) {
    for (info, &t) in p.infos.iter().zip(&p.first) {
        if d > 0 {
            let c = counts.entry(info.stem).or_insert([0; NT]);
            c[t as usize] = c[t as usize].saturating_add(1);
        } else if let Some(c) = counts.get_mut(&info.stem) {
            c[t as usize] = c[t as usize].saturating_sub(1);
            if c.iter().all(|&x| x == 0) {
                counts.remove(&info.stem);
            }
        }
    }
}

/// Tags the sentences `reader` gives (tokens only) in view `view` with the document-level settings
/// `cfg`, writing `token tag` lines to `out`, a blank line between sentences. Sentences between
/// `-DOCSTART-` marks form a document (the whole input without them); a mark is written back as
/// read, tagged O. Returns how many tokens were read.
pub fn tag_conll<R: BufRead>(
    tagger: &Tagger,
    view: usize,
    cfg: DocConfig,
    reader: &mut Reader<R>,
    out: &mut impl Write,
) -> std::io::Result<usize> {
    let mut session = tagger.session_in(view);
    let mut doc: DocTagger<Vec<String>> = DocTagger::new(tagger, view, cfg);
    let mut s = Sentence::default();
    let (mut n, mut first) = (0usize, true);
    let mut write = |w: &mut dyn Write, toks: &[String], tags: &[u8]| -> std::io::Result<()> {
        if !first {
            w.write_all(b"\n")?;
        }
        first = false;
        for (t, &g) in toks.iter().zip(tags) {
            w.write_all(t.as_bytes())?;
            w.write_all(b" ")?;
            w.write_all(TAGS[g as usize].as_bytes())?;
            w.write_all(b"\n")?;
        }
        Ok(())
    };
    while reader.next_into(&mut s)? {
        n += s.tokens.len();
        if s.is_docstart() {
            // a document ends: its sentences come out, then the mark as read
            doc.flush();
            while let Some((toks, tags)) = doc.pop() {
                write(out, &toks, &tags)?;
            }
            let o = vec![0u8; s.tokens.len()];
            write(out, &s.tokens, &o)?;
            continue;
        }
        let infos = session.infos_of(&s.tokens);
        doc.push(infos, std::mem::take(&mut s.tokens));
        while let Some((toks, tags)) = doc.pop() {
            write(out, &toks, &tags)?;
        }
    }
    doc.flush();
    while let Some((toks, tags)) = doc.pop() {
        write(out, &toks, &tags)?;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clusters::Clusters;
    use crate::features::{self, WordInfo};
    use crate::gazetteer::Gazetteer;
    use crate::model::Weights;

    fn infos(t: &Tagger, words: &[&str]) -> Vec<WordInfo> {
        words
            .iter()
            .map(|w| WordInfo::of_raw(w, t.resources()))
            .collect()
    }

    fn feats(t: &Tagger, words: &[&str], i: usize) -> Vec<u64> {
        let inf = infos(t, words);
        let mut spans = features::Marks::default();
        spans.compute(&inf, &Gazetteer::new());
        let mut f = Vec::new();
        features::extract(&inf, &spans, i, &mut f);
        f
    }

    /// A tagger that tags سامي as a person after قال only, and O everywhere else.
    fn tagger() -> Tagger {
        let empty = Tagger::new(
            vec![Weights::new(Vec::new(), [[0.0; NT]; NT + 1])],
            Gazetteer::new(),
            Clusters::empty(),
            &[],
        )
        .unwrap();
        let cue = feats(&empty, &["قال", "سامي"], 1);
        let plain = feats(&empty, &["رأى", "سامي"], 1);
        let mut rows: Vec<(u64, [f32; NT])> = Vec::new();
        for f in cue.iter().filter(|f| !plain.contains(f)) {
            let mut r = [0f32; NT];
            r[1] = 10.0;
            rows.push((*f, r));
        }
        let mut r = [0f32; NT];
        r[0] = 1.0;
        rows.push((features::bias(), r));
        Tagger::new(
            vec![Weights::new(rows, [[0.0; NT]; NT + 1])],
            Gazetteer::new(),
            Clusters::empty(),
            &[],
        )
        .unwrap()
    }

    #[test]
    fn conll_tagging_writes_tokens_and_tags_and_keeps_document_marks() {
        let t = tagger();
        let input = "قال\nسامي\n\n-DOCSTART- O\n\nرأى X\nسامي Y\n";
        let mut reader = Reader::tokens_only(input.as_bytes());
        let mut out = Vec::new();
        let n = tag_conll(&t, 0, DocConfig::off(), &mut reader, &mut out).unwrap();
        assert_eq!(n, 5);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "قال O\nسامي B-PERS\n\n-DOCSTART- O\n\nرأى O\nسامي O\n"
        );
    }

    fn run(t: &Tagger, cfg: DocConfig, doc: &[&[&str]]) -> Vec<Vec<u8>> {
        let mut d = DocTagger::new(t, 0, cfg);
        let mut out = Vec::new();
        for (i, s) in doc.iter().enumerate() {
            d.push(&infos(t, s), i);
            while let Some((j, tags)) = d.pop() {
                assert_eq!(j, out.len(), "sentences come out in order");
                out.push(tags);
            }
        }
        d.flush();
        while let Some((j, tags)) = d.pop() {
            assert_eq!(j, out.len());
            out.push(tags);
        }
        out
    }

    #[test]
    fn a_name_tagged_nearby_is_tagged_again() {
        let t = tagger();
        let doc: &[&[&str]] = &[
            &["قال", "سامي"],
            &["رأى", "سامي"],
            &["رأى", "أحد"],
            &["رأى", "أحد"],
            &["رأى", "سامي"],
        ];
        let cfg = DocConfig {
            window: 2,
            entity: 5.0,
            outside: 0.0,
        };
        // alone, only the sentence with the cue has the name
        let alone = run(&t, DocConfig::off(), doc);
        assert_eq!(alone[0], vec![0, 1]);
        assert_eq!(alone[1], vec![0, 0]);
        let with = run(&t, cfg, doc);
        assert_eq!(with[0], vec![0, 1]);
        assert_eq!(with[1], vec![0, 1], "the name in the next sentence agrees");
        assert_eq!(with[2], vec![0, 0]);
        assert_eq!(
            with[4],
            vec![0, 0],
            "four sentences away is outside the window"
        );
        // a flush ends the document: the next sentence has no context
        let mut d = DocTagger::new(&t, 0, cfg);
        d.push(&infos(&t, doc[0]), 0);
        d.flush();
        d.push(&infos(&t, doc[1]), 1);
        d.flush();
        let got: Vec<(usize, Vec<u8>)> = std::iter::from_fn(|| d.pop()).collect();
        assert_eq!(got, vec![(0, vec![0, 1]), (1, vec![0, 0])]);
    }
}
