//! Tagging throughput of the built-in model over pre-tokenized sentences (ANERcorp train when
//! `../shared` is present, else a few hand-written sentences).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use marsad_ner::conll::{Reader, Sentence};
use marsad_ner::doc::DocTagger;
use marsad_ner::Tagger;

fn sentences() -> Vec<Sentence> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/ner/anercorp/train.txt"
    );
    if let Ok(f) = std::fs::File::open(path) {
        if let Ok(v) = Reader::tokens_only(std::io::BufReader::new(f)).read_all() {
            return v.into_iter().take(2000).collect();
        }
    }
    eprintln!("bench: ../shared missing, using hand-written sentences");
    let text =
        "قال وزير الخارجية الأردني إن عمان ستواصل دعم التحالف الدولي ضد داعش في العراق وسوريا .\n\
                وأعلنت قوات البيشمركة السيطرة على قرية قرب الموصل بعد معارك مع مسلحي التنظيم .";
    let sents: Vec<Sentence> = text
        .lines()
        .map(|l| Sentence {
            tokens: l.split_whitespace().map(String::from).collect(),
            tags: Vec::new(),
        })
        .collect();
    sents.iter().cycle().take(200).cloned().collect()
}

fn bench(c: &mut Criterion) {
    let Ok(tagger) = Tagger::builtin() else {
        eprintln!("bench: no built-in model; run `marsad train ner` first");
        return;
    };
    let sents = sentences();
    let tokens: usize = sents.iter().map(|s| s.tokens.len()).sum();
    let mut g = c.benchmark_group("ner");
    g.throughput(Throughput::Elements(tokens as u64));
    g.sample_size(20);
    g.bench_function("tag_conll_sentences", |b| {
        let mut session = tagger.session();
        let mut out = Vec::new();
        b.iter(|| {
            let mut n = 0usize;
            for s in &sents {
                session.tag(&s.tokens, &mut out);
                n += out.len();
            }
            n
        })
    });
    // what `marsad tag` does: the sentence pass, then the document-level second pass
    g.bench_function("tag_conll_document", |b| {
        let mut session = tagger.session();
        b.iter(|| {
            let mut doc: DocTagger<()> = DocTagger::new(tagger, 0, tagger.doc_config());
            let mut n = 0usize;
            for s in &sents {
                doc.push(session.infos_of(&s.tokens), ());
                while let Some((_, tags)) = doc.pop() {
                    n += tags.len();
                }
            }
            doc.flush();
            while let Some((_, tags)) = doc.pop() {
                n += tags.len();
            }
            n
        })
    });
    g.finish();
    let text = "قال وزير الخارجية الأردني إن عمان ستواصل دعم التحالف الدولي ضد داعش في العراق وسوريا. وأعلنت قوات البيشمركة السيطرة على قرية قرب الموصل بعد معارك مع مسلحي التنظيم.";
    let a = marsad_text::analyze(text);
    let mut g = c.benchmark_group("ner-entities");
    g.throughput(Throughput::Elements(a.tokens.len() as u64));
    g.bench_function("entities_of_text", |b| {
        b.iter(|| tagger.entities(text, &a).len())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
